package io.vecgate.engine.segment;

import io.vecgate.engine.column.ColumnDescriptor;
import io.vecgate.engine.column.ColumnReader;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.index.PartKind;
import io.vecgate.engine.vector.Metric;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checked structure of a mapped segment file: header, section slices, column directory and
 * vector field directory. {@link #parse} checks everything that does not depend on an index
 * type's own layout: magic, version, header and table checksums, bounds, alignment and overlap
 * of sections, every section's checksum, the sections each field's index type needs, the sizes
 * of ids, vectors and ordinal maps, and that the maps are inverse permutations. The header is
 * read by {@link SegmentHeader#read}, the section table by {@link SectionTable}, the directories
 * by {@link SegmentDirectories}; what needs all of them together is checked here.
 */
record SegmentLayout(SegmentHeader header, Map<Integer, MemorySegment> sections, List<ColumnDescriptor> columns,
                     List<VectorFieldEntry> vectorFields) {

  private static final ValueLayout.OfInt INT = ColumnReader.INT_LE;

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

  /** Reads and checks the structure of the mapped file {@code whole}; a failure names the file and the section. */
  static SegmentLayout parse(Path file, MemorySegment whole) throws CorruptSegmentException {
    long size = whole.byteSize();
    if (size < SegmentFormat.HEADER_BYTES) {
      throw new CorruptSegmentException(file, null, "truncated: file is " + size
          + " bytes, the header alone needs " + SegmentFormat.HEADER_BYTES);
    }
    SegmentHeader h = SegmentHeader.read(file, whole);
    List<SectionEntry> entries = SectionTable.read(file, whole, h);
    Map<Integer, MemorySegment> slices = new LinkedHashMap<>();
    for (SectionEntry e : entries) {
      slices.put(e.kind(), whole.asSlice(e.offset(), e.length()));
    }
    // The directories first, so that the other checksum errors can name their column or field.
    SectionEntry dirEntry = entry(file, entries, SegmentFormat.COLUMN_DIRECTORY);
    SectionTable.checkCrc(file, "COLUMNS", dirEntry, slices.get(SegmentFormat.COLUMN_DIRECTORY));
    List<ColumnDescriptor> columns = SegmentDirectories.columns(file, slices.get(SegmentFormat.COLUMN_DIRECTORY));
    List<VectorFieldEntry> fields;
    if (h.formatVersion() == SegmentFormat.VERSION_1) {
      fields = List.of(new VectorFieldEntry("", h.dimension(), h.metric(), h.indexType(), false));
    } else {
      SectionEntry fieldsEntry = entry(file, entries, SegmentFormat.VECTOR_FIELDS);
      SectionTable.checkCrc(file, "VECTOR_FIELDS", fieldsEntry, slices.get(SegmentFormat.VECTOR_FIELDS));
      fields = SegmentDirectories.vectorFields(file, slices.get(SegmentFormat.VECTOR_FIELDS), h);
    }
    for (SectionEntry e : entries) {
      if (e.kind() != SegmentFormat.COLUMN_DIRECTORY && e.kind() != SegmentFormat.VECTOR_FIELDS) {
        SectionTable.checkCrc(file, name(e.kind(), columns, fields), e, slices.get(e.kind()));
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
