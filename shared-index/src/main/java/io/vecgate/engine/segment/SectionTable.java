package io.vecgate.engine.segment;

import io.vecgate.engine.column.ColumnReader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The section table of a segment file, checked on open: every entry in bounds and aligned, the
 * sections packed in offset order with zero padding between them, and each section's checksum.
 */
final class SectionTable {

  private static final ValueLayout.OfInt INT = ColumnReader.INT_LE;
  private static final ValueLayout.OfLong LONG = ColumnReader.LONG_LE;

  private SectionTable() {}

  /**
   * Reads and checks the section table after header {@code h}: its checksum, known and unique
   * kinds, aligned offsets inside the file, and the packing of the sections.
   */
  static List<SectionEntry> read(Path file, MemorySegment whole, SegmentHeader h) throws CorruptSegmentException {
    long tableEnd = SegmentFormat.HEADER_BYTES + (long) h.sectionCount() * SegmentFormat.SECTION_ENTRY_BYTES;
    int stored = whole.get(INT, 40);
    int actual = Crc32c.of(whole.asSlice(SegmentFormat.HEADER_BYTES, tableEnd - SegmentFormat.HEADER_BYTES));
    if (stored != actual) {
      throw new CorruptSegmentException(file, "section table", "checksum mismatch (expected " + Crc32c.hex(stored)
          + ", got " + Crc32c.hex(actual) + ")");
    }
    List<SectionEntry> entries = new ArrayList<>();
    Set<Integer> kinds = new HashSet<>();
    for (int i = 0; i < h.sectionCount(); i++) {
      long at = SegmentFormat.HEADER_BYTES + (long) i * SegmentFormat.SECTION_ENTRY_BYTES;
      SectionEntry e = new SectionEntry(whole.get(INT, at), whole.get(LONG, at + 8), whole.get(LONG, at + 16),
          whole.get(INT, at + 24));
      String name = SegmentFormat.sectionName(e.kind());
      if (!SegmentFormat.isKnownKind(h.formatVersion(), e.kind())) {
        throw new CorruptSegmentException(file, name, "unknown section kind " + e.kind() + " in format version "
            + h.formatVersion());
      }
      if (!kinds.add(e.kind())) {
        throw new CorruptSegmentException(file, name, "appears twice in the section table");
      }
      if (e.offset() % SegmentFormat.ALIGNMENT != 0 || e.offset() < tableEnd) {
        throw new CorruptSegmentException(file, name, "offset " + e.offset() + " is not a multiple of "
            + SegmentFormat.ALIGNMENT + " after the section table (which ends at " + tableEnd + ")");
      }
      if (e.length() < 0 || e.length() > h.fileLength() - e.offset()) {
        throw new CorruptSegmentException(file, name, "bytes [" + e.offset() + ", " + e.offset() + " + " + e.length()
            + ") outside the file of " + h.fileLength() + " bytes");
      }
      entries.add(e);
    }
    checkPacking(file, whole, entries, tableEnd, h.fileLength());
    return entries;
  }

  /**
   * Sections must follow each other in offset order with only zero padding between them (as the
   * writer lays them out), so that every byte of the file is covered by a checksum or known to
   * be zero: no flipped bit anywhere goes unnoticed.
   */
  private static void checkPacking(Path file, MemorySegment whole, List<SectionEntry> entries, long tableEnd,
                                   long fileLength) throws CorruptSegmentException {
    List<SectionEntry> byOffset = new ArrayList<>(entries);
    byOffset.sort(Comparator.comparingLong(SectionEntry::offset));
    long prevEnd = tableEnd;
    String prevName = "section table";
    for (SectionEntry e : byOffset) {
      String name = SegmentFormat.sectionName(e.kind());
      if (e.offset() < prevEnd) {
        throw new CorruptSegmentException(file, name, "overlaps " + prevName);
      }
      if (e.offset() != SegmentFormat.align(prevEnd)) {
        throw new CorruptSegmentException(file, name, "starts at " + e.offset() + ", expected "
            + SegmentFormat.align(prevEnd) + " (sections are packed, 64-byte aligned)");
      }
      checkZero(file, whole, prevEnd, e.offset(), prevName);
      prevEnd = e.end();
      prevName = name;
    }
    if (prevEnd != fileLength) {
      throw new CorruptSegmentException(file, null, "the last section ends at " + prevEnd + ", file length is " + fileLength);
    }
  }

  private static void checkZero(Path file, MemorySegment whole, long from, long to, String after)
      throws CorruptSegmentException {
    for (long i = from; i < to; i++) {
      if (whole.get(ValueLayout.JAVA_BYTE, i) != 0) {
        throw new CorruptSegmentException(file, after,
            "padding byte at " + i + " after it is not zero");
      }
    }
  }

  /** Checks the CRC32C of section {@code e} (named {@code name} in the error) over its {@code slice}. */
  static void checkCrc(Path file, String name, SectionEntry e, MemorySegment slice) throws CorruptSegmentException {
    int actual = Crc32c.of(slice);
    if (actual != e.crc32c()) {
      throw new CorruptSegmentException(file, name, "checksum mismatch (expected " + Crc32c.hex(e.crc32c())
          + ", got " + Crc32c.hex(actual) + ")");
    }
  }
}
