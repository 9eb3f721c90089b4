package io.vecgate.engine.segment;

import io.vecgate.engine.column.ColumnDescriptor;
import io.vecgate.engine.column.ColumnType;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.segment.SegmentLayout.VectorFieldEntry;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The two directories of a segment file, the scalar columns and the vector fields, checked on open. */
final class SegmentDirectories {

  private SegmentDirectories() {}

  /** Reads and checks the COLUMNS section: a count, then each column's type and unique UTF-8 name. */
  static List<ColumnDescriptor> columns(Path file, MemorySegment dir) throws CorruptSegmentException {
    ByteBuffer b = littleEndian(dir);
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
        String name = uniqueName(file, "COLUMNS", "column", b, len, names);
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

  /**
   * Reads and checks the VECTOR_FIELDS section: a count, then each field's dimension, metric,
   * index type, flags and unique UTF-8 name; field 0 must be the header's own.
   */
  static List<VectorFieldEntry> vectorFields(Path file, MemorySegment dir, SegmentHeader h)
      throws CorruptSegmentException {
    ByteBuffer b = littleEndian(dir);
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
        String name = uniqueName(file, "VECTOR_FIELDS", "field", b, len, names);
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

  private static ByteBuffer littleEndian(MemorySegment dir) {
    return ByteBuffer.wrap(dir.toArray(ValueLayout.JAVA_BYTE)).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The next {@code len} bytes of {@code b} as UTF-8, refused when {@code names} already has it. */
  private static String uniqueName(Path file, String section, String what, ByteBuffer b, int len, Set<String> names)
      throws CorruptSegmentException, CharacterCodingException {
    byte[] raw = new byte[len];
    b.get(raw);
    String name = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw)).toString();
    if (!names.add(name)) {
      throw new CorruptSegmentException(file, section, what + " '" + name + "' appears twice");
    }
    return name;
  }
}
