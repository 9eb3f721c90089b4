package io.vecgate.engine.column;

/**
 * The values of one column by input row, as handed to the segment writer. There is no null:
 * write 0 for a missing number and the empty string for a missing keyword ({@code null} entries
 * of a keyword column are written as the empty string).
 */
public sealed interface ColumnValues {

  ColumnDescriptor descriptor();

  /** Number of rows. */
  int size();

  static ColumnValues ofInts(String name, int[] values) {
    return new Ints(new ColumnDescriptor(name, ColumnType.INT), values);
  }

  static ColumnValues ofLongs(String name, long[] values) {
    return new Longs(new ColumnDescriptor(name, ColumnType.LONG), values);
  }

  static ColumnValues ofFloats(String name, float[] values) {
    return new Floats(new ColumnDescriptor(name, ColumnType.FLOAT), values);
  }

  static ColumnValues ofDoubles(String name, double[] values) {
    return new Doubles(new ColumnDescriptor(name, ColumnType.DOUBLE), values);
  }

  static ColumnValues ofKeywords(String name, String[] values) {
    return new Keywords(new ColumnDescriptor(name, ColumnType.KEYWORD), values);
  }

  record Ints(ColumnDescriptor descriptor, int[] values) implements ColumnValues {
    public int size() {
      return values.length;
    }
  }

  record Longs(ColumnDescriptor descriptor, long[] values) implements ColumnValues {
    public int size() {
      return values.length;
    }
  }

  record Floats(ColumnDescriptor descriptor, float[] values) implements ColumnValues {
    public int size() {
      return values.length;
    }
  }

  record Doubles(ColumnDescriptor descriptor, double[] values) implements ColumnValues {
    public int size() {
      return values.length;
    }
  }

  record Keywords(ColumnDescriptor descriptor, String[] values) implements ColumnValues {
    public int size() {
      return values.length;
    }
  }
}
