package io.vecgate.engine.quant;

import io.vecgate.engine.kmeans.KMeans;
import io.vecgate.engine.vector.VectorOps;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Product quantisation with 8-bit codes: a vector is cut into {@code m} sub-vectors of
 * {@code dim / m} components, and each is replaced by the byte naming the nearest of 256
 * codewords of its sub-space. Distances to a query come from a look-up table of
 * {@code m x 256} partial distances built once per query (and list, for residual L2).
 */
public final class ProductQuantizer {

  /** Codewords per sub-space: one byte per sub-vector. */
  public static final int KSUB = 256;
  /**
   * Training points per sub-space: 100 per codeword. faiss allows up to 256, but training cost
   * is {@code m x points x 256} and the codebooks barely improve past ~100 (faiss warns below 39).
   */
  private static final int MAX_TRAIN = KSUB * 100;

  private final int m;
  private final int dsub;
  private final float[] codebooks;
  /**
   * The codebooks transposed per sub-space ({@code m x dsub x 256}): scoring a sub-vector against
   * all 256 codewords is then a loop over 256 contiguous floats that the JIT vectorises, rather
   * than 256 kernel calls on 2-16 floats each.
   */
  private final float[] transposed;

  /** @param codebooks {@code m x 256 x dsub} floats */
  public ProductQuantizer(int m, int dsub, float[] codebooks) {
    if (codebooks.length != m * KSUB * dsub) {
      throw new IllegalArgumentException("PQ codebooks hold " + codebooks.length + " floats, expected "
          + m + " x " + KSUB + " x " + dsub);
    }
    this.m = m;
    this.dsub = dsub;
    this.codebooks = codebooks;
    this.transposed = new float[codebooks.length];
    for (int s = 0; s < m; s++) {
      int base = s * KSUB * dsub;
      for (int c = 0; c < KSUB; c++) {
        for (int j = 0; j < dsub; j++) {
          transposed[base + j * KSUB + c] = codebooks[base + c * dsub + j];
        }
      }
    }
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
    return new ProductQuantizer(m, dsub, codebooks);
  }

  /** Reads codebooks written by {@link #writeCodebooks}. */
  public static ProductQuantizer readCodebooks(MemorySegment seg, int dim, int m) {
    checkShape(dim, m, 8);
    long expected = (long) dim * KSUB * Float.BYTES;
    if (seg.byteSize() != expected) {
      throw new IllegalArgumentException("PQ codebooks hold " + seg.byteSize() + " bytes, expected " + expected);
    }
    float[] cb = new float[dim * KSUB];
    MemorySegment.copy(seg, Layouts.FLOAT_LE, 0, cb, 0, cb.length);
    return new ProductQuantizer(m, dim / m, cb);
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
   * into {@code m} bytes of {@code codes} at {@code off}. {@code scratch} must hold
   * {@link #scratchSize()} floats.
   */
  public void encode(float[] x, int xOff, float[] sub, int subOff, float[] scratch, MemorySegment codes, long off) {
    int dim = m * dsub;
    for (int j = 0; j < dim; j++) {
      scratch[j] = sub == null ? x[xOff + j] : x[xOff + j] - sub[subOff + j];
    }
    for (int s = 0; s < m; s++) {
      subDistances(scratch, s, scratch, dim);
      int best = 0;
      for (int c = 1; c < KSUB; c++) {
        if (scratch[dim + c] < scratch[dim + best]) {
          best = c;
        }
      }
      codes.set(ValueLayout.JAVA_BYTE, off + s, (byte) best);
    }
  }

  /** Floats of scratch space {@link #encode} needs: the residual and one row of sub-distances. */
  public int scratchSize() {
    return m * dsub + KSUB;
  }

  /** Fills {@code lut[s * 256 + c]} with the squared L2 distance of sub-vector {@code s} of {@code r} to codeword {@code c}. */
  public void l2Table(float[] r, float[] lut) {
    for (int s = 0; s < m; s++) {
      subDistances(r, s, lut, s * KSUB);
    }
  }

  /** Fills {@code lut[s * 256 + c]} with the dot product of sub-vector {@code s} of {@code q} and codeword {@code c}. */
  public void dotTable(float[] q, float[] lut) {
    for (int s = 0; s < m; s++) {
      int out = s * KSUB;
      Arrays.fill(lut, out, out + KSUB, 0f);
      int base = s * KSUB * dsub;
      for (int j = 0; j < dsub; j++) {
        float qj = q[s * dsub + j];
        int t = base + j * KSUB;
        for (int c = 0; c < KSUB; c++) {
          lut[out + c] += qj * transposed[t + c];
        }
      }
    }
  }

  /** {@code out[outOff + c] = ||x_s - codeword(s, c)||^2} for the 256 codewords of sub-space {@code s}. */
  private void subDistances(float[] x, int s, float[] out, int outOff) {
    Arrays.fill(out, outOff, outOff + KSUB, 0f);
    int base = s * KSUB * dsub;
    for (int j = 0; j < dsub; j++) {
      float xj = x[s * dsub + j];
      int t = base + j * KSUB;
      for (int c = 0; c < KSUB; c++) {
        float d = xj - transposed[t + c];
        out[outOff + c] += d * d;
      }
    }
  }
}
