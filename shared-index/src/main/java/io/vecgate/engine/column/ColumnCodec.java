package io.vecgate.engine.column;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Turns column values into section bytes (permuted into ordinal order) and sections back into
 * readers. The byte layout of each type is documented in {@code SegmentFormat}.
 */
public final class ColumnCodec {

  private ColumnCodec() {}

  /**
   * The section bytes of {@code values} in ordinal order: ordinal {@code i} gets input row
   * {@code order[i]}. Memory comes from {@code arena}.
   */
  public static MemorySegment encode(ColumnValues values, int[] order, Arena arena) {
    int n = order.length;
    return switch (values) {
      case ColumnValues.Ints v -> {
        MemorySegment s = arena.allocate(Math.max(1, (long) n * Integer.BYTES), 8).asSlice(0, (long) n * Integer.BYTES);
        for (int i = 0; i < n; i++) {
          s.setAtIndex(ColumnReader.INT_LE, i, v.values()[order[i]]);
        }
        yield s;
      }
      case ColumnValues.Longs v -> encodeLongs(v.values(), order, arena);
      case ColumnValues.Floats v -> {
        MemorySegment s = arena.allocate(Math.max(1, (long) n * Float.BYTES), 8).asSlice(0, (long) n * Float.BYTES);
        for (int i = 0; i < n; i++) {
          s.setAtIndex(ColumnReader.FLOAT_LE, i, v.values()[order[i]]);
        }
        yield s;
      }
      case ColumnValues.Doubles v -> {
        MemorySegment s = arena.allocate(Math.max(1, (long) n * Double.BYTES), 8).asSlice(0, (long) n * Double.BYTES);
        for (int i = 0; i < n; i++) {
          s.setAtIndex(ColumnReader.DOUBLE_LE, i, v.values()[order[i]]);
        }
        yield s;
      }
      case ColumnValues.Keywords v -> encodeKeywords(v.values(), order, arena);
    };
  }

  /** {@code values} permuted into ordinal order as int64 little-endian (also used for ids). */
  public static MemorySegment encodeLongs(long[] values, int[] order, Arena arena) {
    int n = order.length;
    MemorySegment s = arena.allocate(Math.max(1, (long) n * Long.BYTES), 8).asSlice(0, (long) n * Long.BYTES);
    for (int i = 0; i < n; i++) {
      s.setAtIndex(ColumnReader.LONG_LE, i, values[order[i]]);
    }
    return s;
  }

  private static MemorySegment encodeKeywords(String[] values, int[] order, Arena arena) {
    int n = order.length;
    byte[][] utf8 = new byte[n][];
    long total = 0;
    for (int i = 0; i < n; i++) {
      String v = values[order[i]];
      utf8[i] = v == null ? new byte[0] : v.getBytes(StandardCharsets.UTF_8);
      total += utf8[i].length;
    }
    long head = (n + 1L) * Long.BYTES;
    MemorySegment s = arena.allocate(head + total, 8);
    long pos = 0;
    for (int i = 0; i < n; i++) {
      s.setAtIndex(ColumnReader.LONG_LE, i, pos);
      MemorySegment.copy(utf8[i], 0, s, ValueLayout.JAVA_BYTE, head + pos, utf8[i].length);
      pos += utf8[i].length;
    }
    s.setAtIndex(ColumnReader.LONG_LE, n, pos);
    return s;
  }

  /**
   * A reader over a column section of {@code count} values, after checking that the section's
   * length fits the type (and, for keywords, that every offset is in bounds and non-decreasing,
   * so a corrupt offset can never be read as a slice outside the section).
   *
   * @throws IllegalArgumentException describing the first inconsistency
   */
  public static ColumnReader open(ColumnDescriptor d, MemorySegment section, int count) {
    ColumnType type = d.type();
    if (type != ColumnType.KEYWORD) {
      long want = (long) count * type.width();
      if (section.byteSize() != want) {
        throw new IllegalArgumentException(type + " column of " + count + " values needs " + want
            + " bytes, section has " + section.byteSize());
      }
      return switch (type) {
        case INT -> new ColumnReader.IntColumn(d, section, count);
        case LONG -> new ColumnReader.LongColumn(d, section, count);
        case FLOAT -> new ColumnReader.FloatColumn(d, section, count);
        case DOUBLE -> new ColumnReader.DoubleColumn(d, section, count);
        case KEYWORD -> throw new AssertionError();
      };
    }
    long head = (count + 1L) * Long.BYTES;
    if (section.byteSize() < head) {
      throw new IllegalArgumentException("keyword column of " + count + " values needs at least " + head
          + " bytes of offsets, section has " + section.byteSize());
    }
    MemorySegment offsets = section.asSlice(0, head);
    MemorySegment bytes = section.asSlice(head);
    long prev = 0;
    for (long i = 0; i <= count; i++) {
      long off = offsets.getAtIndex(ColumnReader.LONG_LE, i);
      if (off < prev || (i == 0 && off != 0)) {
        throw new IllegalArgumentException("keyword offset " + i + " is " + off + " after " + prev);
      }
      prev = off;
    }
    if (prev != bytes.byteSize()) {
      throw new IllegalArgumentException("keyword offsets end at " + prev + ", section holds " + bytes.byteSize() + " bytes");
    }
    return new ColumnReader.KeywordColumn(d, offsets, bytes, count);
  }
}
