package io.vecgate.engine.segment;

/**
 * One row of the section table.
 *
 * @param kind section kind id (see {@link SegmentFormat})
 * @param offset where the section starts in the file, a multiple of 64
 * @param length bytes of the section
 * @param crc32c CRC32C of those bytes
 */
record SectionEntry(int kind, long offset, long length, int crc32c) {

  long end() {
    return offset + length;
  }
}
