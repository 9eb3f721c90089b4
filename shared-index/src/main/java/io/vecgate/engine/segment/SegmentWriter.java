package io.vecgate.engine.segment;

import io.vecgate.engine.column.ColumnCodec;
import io.vecgate.engine.column.ColumnDescriptor;
import io.vecgate.engine.column.ColumnReader;
import io.vecgate.engine.column.ColumnValues;
import io.vecgate.engine.index.BuiltIndex;
import io.vecgate.engine.index.PartKind;
import io.vecgate.engine.index.VectorIndex;
import io.vecgate.files.AtomicFiles;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Writes a segment file (layout in {@link SegmentFormat}) from freshly built indexes, one per
 * vector field, their ids and scalar columns, publishing it atomically with {@link AtomicFiles}.
 * Ids and column values come by input row and are stored by ordinal, through the
 * {@link BuiltIndex#order()} of field 0; the indexes of the other fields keep their own order and
 * get the maps to the segment's.
 */
public final class SegmentWriter {

  private SegmentWriter() {}

  /**
   * A vector field to write: its name and its index, built over the same input rows as the
   * other fields.
   */
  public record VectorField(String name, BuiltIndex built) {}

  /**
   * Writes {@code file} with one vector field named {@link SegmentFormat#DEFAULT_FIELD}.
   *
   * @see #write(Path, List, long[], List)
   */
  public static WrittenSegment write(Path file, BuiltIndex built, long[] ids, List<? extends ColumnValues> columns)
      throws IOException {
    return write(file, List.of(new VectorField(SegmentFormat.DEFAULT_FIELD, built)), ids, columns);
  }

  /**
   * Writes {@code file}.
   *
   * @param fields the vector fields, at least one; field 0's order ({@code order[ordinal]} =
   *     input row) becomes the segment's
   * @param ids the id of each input row (not checked for uniqueness)
   * @param columns scalar columns, each with one value per input row; names must be distinct
   * @return the size and whole-file CRC32C, for the manifest
   * @throws IllegalArgumentException when lengths disagree, an order is not a permutation, or names repeat
   */
  public static WrittenSegment write(Path file, List<VectorField> fields, long[] ids, List<? extends ColumnValues> columns)
      throws IOException {
    if (fields.isEmpty() || fields.size() > SegmentFormat.MAX_VECTOR_FIELDS) {
      throw new IllegalArgumentException("expected 1 to " + SegmentFormat.MAX_VECTOR_FIELDS + " vector fields, got "
          + fields.size());
    }
    int n = fields.getFirst().built().index().size();
    checkInputs(fields, ids, columns, n);
    try (Arena arena = Arena.ofConfined()) {
      List<Section> sections = sections(fields, ids, columns, n, arena);
      long[] crcOut = new long[1];
      long size = layoutAndWrite(file, fields.getFirst().built().index(), n, sections, crcOut);
      return new WrittenSegment(file, size, crcOut[0], n);
    }
  }

  /** A section to write: its kind and bytes. */
  private record Section(int kind, MemorySegment data) {}

  private static void checkInputs(List<VectorField> fields, long[] ids, List<? extends ColumnValues> columns, int n) {
    Set<String> fieldNames = new HashSet<>();
    for (VectorField f : fields) {
      byte[] name = f.name().getBytes(StandardCharsets.UTF_8);
      if (name.length == 0 || name.length > SegmentFormat.MAX_FIELD_NAME_BYTES || !fieldNames.add(f.name())) {
        throw new IllegalArgumentException("vector field names must be distinct and 1 to "
            + SegmentFormat.MAX_FIELD_NAME_BYTES + " bytes long, got '" + f.name() + "'");
      }
      BuiltIndex built = f.built();
      if (built.index().size() != n) {
        throw new IllegalArgumentException("field '" + f.name() + "' has " + built.index().size() + " vectors, field '"
            + fields.getFirst().name() + "' has " + n);
      }
      if (built.order().length != n) {
        throw new IllegalArgumentException("order of field '" + f.name() + "' has " + built.order().length
            + " entries, index has " + n + " vectors");
      }
      boolean[] seen = new boolean[n];
      for (int row : built.order()) {
        if (row < 0 || row >= n || seen[row]) {
          throw new IllegalArgumentException("order of field '" + f.name() + "' is not a permutation of [0, " + n
              + "): row " + row);
        }
        seen[row] = true;
      }
    }
    if (ids.length != n) {
      throw new IllegalArgumentException("got " + ids.length + " ids for " + n + " vectors");
    }
    if (columns.size() > SegmentFormat.MAX_COLUMNS) {
      throw new IllegalArgumentException("at most " + SegmentFormat.MAX_COLUMNS + " columns, got " + columns.size());
    }
    Set<String> names = new HashSet<>();
    for (ColumnValues c : columns) {
      if (!names.add(c.descriptor().name())) {
        throw new IllegalArgumentException("column '" + c.descriptor().name() + "' is given twice");
      }
      if (c.size() != n) {
        throw new IllegalArgumentException("column '" + c.descriptor().name() + "' has " + c.size()
            + " values for " + n + " vectors");
      }
    }
  }

  private static List<Section> sections(List<VectorField> fields, long[] ids, List<? extends ColumnValues> columns,
                                        int n, Arena arena) {
    int[] order = fields.getFirst().built().order();
    // The segment ordinal of each input row, to map the other fields' orders onto the segment's.
    int[] ordinalOfRow = new int[n];
    for (int o = 0; o < n; o++) {
      ordinalOfRow[order[o]] = o;
    }
    List<Section> out = new ArrayList<>();
    List<int[]> maps = new ArrayList<>();
    for (VectorField f : fields) {
      int[] toSegment = new int[n];
      boolean same = true;
      for (int i = 0; i < n; i++) {
        toSegment[i] = ordinalOfRow[f.built().order()[i]];
        same &= toSegment[i] == i;
      }
      maps.add(same ? null : toSegment);
    }
    out.add(new Section(SegmentFormat.VECTOR_FIELDS, vectorFields(fields, maps)));
    for (int f = 0; f < fields.size(); f++) {
      final int field = f;
      VectorIndex index = fields.get(f).built().index();
      Map<PartKind, MemorySegment> parts = index.parts().asMap();
      if (!parts.containsKey(PartKind.PARAMS)) {
        // The reader needs the build parameters to reopen the index; FLAT (for one) does not emit them.
        out.add(new Section(SegmentFormat.fieldKind(f, PartKind.PARAMS.id()), MemorySegment.ofArray(index.params().encode())));
      }
      parts.entrySet().stream()
          .sorted(Comparator.comparingInt(e -> e.getKey().id()))
          .forEach(e -> out.add(new Section(SegmentFormat.fieldKind(field, e.getKey().id()), e.getValue())));
      int[] toSegment = maps.get(f);
      if (toSegment != null) {
        int[] toIndex = new int[n];
        for (int i = 0; i < n; i++) {
          toIndex[toSegment[i]] = i;
        }
        out.add(new Section(SegmentFormat.fieldKind(f, SegmentFormat.FIELD_ORDER), ints(toSegment, arena)));
        out.add(new Section(SegmentFormat.fieldKind(f, SegmentFormat.FIELD_POSITIONS), ints(toIndex, arena)));
      }
    }
    out.add(new Section(SegmentFormat.IDS, ColumnCodec.encodeLongs(ids, order, arena)));
    out.add(new Section(SegmentFormat.COLUMN_DIRECTORY, directory(columns)));
    for (int i = 0; i < columns.size(); i++) {
      out.add(new Section(SegmentFormat.COLUMN_BASE + i, ColumnCodec.encode(columns.get(i), order, arena)));
    }
    return out;
  }

  private static MemorySegment ints(int[] values, Arena arena) {
    MemorySegment s = arena.allocate(Math.max(1, (long) values.length * Integer.BYTES), SegmentFormat.ALIGNMENT)
        .asSlice(0, (long) values.length * Integer.BYTES);
    for (int i = 0; i < values.length; i++) {
      s.setAtIndex(ColumnReader.INT_LE, i, values[i]);
    }
    return s;
  }

  private static MemorySegment vectorFields(List<VectorField> fields, List<int[]> maps) {
    List<byte[]> names = new ArrayList<>();
    int size = Integer.BYTES;
    for (VectorField f : fields) {
      byte[] name = f.name().getBytes(StandardCharsets.UTF_8);
      names.add(name);
      size += 5 * Integer.BYTES + name.length;
    }
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(fields.size());
    for (int i = 0; i < fields.size(); i++) {
      VectorIndex index = fields.get(i).built().index();
      b.putInt(index.dimension())
          .putInt(SegmentFormat.metricId(index.metric()))
          .putInt(SegmentFormat.indexTypeId(index.type()))
          .putInt(maps.get(i) == null ? 0 : SegmentFormat.FIELD_REMAPPED)
          .putInt(names.get(i).length).put(names.get(i));
    }
    return MemorySegment.ofArray(b.array());
  }

  private static MemorySegment directory(List<? extends ColumnValues> columns) {
    List<byte[]> names = new ArrayList<>();
    int size = Integer.BYTES;
    for (ColumnValues c : columns) {
      byte[] name = c.descriptor().name().getBytes(StandardCharsets.UTF_8);
      names.add(name);
      size += 2 * Integer.BYTES + name.length;
    }
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      ColumnDescriptor d = columns.get(i).descriptor();
      b.putInt(d.type().id()).putInt(names.get(i).length).put(names.get(i));
    }
    return MemorySegment.ofArray(b.array());
  }

  private static long layoutAndWrite(Path file, VectorIndex index, int n, List<Section> sections, long[] crcOut)
      throws IOException {
    int count = sections.size();
    long tableEnd = SegmentFormat.HEADER_BYTES + (long) count * SegmentFormat.SECTION_ENTRY_BYTES;
    ByteBuffer table = ByteBuffer.allocate(count * SegmentFormat.SECTION_ENTRY_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    long[] offsets = new long[count];
    long pos = SegmentFormat.align(tableEnd);
    for (int i = 0; i < count; i++) {
      Section s = sections.get(i);
      offsets[i] = pos;
      table.putInt(s.kind()).putInt(0).putLong(pos).putLong(s.data().byteSize())
          .putInt(Crc32c.of(s.data())).putInt(0);
      pos = SegmentFormat.align(pos + s.data().byteSize());
    }
    long fileLength = count == 0 ? tableEnd : offsets[count - 1] + sections.get(count - 1).data().byteSize();
    ByteBuffer header = ByteBuffer.allocate(SegmentFormat.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(SegmentFormat.MAGIC)
        .putInt(SegmentFormat.CURRENT_VERSION)
        .putInt(index.dimension())
        .putInt(SegmentFormat.metricId(index.metric()))
        .putInt(SegmentFormat.indexTypeId(index.type()))
        .putInt(count)
        .putLong(n)
        .putLong(fileLength)
        .putInt(Crc32c.of(MemorySegment.ofArray(table.array())));
    CRC32C headerCrc = new CRC32C();
    headerCrc.update(header.array(), 0, SegmentFormat.HEADER_CRC_OFFSET);
    header.putInt(SegmentFormat.HEADER_CRC_OFFSET, (int) headerCrc.getValue());

    AtomicFiles.write(file, ch -> {
      CRC32C whole = new CRC32C();
      writeFully(ch, MemorySegment.ofArray(header.array()), whole);
      writeFully(ch, MemorySegment.ofArray(table.array()), whole);
      long at = tableEnd;
      for (int i = 0; i < count; i++) {
        at = pad(ch, at, offsets[i], whole);
        MemorySegment data = sections.get(i).data();
        writeFully(ch, data, whole);
        at += data.byteSize();
      }
      crcOut[0] = whole.getValue();
    });
    return fileLength;
  }

  private static long pad(FileChannel ch, long at, long to, CRC32C crc) throws IOException {
    if (to > at) {
      writeFully(ch, MemorySegment.ofArray(new byte[(int) (to - at)]), crc);
    }
    return to;
  }

  /** Writes all of {@code data} in chunks below the 2 GiB limit of a ByteBuffer. */
  private static void writeFully(FileChannel ch, MemorySegment data, CRC32C crc) throws IOException {
    long size = data.byteSize();
    for (long off = 0; off < size; off += Crc32c.CHUNK) {
      ByteBuffer b = data.asSlice(off, Math.min(Crc32c.CHUNK, size - off)).asByteBuffer();
      crc.update(b.duplicate());
      while (b.hasRemaining()) {
        ch.write(b);
      }
    }
  }
}
