package io.vecgate.reader.testkit;

import java.util.List;

/**
 * A fixture document: its {@code seq}, {@code _id}, vectors and the scalar fields of
 * {@link TestSpace#SCHEMA_SCALARS}, all derived from {@code seq} so tests can predict them.
 *
 * @param vector the vector of the first vector field ({@link TestSpace#VECTOR_FIELD})
 * @param more the vectors of the space's other vector fields, in order
 */
public record Doc(long seq, String id, float[] vector, List<float[]> more) {

  public Doc(long seq, String id, float[] vector) {
    this(seq, id, vector, List.of());
  }

  /** The vector of vector field {@code i} (0 = {@link #vector()}). */
  public float[] vector(int i) {
    return i == 0 ? vector : more.get(i - 1);
  }

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
