package io.vecgate.engine.vector;

import java.lang.foreign.MemorySegment;

/**
 * The distance kernels every index is built on. Vectors stored by the engine live in
 * little-endian {@link MemorySegment}s (mapped files or native buffers); queries and k-means
 * samples are plain {@code float[]}. Offsets into segments are byte offsets.
 *
 * <p>Two implementations exist, chosen once at start-up by {@link VectorizationProvider}: a
 * plain-Java one ({@link ScalarVectorOps}) and one on the incubating Vector API
 * ({@link PanamaVectorOps}). Tests hold the second to the first.
 */
public interface VectorOps {

  /** Name shown in logs and benchmark output. */
  String name();

  /** Dot product of {@code a[aOff..aOff+dim)} and {@code b[bOff..bOff+dim)}. */
  float dot(float[] a, int aOff, float[] b, int bOff, int dim);

  /** Squared Euclidean distance of two slices of float arrays. */
  float squareDistance(float[] a, int aOff, float[] b, int bOff, int dim);

  /**
   * Dot products of {@code x[xOff..xOff+dim)} with four slices of {@code y} starting at
   * {@code y0..y3}, written to {@code out[0..4)}: {@code x} is loaded once for four products,
   * which is what k-means assignment (one row against many centroids) is bound by.
   */
  void dot4(float[] x, int xOff, float[] y, int y0, int y1, int y2, int y3, int dim, float[] out);

  /** Dot product of a query and a stored vector starting at byte offset {@code off}. */
  float dot(float[] q, MemorySegment data, long off, int dim);

  /** Squared Euclidean distance of a query and a stored vector starting at byte offset {@code off}. */
  float squareDistance(float[] q, MemorySegment data, long off, int dim);

  /**
   * Squared Euclidean distances of one query to four stored vectors at byte offsets
   * {@code off0..off3}, written to {@code out[0..4)}. The four rows are read together, so their
   * cache misses overlap (graph search and exact scans are bound by them). Each row's result
   * depends only on that row: the same offset given twice yields the same value, so callers pad
   * a short group by repeating an offset. Results may differ from the single-row kernel in the
   * last bits (another summation order).
   */
  void squareDistance4Rows(float[] q, MemorySegment data, long off0, long off1, long off2, long off3, int dim, float[] out);

  /** Dot products of one query with four stored vectors; see {@link #squareDistance4Rows}. */
  void dot4Rows(float[] q, MemorySegment data, long off0, long off1, long off2, long off3, int dim, float[] out);

  /**
   * {@link #squareDistance(float[], MemorySegment, long, int)} of four queries against one stored
   * vector, written to {@code out[0..4)}: the vector is loaded once for all four (batched IVF_FLAT
   * scans). Each result uses the same arithmetic, in the same order, as the single-query kernel
   * of the same implementation.
   */
  void squareDistance4(float[] q0, float[] q1, float[] q2, float[] q3, MemorySegment data, long off, int dim, float[] out);

  /** {@link #dot(float[], MemorySegment, long, int)} of four queries against one stored vector; see {@link #squareDistance4}. */
  void dot4(float[] q0, float[] q1, float[] q2, float[] q3, MemorySegment data, long off, int dim, float[] out);

  /**
   * Squared Euclidean distance between a query and an SQ8 code decoded as
   * {@code min[j] + code[j] * scale[j]}. The caller passes {@code qMinusMin[j] = q[j] - min[j]}
   * so that the kernel is one fused multiply-add per component.
   */
  float sq8SquareDistance(float[] qMinusMin, float[] scale, MemorySegment codes, long off, int dim);

  /**
   * {@code sum(qTimesScale[j] * code[j])}: the code-dependent part of the dot product between a
   * query and an SQ8 code (the caller adds {@code q . min}).
   */
  float sq8Dot(float[] qTimesScale, MemorySegment codes, long off, int dim);

  /**
   * {@link #sq8SquareDistance} of four queries against one code, written to {@code out[0..4)}:
   * the code is loaded and widened once for all four, which is what makes a batched IVF_SQ8
   * list scan cheaper per query than single scans. Each result uses the same arithmetic, in the
   * same order, as the single-query kernel of the same implementation.
   */
  void sq8SquareDistance4(float[] qMinusMin0, float[] qMinusMin1, float[] qMinusMin2, float[] qMinusMin3,
                          float[] scale, MemorySegment codes, long off, int dim, float[] out);

  /** {@link #sq8Dot} of four queries against one code, written to {@code out[0..4)}; see {@link #sq8SquareDistance4}. */
  void sq8Dot4(float[] qTimesScale0, float[] qTimesScale1, float[] qTimesScale2, float[] qTimesScale3,
               MemorySegment codes, long off, int dim, float[] out);
}
