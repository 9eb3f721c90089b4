package io.vecgate.engine.column;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Read access to one column over its section (usually a mapped file): value of each ordinal.
 * Reading after the segment is closed throws {@link IllegalStateException}.
 */
public sealed interface ColumnReader {

  ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  ValueLayout.OfDouble DOUBLE_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  ColumnDescriptor descriptor();

  /** Number of ordinals. */
  int size();

  default String name() {
    return descriptor().name();
  }

  default ColumnType type() {
    return descriptor().type();
  }

  /** The value of {@code ordinal} boxed (Integer, Long, Float, Double or String), for display and tests. */
  Object value(int ordinal);

  /** INT column. */
  record IntColumn(ColumnDescriptor descriptor, MemorySegment data, int size) implements ColumnReader {
    public int get(int ordinal) {
      return data.getAtIndex(INT_LE, ordinal);
    }

    public Object value(int ordinal) {
      return get(ordinal);
    }
  }

  /** LONG column (also the ids of a segment). */
  record LongColumn(ColumnDescriptor descriptor, MemorySegment data, int size) implements ColumnReader {
    public long get(int ordinal) {
      return data.getAtIndex(LONG_LE, ordinal);
    }

    public Object value(int ordinal) {
      return get(ordinal);
    }
  }

  /** FLOAT column. */
  record FloatColumn(ColumnDescriptor descriptor, MemorySegment data, int size) implements ColumnReader {
    public float get(int ordinal) {
      return data.getAtIndex(FLOAT_LE, ordinal);
    }

    public Object value(int ordinal) {
      return get(ordinal);
    }
  }

  /** DOUBLE column. */
  record DoubleColumn(ColumnDescriptor descriptor, MemorySegment data, int size) implements ColumnReader {
    public double get(int ordinal) {
      return data.getAtIndex(DOUBLE_LE, ordinal);
    }

    public Object value(int ordinal) {
      return get(ordinal);
    }
  }

  /**
   * KEYWORD column: {@code size + 1} int64 offsets, then UTF-8 bytes (validated on open, so
   * offsets are in bounds and non-decreasing).
   */
  record KeywordColumn(ColumnDescriptor descriptor, MemorySegment offsets, MemorySegment bytes, int size)
      implements ColumnReader {

    /** The UTF-8 bytes of {@code ordinal}'s value, without copying. */
    public MemorySegment bytes(int ordinal) {
      long start = offsets.getAtIndex(LONG_LE, ordinal);
      long end = offsets.getAtIndex(LONG_LE, ordinal + 1L);
      return bytes.asSlice(start, end - start);
    }

    public String get(int ordinal) {
      return new String(bytes(ordinal).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    public Object value(int ordinal) {
      return get(ordinal);
    }
  }
}
