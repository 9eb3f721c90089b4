package io.vecgate.writer.store;

import io.vecgate.space.FieldSpec;

/** The documents a segment is built from, by input row. */
interface Rows {

  int size();

  /** The engine id (internal document number) of row {@code r}. */
  long seq(int r);

  /** The {@code _id}. */
  String key(int r);

  /**
   * Copies the vectors of row {@code r} into {@code dst}: every vector field's, one after the
   * other in schema order ({@code SpaceSchema.vectorLength()} floats, as {@code Document.vector()}).
   */
  void vector(int r, float[] dst);

  /** The value of scalar field {@code f}, or null when the document has none. */
  Object scalar(int r, FieldSpec f);
}
