package io.vecgate.engine.vector;

import java.lang.foreign.MemorySegment;
import java.util.Locale;

/**
 * How two vectors compare. Inside the engine every metric is a <em>distance</em>: smaller is
 * closer, so one kind of heap and one top-K reduce serve all of them. Inner product and cosine use
 * the negated dot product (cosine on vectors normalised at build and query time).
 * {@link #toScore} turns an internal distance into the score users see: the squared (or,
 * with {@code l2Sqrt}, plain) L2 distance, or the similarity for IP and cosine.
 */
public enum Metric {
  L2,
  INNER_PRODUCT,
  COSINE;

  /** Parses the names used by the bench CLI and the Vearch API: L2, IP, InnerProduct, COSINE, Cosine. */
  public static Metric parse(String name) {
    return switch (name.trim().toUpperCase(Locale.ROOT)) {
      case "L2", "EUCLIDEAN" -> L2;
      case "IP", "INNERPRODUCT", "INNER_PRODUCT", "DOT" -> INNER_PRODUCT;
      case "COSINE", "ANGULAR" -> COSINE;
      default -> throw new IllegalArgumentException(
          "metric must be one of L2, IP (InnerProduct), COSINE; got '" + name + "'");
    };
  }

  /** Internal distance of a query and a stored vector (smaller is closer). */
  public float distance(VectorOps ops, float[] q, MemorySegment data, long off, int dim) {
    return this == L2 ? ops.squareDistance(q, data, off, dim) : -ops.dot(q, data, off, dim);
  }

  /**
   * Internal distances of a query to four stored vectors, into {@code out[0..4)}; see
   * {@link VectorOps#squareDistance4Rows}.
   */
  public void distance4Rows(VectorOps ops, float[] q, MemorySegment data, long off0, long off1, long off2, long off3,
                            int dim, float[] out) {
    if (this == L2) {
      ops.squareDistance4Rows(q, data, off0, off1, off2, off3, dim, out);
    } else {
      ops.dot4Rows(q, data, off0, off1, off2, off3, dim, out);
      out[0] = -out[0];
      out[1] = -out[1];
      out[2] = -out[2];
      out[3] = -out[3];
    }
  }

  /** Internal distance of two array slices (smaller is closer). */
  public float distance(VectorOps ops, float[] a, int aOff, float[] b, int bOff, int dim) {
    return this == L2 ? ops.squareDistance(a, aOff, b, bOff, dim) : -ops.dot(a, aOff, b, bOff, dim);
  }

  /** Whether stored and query vectors are normalised to unit length first. */
  public boolean normalises() {
    return this == COSINE;
  }

  /**
   * A query as this metric's distances take it: {@code query} itself, or for cosine a normalised
   * copy (the caller's array is never modified).
   */
  public float[] prepareQuery(float[] query) {
    if (!normalises()) {
      return query;
    }
    float[] copy = query.clone();
    normalise(copy, 0, copy.length);
    return copy;
  }

  /** Whether a larger public score means more similar (IP, cosine) or less (L2). */
  public boolean higherScoreIsCloser() {
    return this != L2;
  }

  /** The public score of an internal distance. */
  public float toScore(float distance, boolean l2Sqrt) {
    if (this == L2) {
      return l2Sqrt ? (float) Math.sqrt(Math.max(0f, distance)) : distance;
    }
    return -distance;
  }

  /** Normalises {@code v[off..off+dim)} to unit length in place (a zero vector stays zero). */
  public static void normalise(float[] v, int off, int dim) {
    double norm = 0;
    for (int i = 0; i < dim; i++) {
      norm += (double) v[off + i] * v[off + i];
    }
    if (norm > 0) {
      float inv = (float) (1.0 / Math.sqrt(norm));
      for (int i = 0; i < dim; i++) {
        v[off + i] *= inv;
      }
    }
  }
}
