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
 * The checked structure of a mapped segment file: header, section slices, column directory and
 * vector field directory. {@link #parse} checks everything that does not depend on an index
 * type's own layout: magic, version, header and table checksums, bounds, alignment and overlap
 * of sections, every section's checksum, the sections each field's index type needs, the sizes
 * of ids, vectors and ordinal maps, and that the maps are inverse permutations.
 */
record SegmentLayout(SegmentHeader header, Map<Integer, MemorySegment> sections, List<ColumnDescriptor> columns,
                     List<VectorFieldEntry> vectorFields) {

  /**
   * One vector field as the file describes it.
   *
   * @param name the field's name; empty for the one field of a version-1 file
   * @param remapped whether its index has ORDER and POSITIONS sections
   */
  record VectorFieldEntry(String name, int dimension, Metric metric, IndexType indexType, boolean remapped) {}

  /** The slice of index part {@code part} of vector field {@code field}, or null. */
  MemorySegment part(int field, PartKind part) {
    return sections.get(SegmentFormat.partKind(header.formatVersion(), field, part));
  }

  /** The slice of field section {@code part} ({@link SegmentFormat#FIELD_ORDER} or POSITIONS) of {@code field}, or null. */
  MemorySegment fieldSection(int field, int part) {
    return sections.get(SegmentFormat.fieldKind(field, part));
  }

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
    // The directories first, so that the other checksum errors can name their column or field.
    SectionEntry dirEntry = entry(file, entries, SegmentFormat.COLUMN_DIRECTORY);
    checkCrc(file, "COLUMNS", dirEntry, slices.get(SegmentFormat.COLUMN_DIRECTORY));
    List<ColumnDescriptor> columns = directory(file, slices.get(SegmentFormat.COLUMN_DIRECTORY));
    List<VectorFieldEntry> fields;
    if (h.formatVersion() == SegmentFormat.VERSION_1) {
      fields = List.of(new VectorFieldEntry("", h.dimension(), h.metric(), h.indexType(), false));
    } else {
      SectionEntry fieldsEntry = entry(file, entries, SegmentFormat.VECTOR_FIELDS);
      checkCrc(file, "VECTOR_FIELDS", fieldsEntry, slices.get(SegmentFormat.VECTOR_FIELDS));
      fields = vectorFields(file, slices.get(SegmentFormat.VECTOR_FIELDS), h);
    }
    for (SectionEntry e : entries) {
      if (e.kind() != SegmentFormat.COLUMN_DIRECTORY && e.kind() != SegmentFormat.VECTOR_FIELDS) {
        checkCrc(file, name(e.kind(), columns, fields), e, slices.get(e.kind()));
      }
    }
    SegmentLayout layout = new SegmentLayout(h, slices, columns, fields);
    layout.checkPresence(file);
    return layout;
  }

  private static SectionEntry entry(Path file, List<SectionEntry> entries, int kind) throws CorruptSegmentException {
    for (SectionEntry e : entries) {
      if (e.kind() == kind) {
        return e;
      }
    }
    throw new CorruptSegmentException(file, SegmentFormat.sectionName(kind), "section is missing");
  }

  /** A section's name for messages, with the column's or vector field's own name when it is known. */
  static String name(int kind, List<ColumnDescriptor> columns, List<VectorFieldEntry> fields) {
    int col = kind - SegmentFormat.COLUMN_BASE;
    if (col >= 0 && col < columns.size()) {
      return "COLUMN " + columns.get(col).name();
    }
    int field = SegmentFormat.fieldOf(kind);
    if (field >= 0 && field < fields.size()) {
      return "FIELD " + fields.get(field).name() + " "
          + SegmentFormat.partName((kind - SegmentFormat.FIELD_BASE) % SegmentFormat.FIELD_STRIDE);
    }
    return SegmentFormat.sectionName(kind);
  }

  /** The name of index part {@code part} of {@code field} for messages: the bare part name in version 1. */
  private String partName(int field, PartKind part) {
    return name(SegmentFormat.partKind(header.formatVersion(), field, part), columns, vectorFields);
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

  private static List<VectorFieldEntry> vectorFields(Path file, MemorySegment dir, SegmentHeader h)
      throws CorruptSegmentException {
    ByteBuffer b = ByteBuffer.wrap(dir.toArray(ValueLayout.JAVA_BYTE)).order(ByteOrder.LITTLE_ENDIAN);
    List<VectorFieldEntry> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    try {
      int count = b.getInt();
      if (count < 1 || count > SegmentFormat.MAX_VECTOR_FIELDS) {
        throw new CorruptSegmentException(file, "VECTOR_FIELDS", "field count " + count + " outside [1, "
            + SegmentFormat.MAX_VECTOR_FIELDS + "]");
      }
      for (int i = 0; i < count; i++) {
        int dimension = b.getInt();
        int metricId = b.getInt();
        int typeId = b.getInt();
        int flags = b.getInt();
        int len = b.getInt();
        Metric metric = SegmentFormat.metricById(metricId);
        IndexType type = SegmentFormat.indexTypeById(typeId);
        if (dimension < 1 || metric == null || type == null || (flags & ~SegmentFormat.FIELD_REMAPPED) != 0
            || len <= 0 || len > SegmentFormat.MAX_FIELD_NAME_BYTES || len > b.remaining()) {
          throw new CorruptSegmentException(file, "VECTOR_FIELDS", "field " + i + " has dimension " + dimension
              + ", metric id " + metricId + ", index type id " + typeId + ", flags " + flags + " and name length " + len);
        }
        byte[] raw = new byte[len];
        b.get(raw);
        String name = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw)).toString();
        if (!names.add(name)) {
          throw new CorruptSegmentException(file, "VECTOR_FIELDS", "field '" + name + "' appears twice");
        }
        out.add(new VectorFieldEntry(name, dimension, metric, type, (flags & SegmentFormat.FIELD_REMAPPED) != 0));
      }
    } catch (BufferUnderflowException | CharacterCodingException e) {
      throw new CorruptSegmentException(file, "VECTOR_FIELDS", "malformed vector field directory", e);
    }
    if (b.hasRemaining()) {
      throw new CorruptSegmentException(file, "VECTOR_FIELDS", b.remaining() + " bytes after the last field");
    }
    VectorFieldEntry first = out.getFirst();
    if (first.remapped() || first.dimension() != h.dimension() || first.metric() != h.metric()
        || first.indexType() != h.indexType()) {
      throw new CorruptSegmentException(file, "VECTOR_FIELDS", "field 0 '" + first.name() + "' (dimension "
          + first.dimension() + ", " + first.metric() + ", " + first.indexType() + (first.remapped() ? ", remapped" : "")
          + ") must be the header's (dimension " + h.dimension() + ", " + h.metric() + ", " + h.indexType()
          + ") and not remapped");
    }
    return out;
  }

  private void checkPresence(Path file) throws CorruptSegmentException {
    long docs = header.docCount();
    for (int kind : sections.keySet()) {
      int col = kind - SegmentFormat.COLUMN_BASE;
      if (kind < SegmentFormat.FIELD_BASE && col >= columns.size()) {
        throw new CorruptSegmentException(file, SegmentFormat.sectionName(kind), "no such column in the directory of "
            + columns.size());
      }
      int field = SegmentFormat.fieldOf(kind);
      if (field >= vectorFields.size()) {
        throw new CorruptSegmentException(file, SegmentFormat.sectionName(kind), "no such vector field in the directory of "
            + vectorFields.size());
      }
    }
    for (int f = 0; f < vectorFields.size(); f++) {
      VectorFieldEntry field = vectorFields.get(f);
      Set<PartKind> need = SegmentFormat.requiredParts(field.indexType());
      need.add(PartKind.PARAMS);
      for (PartKind k : need) {
        if (part(f, k) == null) {
          throw new CorruptSegmentException(file, partName(f, k), "section is missing (a " + field.indexType()
              + " index needs " + need + ")");
        }
      }
      long vectorBytes = docs * field.dimension() * Float.BYTES;
      MemorySegment vectors = part(f, PartKind.VECTORS);
      if (vectors.byteSize() != vectorBytes) {
        throw new CorruptSegmentException(file, partName(f, PartKind.VECTORS), vectors.byteSize() + " bytes for "
            + docs + " vectors of dimension " + field.dimension() + " (" + vectorBytes + " expected)");
      }
      if (header.formatVersion() != SegmentFormat.VERSION_1) {
        checkMaps(file, f, field);
      }
    }
    MemorySegment ids = sections.get(SegmentFormat.IDS);
    if (ids == null) {
      throw new CorruptSegmentException(file, "IDS", "section is missing");
    }
    if (ids.byteSize() != docs * Long.BYTES) {
      throw new CorruptSegmentException(file, "IDS", ids.byteSize() + " bytes for " + docs + " documents");
    }
    for (int i = 0; i < columns.size(); i++) {
      if (!sections.containsKey(SegmentFormat.COLUMN_BASE + i)) {
        throw new CorruptSegmentException(file, "COLUMN " + columns.get(i).name(), "section is missing");
      }
    }
  }

  /**
   * A remapped field has ORDER and POSITIONS, each N int32, ORDER a permutation of the ordinals
   * and POSITIONS its inverse (a wrong map would return other documents' ids, so it fails here);
   * a field that is not remapped has neither.
   */
  private void checkMaps(Path file, int f, VectorFieldEntry field) throws CorruptSegmentException {
    MemorySegment order = fieldSection(f, SegmentFormat.FIELD_ORDER);
    MemorySegment positions = fieldSection(f, SegmentFormat.FIELD_POSITIONS);
    String orderName = name(SegmentFormat.fieldKind(f, SegmentFormat.FIELD_ORDER), columns, vectorFields);
    String positionsName = name(SegmentFormat.fieldKind(f, SegmentFormat.FIELD_POSITIONS), columns, vectorFields);
    if (!field.remapped()) {
      if (order != null || positions != null) {
        throw new CorruptSegmentException(file, order != null ? orderName : positionsName,
            "present, but the field is not remapped");
      }
      return;
    }
    int n = (int) header.docCount();
    for (String name : new String[] {orderName, positionsName}) {
      MemorySegment s = name.equals(orderName) ? order : positions;
      if (s == null) {
        throw new CorruptSegmentException(file, name, "section is missing (the field is remapped)");
      }
      if (s.byteSize() != (long) n * Integer.BYTES) {
        throw new CorruptSegmentException(file, name, s.byteSize() + " bytes for " + n + " documents");
      }
    }
    for (int i = 0; i < n; i++) {
      int ord = order.getAtIndex(INT, i);
      if (ord < 0 || ord >= n || positions.getAtIndex(INT, ord) != i) {
        throw new CorruptSegmentException(file, orderName, "entry " + i + " is " + ord
            + ", which is not a permutation inverse to " + positionsName);
      }
    }
  }
}
