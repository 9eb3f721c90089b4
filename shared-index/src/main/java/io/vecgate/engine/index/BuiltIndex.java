package io.vecgate.engine.index;

/**
 * A freshly built index and how it ordered the input: {@code order[ordinal]} is the input row
 * stored at that ordinal (IVF indexes group each list's rows together). Ids and scalar columns
 * must be written in the same order.
 */
public record BuiltIndex(VectorIndex index, int[] order) {

  /** The input row at {@code ordinal}. */
  public int inputRow(int ordinal) {
    return order[ordinal];
  }

  public static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }
}
