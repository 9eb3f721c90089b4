package io.vecgate.engine.segment;

import io.vecgate.engine.column.ColumnDescriptor;
import io.vecgate.engine.column.ColumnReader;
import io.vecgate.engine.column.ColumnType;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.index.PartKind;
import io.vecgate.engine.vector.Metric;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The checked structure of a mapped segment file: header, section slices and column directory.
 * {@link #parse} checks everything that does not depend on an index type's own layout: magic,
 * version, header and table checksums, bounds, alignment and overlap of sections, every
 * section's checksum, the sections the index type needs, and the sizes of ids and vectors.
 */
record SegmentLayout(SegmentHeader header, Map<Integer, MemorySegment> sections, List<ColumnDescriptor> columns) {

  private static final ValueLayout.OfInt INT = ColumnReader.INT_LE;
  private static final ValueLayout.OfLong LONG = ColumnReader.LONG_LE;

  static SegmentLayout parse(Path file, MemorySegment whole) throws CorruptSegmentException {
    long size = whole.byteSize();
    if (size < SegmentFormat.HEADER_BYTES) {
      throw new CorruptSegmentException(file, null, "truncated: file is " + size
          + " bytes, the header alone needs " + SegmentFormat.HEADER_BYTES);
    }
    SegmentHeader h = header(file, whole);
    List<SectionEntry> entries = table(file, whole, h);
    Map<Integer, MemorySegment> slices = new LinkedHashMap<>();
    for (SectionEntry e : entries) {
      slices.put(e.kind(), whole.asSlice(e.offset(), e.length()));
    }
    // The directory first, so that the other checksum errors can name their column.
    SectionEntry dirEntry = entries.stream().filter(e -> e.kind() == SegmentFormat.COLUMN_DIRECTORY).findFirst()
        .orElseThrow(() -> new CorruptSegmentException(file, "COLUMNS", "section is missing"));
    checkCrc(file, "COLUMNS", dirEntry, slices.get(SegmentFormat.COLUMN_DIRECTORY));
    List<ColumnDescriptor> columns = directory(file, slices.get(SegmentFormat.COLUMN_DIRECTORY));
    for (SectionEntry e : entries) {
      if (e.kind() != SegmentFormat.COLUMN_DIRECTORY) {
        checkCrc(file, name(e.kind(), columns), e, slices.get(e.kind()));
      }
    }
    checkPresence(file, h, slices, columns);
    return new SegmentLayout(h, slices, columns);
  }

  /** A section's name for messages, with the column's own name when it is known. */
  static String name(int kind, List<ColumnDescriptor> columns) {
    int col = kind - SegmentFormat.COLUMN_BASE;
    if (col >= 0 && col < columns.size()) {
      return "COLUMN " + columns.get(col).name();
    }
    return SegmentFormat.sectionName(kind);
  }

  private static SegmentHeader header(Path file, MemorySegment whole) throws CorruptSegmentException {
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
    CRC32C crc = new CRC32C();
    crc.update(whole.asSlice(0, SegmentFormat.HEADER_CRC_OFFSET).asByteBuffer());
    int stored = whole.get(INT, SegmentFormat.HEADER_CRC_OFFSET);
    if ((int) crc.getValue() != stored) {
      throw new CorruptSegmentException(file, "header", "checksum mismatch (expected " + Crc32c.hex(stored)
          + ", got " + Crc32c.hex((int) crc.getValue()) + ")");
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

  private static List<SectionEntry> table(Path file, MemorySegment whole, SegmentHeader h) throws CorruptSegmentException {
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
      if (!SegmentFormat.isKnownKind(e.kind())) {
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

  private static void checkCrc(Path file, String name, SectionEntry e, MemorySegment slice) throws CorruptSegmentException {
    int actual = Crc32c.of(slice);
    if (actual != e.crc32c()) {
      throw new CorruptSegmentException(file, name, "checksum mismatch (expected " + Crc32c.hex(e.crc32c())
          + ", got " + Crc32c.hex(actual) + ")");
    }
  }

  private static List<ColumnDescriptor> directory(Path file, MemorySegment dir) throws CorruptSegmentException {
    ByteBuffer b = ByteBuffer.wrap(dir.toArray(ValueLayout.JAVA_BYTE)).order(ByteOrder.LITTLE_ENDIAN);
    List<ColumnDescriptor> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    try {
      int count = b.getInt();
      if (count < 0 || count > SegmentFormat.MAX_COLUMNS) {
        throw new CorruptSegmentException(file, "COLUMNS", "column count " + count + " outside [0, "
            + SegmentFormat.MAX_COLUMNS + "]");
      }
      for (int i = 0; i < count; i++) {
        int typeId = b.getInt();
        ColumnType type = ColumnType.byId(typeId);
        int len = b.getInt();
        if (type == null || len <= 0 || len > b.remaining()) {
          throw new CorruptSegmentException(file, "COLUMNS", "column " + i + " has type id " + typeId
              + " and name length " + len);
        }
        byte[] raw = new byte[len];
        b.get(raw);
        String name = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw)).toString();
        if (!names.add(name)) {
          throw new CorruptSegmentException(file, "COLUMNS", "column '" + name + "' appears twice");
        }
        out.add(new ColumnDescriptor(name, type));
      }
    } catch (BufferUnderflowException | CharacterCodingException e) {
      throw new CorruptSegmentException(file, "COLUMNS", "malformed column directory", e);
    }
    if (b.hasRemaining()) {
      throw new CorruptSegmentException(file, "COLUMNS", b.remaining() + " bytes after the last column");
    }
    return out;
  }

  private static void checkPresence(Path file, SegmentHeader h, Map<Integer, MemorySegment> slices,
                                    List<ColumnDescriptor> columns) throws CorruptSegmentException {
    Set<PartKind> need = SegmentFormat.requiredParts(h.indexType());
    need.add(PartKind.PARAMS);
    for (PartKind k : need) {
      if (!slices.containsKey(k.id())) {
        throw new CorruptSegmentException(file, k.name(), "section is missing (a " + h.indexType() + " index needs "
            + need + ")");
      }
    }
    MemorySegment ids = slices.get(SegmentFormat.IDS);
    if (ids == null) {
      throw new CorruptSegmentException(file, "IDS", "section is missing");
    }
    if (ids.byteSize() != h.docCount() * Long.BYTES) {
      throw new CorruptSegmentException(file, "IDS", ids.byteSize() + " bytes for " + h.docCount() + " documents");
    }
    long vectorBytes = h.docCount() * h.dimension() * Float.BYTES;
    if (slices.get(PartKind.VECTORS.id()).byteSize() != vectorBytes) {
      throw new CorruptSegmentException(file, "VECTORS", slices.get(PartKind.VECTORS.id()).byteSize() + " bytes for "
          + h.docCount() + " vectors of dimension " + h.dimension() + " (" + vectorBytes + " expected)");
    }
    for (int kind : slices.keySet()) {
      int col = kind - SegmentFormat.COLUMN_BASE;
      if (col >= columns.size()) {
        throw new CorruptSegmentException(file, SegmentFormat.sectionName(kind), "no such column in the directory of "
            + columns.size());
      }
    }
    for (int i = 0; i < columns.size(); i++) {
      if (!slices.containsKey(SegmentFormat.COLUMN_BASE + i)) {
        throw new CorruptSegmentException(file, "COLUMN " + columns.get(i).name(), "section is missing");
      }
    }
  }
}
