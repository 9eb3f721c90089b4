package io.vecgate.engine.quant;

import io.vecgate.engine.kmeans.KMeans;
import io.vecgate.engine.vector.VectorOps;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Product quantisation with 8-bit codes: a vector is cut into {@code m} sub-vectors of
 * {@code dim / m} components, and each is replaced by the byte naming the nearest of 256
 * codewords of its sub-space. Distances to a query come from a look-up table of
 * {@code m x 256} partial distances built once per query (and list, for residual L2).
 */
public final class ProductQuantizer {

  /** Codewords per sub-space: one byte per sub-vector. */
  public static final int KSUB = 256;
  /** Training points per sub-space: faiss caps k-means at 256 points per centroid too. */
  private static final int MAX_TRAIN = KSUB * 256;

  private final VectorOps ops;
  private final int m;
  private final int dsub;
  private final float[] codebooks;

  /** @param codebooks {@code m x 256 x dsub} floats */
  public ProductQuantizer(VectorOps ops, int m, int dsub, float[] codebooks) {
    if (codebooks.length != m * KSUB * dsub) {
      throw new IllegalArgumentException("PQ codebooks hold " + codebooks.length + " floats, expected "
          + m + " x " + KSUB + " x " + dsub);
    }
    this.ops = ops;
    this.m = m;
    this.dsub = dsub;
    this.codebooks = codebooks;
  }

  /** Checks that {@code m} sub-quantisers of {@code nbits} bits fit dimension {@code dim}. */
  public static void checkShape(int dim, int m, int nbits) {
    if (nbits != 8) {
      throw new IllegalArgumentException("PQ nbits must be 8 (one byte per sub-vector), got " + nbits);
    }
    if (m < 1 || dim % m != 0) {
      throw new IllegalArgumentException("PQ m must divide the dimension " + dim + ", got m=" + m);
    }
  }

  /** Trains {@code m} codebooks on the {@code n} rows of {@code data} ({@code n x dim}, row-major). */
  public static ProductQuantizer train(VectorOps ops, float[] data, int n, int dim, int m, int iterations, long seed) {
    checkShape(dim, m, 8);
    int dsub = dim / m;
    int rows = Math.min(n, MAX_TRAIN);
    // The first rows of the caller's random sample are a random sample too.
    float[] codebooks = new float[m * KSUB * dsub];
    float[] sub = new float[rows * dsub];
    for (int s = 0; s < m; s++) {
      for (int i = 0; i < rows; i++) {
        System.arraycopy(data, i * dim + s * dsub, sub, i * dsub, dsub);
      }
      float[] cb = KMeans.train(ops, sub, rows, dsub, KSUB, iterations, seed + s);
      System.arraycopy(cb, 0, codebooks, s * KSUB * dsub, KSUB * dsub);
    }
    return new ProductQuantizer(ops, m, dsub, codebooks);
  }

  /** Reads codebooks written by {@link #writeCodebooks}. */
  public static ProductQuantizer readCodebooks(VectorOps ops, MemorySegment seg, int dim, int m) {
    checkShape(dim, m, 8);
    long expected = (long) dim * KSUB * Float.BYTES;
    if (seg.byteSize() != expected) {
      throw new IllegalArgumentException("PQ codebooks hold " + seg.byteSize() + " bytes, expected " + expected);
    }
    float[] cb = new float[dim * KSUB];
    MemorySegment.copy(seg, Layouts.FLOAT_LE, 0, cb, 0, cb.length);
    return new ProductQuantizer(ops, m, dim / m, cb);
  }

  /** Bytes of the codebook part: {@code m x 256 x dsub} float32. */
  public long codebookBytes() {
    return (long) codebooks.length * Float.BYTES;
  }

  public void writeCodebooks(MemorySegment seg) {
    MemorySegment.copy(codebooks, 0, seg, Layouts.FLOAT_LE, 0, codebooks.length);
  }

  public int m() {
    return m;
  }

  /**
   * Encodes {@code x[xOff..]} minus {@code sub[subOff..]} (the residual; {@code sub} may be null)
   * into {@code m} bytes of {@code codes} at {@code off}. {@code scratch} holds {@code dim} floats.
   */
  public void encode(float[] x, int xOff, float[] sub, int subOff, float[] scratch, MemorySegment codes, long off) {
    int dim = m * dsub;
    for (int j = 0; j < dim; j++) {
      scratch[j] = sub == null ? x[xOff + j] : x[xOff + j] - sub[subOff + j];
    }
    for (int s = 0; s < m; s++) {
      int base = s * KSUB * dsub;
      int best = 0;
      float bestD = Float.POSITIVE_INFINITY;
      for (int c = 0; c < KSUB; c++) {
        float d = ops.squareDistance(scratch, s * dsub, codebooks, base + c * dsub, dsub);
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      codes.set(ValueLayout.JAVA_BYTE, off + s, (byte) best);
    }
  }

  /** Fills {@code lut[s * 256 + c]} with the squared L2 distance of sub-vector {@code s} of {@code r} to codeword {@code c}. */
  public void l2Table(float[] r, float[] lut) {
    for (int s = 0; s < m; s++) {
      int base = s * KSUB * dsub;
      for (int c = 0; c < KSUB; c++) {
        lut[s * KSUB + c] = ops.squareDistance(r, s * dsub, codebooks, base + c * dsub, dsub);
      }
    }
  }

  /** Fills {@code lut[s * 256 + c]} with the dot product of sub-vector {@code s} of {@code q} and codeword {@code c}. */
  public void dotTable(float[] q, float[] lut) {
    for (int s = 0; s < m; s++) {
      int base = s * KSUB * dsub;
      for (int c = 0; c < KSUB; c++) {
        lut[s * KSUB + c] = ops.dot(q, s * dsub, codebooks, base + c * dsub, dsub);
      }
    }
  }
}
