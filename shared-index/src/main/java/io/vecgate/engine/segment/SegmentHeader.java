package io.vecgate.engine.segment;

import io.vecgate.engine.column.ColumnReader;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.vector.Metric;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * The fixed header fields of a segment file (see {@link SegmentFormat} for their layout).
 *
 * @param formatVersion the version the file was written in
 * @param dimension dimension of the vectors
 * @param metric the metric of the index
 * @param indexType the index family
 * @param docCount number of documents (ordinals {@code [0, docCount)})
 * @param sectionCount number of sections in the table
 * @param fileLength length of the file in bytes as written
 */
public record SegmentHeader(int formatVersion, int dimension, Metric metric, IndexType indexType,
                            long docCount, int sectionCount, long fileLength) {

  private static final ValueLayout.OfInt INT = ColumnReader.INT_LE;
  private static final ValueLayout.OfLong LONG = ColumnReader.LONG_LE;

  /**
   * Reads and checks the header of a mapped segment file: magic, supported format version,
   * checksum, known metric and index type, and that its counts fit the file.
   */
  static SegmentHeader read(Path file, MemorySegment whole) throws CorruptSegmentException {
    int magic = whole.get(INT, 0);
    if (magic != SegmentFormat.MAGIC) {
      throw new CorruptSegmentException(file, "header", "not a vecgate segment: magic " + Crc32c.hex(magic)
          + ", expected " + Crc32c.hex(SegmentFormat.MAGIC));
    }
    int version = whole.get(INT, 4);
    if (version < SegmentFormat.MIN_VERSION || version > SegmentFormat.CURRENT_VERSION) {
      throw new CorruptSegmentException(file, "header", "format version " + version + " is not supported"
          + " (this build reads versions " + SegmentFormat.MIN_VERSION + " to " + SegmentFormat.CURRENT_VERSION + ")");
    }
    int actual = Crc32c.of(whole.asSlice(0, SegmentFormat.HEADER_CRC_OFFSET));
    int stored = whole.get(INT, SegmentFormat.HEADER_CRC_OFFSET);
    if (actual != stored) {
      throw new CorruptSegmentException(file, "header", "checksum mismatch (expected " + Crc32c.hex(stored)
          + ", got " + Crc32c.hex(actual) + ")");
    }
    int dimension = whole.get(INT, 8);
    Metric metric = SegmentFormat.metricById(whole.get(INT, 12));
    IndexType type = SegmentFormat.indexTypeById(whole.get(INT, 16));
    int sectionCount = whole.get(INT, 20);
    long docCount = whole.get(LONG, 24);
    long fileLength = whole.get(LONG, 32);
    if (dimension < 1) {
      throw new CorruptSegmentException(file, "header", "dimension must be >= 1, got " + dimension);
    }
    if (metric == null) {
      throw new CorruptSegmentException(file, "header", "unknown metric id " + whole.get(INT, 12));
    }
    if (type == null) {
      throw new CorruptSegmentException(file, "header", "unknown index type id " + whole.get(INT, 16));
    }
    if (docCount < 0 || docCount > Integer.MAX_VALUE) {
      throw new CorruptSegmentException(file, "header", "document count " + docCount + " outside [0, 2^31-1]");
    }
    if (whole.byteSize() < fileLength) {
      throw new CorruptSegmentException(file, null, "truncated: file is " + whole.byteSize()
          + " bytes, header says " + fileLength);
    }
    if (whole.byteSize() > fileLength) {
      throw new CorruptSegmentException(file, null, "file is " + whole.byteSize() + " bytes, header says "
          + fileLength + " (trailing bytes)");
    }
    long maxSections = (fileLength - SegmentFormat.HEADER_BYTES) / SegmentFormat.SECTION_ENTRY_BYTES;
    if (sectionCount < 0 || sectionCount > maxSections) {
      throw new CorruptSegmentException(file, "header", "section count " + sectionCount + " does not fit a file of "
          + fileLength + " bytes");
    }
    return new SegmentHeader(version, dimension, metric, type, docCount, sectionCount, fileLength);
  }
}

