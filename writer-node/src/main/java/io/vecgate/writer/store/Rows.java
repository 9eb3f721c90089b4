package io.vecgate.writer.store;

import io.vecgate.space.FieldSpec;

/** The documents a segment is built from, by input row. */
interface Rows {

  int size();

  /** The {@code seq} of row {@code r}: its internal document number (its WAL record's sequence number). */
  long seq(int r);

  /** The {@code _id} of row {@code r}. */
  String id(int r);

  /**
   * Copies the vectors of row {@code r} into {@code dst}: every vector field's, one after the
   * other in schema order ({@code SpaceSchema.vectorLength()} floats, as {@code Document.vector()}).
   */
  void vector(int r, float[] dst);

  /** The value of scalar field {@code f}, or null when the document has none. */
  Object scalar(int r, FieldSpec f);
}
