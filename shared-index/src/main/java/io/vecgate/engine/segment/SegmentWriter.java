package io.vecgate.engine.segment;

import io.vecgate.engine.column.ColumnCodec;
import io.vecgate.engine.column.ColumnDescriptor;
import io.vecgate.engine.column.ColumnValues;
import io.vecgate.engine.index.BuiltIndex;
import io.vecgate.engine.index.PartKind;
import io.vecgate.engine.index.VectorIndex;
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
 * Writes a segment file (layout in {@link SegmentFormat}) from a freshly built index, its ids and
 * scalar columns, publishing it atomically with {@link AtomicFiles}. Ids and column values come
 * by input row and are stored by ordinal, through {@link BuiltIndex#order()}.
 */
public final class SegmentWriter {

  private SegmentWriter() {}

  /**
   * Writes {@code file}.
   *
   * @param built the index and its order ({@code order[ordinal]} = input row)
   * @param ids the id of each input row (not checked for uniqueness)
   * @param columns scalar columns, each with one value per input row; names must be distinct
   * @return the size and whole-file CRC32C, for the manifest
   * @throws IllegalArgumentException when lengths disagree, the order is not a permutation, or names repeat
   */
  public static WrittenSegment write(Path file, BuiltIndex built, long[] ids, List<? extends ColumnValues> columns)
      throws IOException {
    VectorIndex index = built.index();
    int n = index.size();
    checkInputs(built, ids, columns, n);
    try (Arena arena = Arena.ofConfined()) {
      List<Section> sections = sections(index, built.order(), ids, columns, arena);
      long[] crcOut = new long[1];
      long size = layoutAndWrite(file, index, n, sections, crcOut);
      return new WrittenSegment(file, size, crcOut[0], n);
    }
  }

  /** A section to write: its kind and bytes. */
  private record Section(int kind, MemorySegment data) {}

  private static void checkInputs(BuiltIndex built, long[] ids, List<? extends ColumnValues> columns, int n) {
    if (built.order().length != n) {
      throw new IllegalArgumentException("order has " + built.order().length + " entries, index has " + n + " vectors");
    }
    boolean[] seen = new boolean[n];
    for (int row : built.order()) {
      if (row < 0 || row >= n || seen[row]) {
        throw new IllegalArgumentException("order is not a permutation of [0, " + n + "): row " + row);
      }
      seen[row] = true;
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

  private static List<Section> sections(VectorIndex index, int[] order, long[] ids,
                                        List<? extends ColumnValues> columns, Arena arena) {
    List<Section> out = new ArrayList<>();
    Map<PartKind, MemorySegment> parts = index.parts().asMap();
    parts.entrySet().stream()
        .sorted(Comparator.comparingInt(e -> e.getKey().id()))
        .forEach(e -> out.add(new Section(e.getKey().id(), e.getValue())));
    if (!parts.containsKey(PartKind.PARAMS)) {
      // The reader needs the build parameters to reopen the index; FLAT (for one) does not emit them.
      out.add(0, new Section(PartKind.PARAMS.id(), MemorySegment.ofArray(index.params().encode())));
    }
    out.add(new Section(SegmentFormat.IDS, ColumnCodec.encodeLongs(ids, order, arena)));
    out.add(new Section(SegmentFormat.COLUMN_DIRECTORY, directory(columns)));
    for (int i = 0; i < columns.size(); i++) {
      out.add(new Section(SegmentFormat.COLUMN_BASE + i, ColumnCodec.encode(columns.get(i), order, arena)));
    }
    return out;
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
