package io.vecgate.reader.testkit;

/**
 * A fixture document: its engine id, {@code _id}, vector and the scalar fields of
 * {@link TestSpace#SCHEMA_SCALARS}, all derived from {@code seq} so tests can predict them.
 */
public record Doc(long seq, String id, float[] vector) {

  public static final String[] COLORS = {"red", "green", "blue", "black"};

  public int price() {
    return (int) (seq % 100);
  }

  public long rank() {
    return seq * 1000;
  }

  public float weight() {
    return (seq % 10) / 10f;
  }

  public double ratio() {
    return seq * 0.5;
  }

  public String color() {
    return COLORS[(int) (seq % COLORS.length)];
  }
}
