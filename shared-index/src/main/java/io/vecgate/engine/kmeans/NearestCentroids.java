package io.vecgate.engine.kmeans;

import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.VectorOps;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Finds the nearest of {@code k} centroids for many rows at once: the cost centre of k-means and
 * of IVF list assignment. Rows are taken in blocks and centroids in cache-sized blocks, so each
 * centroid block is reused by every row of a row block while it sits in cache. Blocks of rows
 * run in parallel on the common ForkJoin pool; each row's answer is written to its own slot, so
 * the result does not depend on the number of threads.
 *
 * <p>Scores are {@code bias[c] - weight * x.c}: with {@code bias = ||c||^2} and {@code weight = 2}
 * that is the squared L2 distance minus the constant {@code ||x||^2} (enough to rank centroids,
 * and one dot product per pair instead of a difference and a square); with {@code bias = 0} and
 * {@code weight = 1} it is the negated inner product.
 */
public final class NearestCentroids {

  /** Rows per parallel task: large enough to amortise task overhead, small enough to balance two to many cores. */
  private static final int ROW_BLOCK = 64;
  /** Bytes of centroids scanned by a row block before moving on: fits L2 alongside the row block. */
  private static final int CENTROID_BLOCK_BYTES = 64 * 1024;

  /**
   * At or below this dimension a dot-product call per pair costs more than the arithmetic, so
   * centroids are also kept transposed ({@code dim x k}) and a row is scored against all of them
   * in one loop over {@code k} that the JIT vectorises (PQ sub-spaces are 2-16 wide).
   */
  static final int SMALL_DIM = 16;

  private final VectorOps ops;
  private final float[] centroids;
  private final float[] transposed;
  private final float[] bias;
  private final float weight;
  private final int k;
  private final int dim;

  /**
   * @param centroids {@code k x dim} floats, row-major
   * @param l2 rank by squared L2 distance; otherwise by largest inner product
   */
  public NearestCentroids(VectorOps ops, float[] centroids, int k, int dim, boolean l2) {
    if (centroids.length < (long) k * dim) {
      throw new IllegalArgumentException("centroid array holds " + centroids.length + " floats, " + k + " x " + dim + " needed");
    }
    this.ops = ops;
    this.centroids = centroids;
    this.k = k;
    this.dim = dim;
    this.bias = new float[k];
    this.weight = l2 ? 2f : 1f;
    if (l2) {
      for (int c = 0; c < k; c++) {
        bias[c] = ops.dot(centroids, c * dim, centroids, c * dim, dim);
      }
    }
    if (dim <= SMALL_DIM) {
      transposed = new float[dim * k];
      for (int c = 0; c < k; c++) {
        for (int j = 0; j < dim; j++) {
          transposed[j * k + c] = centroids[c * dim + j];
        }
      }
    } else {
      transposed = null;
    }
  }

  /** Nearest centroid of each of the {@code n} rows of {@code data} (row-major float array); distances optional. */
  public void assign(float[] data, int n, int[] outCentroid, float[] outScore) {
    int blocks = (n + ROW_BLOCK - 1) / ROW_BLOCK;
    IntStream.range(0, blocks).parallel().forEach(b -> {
      int from = b * ROW_BLOCK;
      assignBlock(data, from * dim, from, Math.min(n, from + ROW_BLOCK) - from, outCentroid, outScore);
    });
  }

  /** Nearest centroid of every vector of {@code vectors}; distances optional. */
  public void assign(FloatVectors vectors, int[] outCentroid, float[] outScore) {
    int n = vectors.count();
    int blocks = (n + ROW_BLOCK - 1) / ROW_BLOCK;
    MemorySegment data = vectors.data();
    IntStream.range(0, blocks).parallel().forEach(b -> {
      int from = b * ROW_BLOCK;
      int rows = Math.min(n, from + ROW_BLOCK) - from;
      // Copy the block to the heap once; the array kernels then reuse it for every centroid.
      float[] buf = new float[rows * dim];
      MemorySegment.copy(data, FloatVectors.FLOAT_LE, vectors.offset(from), buf, 0, rows * dim);
      assignBlock(buf, 0, from, rows, outCentroid, outScore);
    });
  }

  /** The score of {@code x[xOff..]} against centroid {@code c} (smaller is closer; see class doc). */
  public float score(float[] x, int xOff, int c) {
    return bias[c] - weight * ops.dot(x, xOff, centroids, c * dim, dim);
  }

  /** Scores of {@code x[xOff..]} against every centroid, into {@code out[0..k)} (smaller is closer). */
  public void scoreAll(float[] x, int xOff, float[] out) {
    if (transposed != null) {
      scoreAllSmall(x, xOff, out);
      return;
    }
    float[] four = new float[4];
    int c = 0;
    for (; c + 4 <= k; c += 4) {
      ops.dot4(x, xOff, centroids, c * dim, (c + 1) * dim, (c + 2) * dim, (c + 3) * dim, dim, four);
      for (int i = 0; i < 4; i++) {
        out[c + i] = bias[c + i] - weight * four[i];
      }
    }
    for (; c < k; c++) {
      out[c] = score(x, xOff, c);
    }
  }

  /**
   * {@link #scoreAll(float[], int, float[])} of several rows, {@code out[r]} for {@code xs[r]}
   * (each {@code dim} floats from offset 0). Every score is computed exactly as the single-row call
   * computes it (the same kernel call on the same four centroids), but a block of centroids at a
   * time for every row, so that a batch reads the centroids from memory once per block instead of
   * once per row (IVF probes of a merged batch).
   */
  public void scoreAll(float[][] xs, float[][] out) {
    if (transposed != null) {
      for (int r = 0; r < xs.length; r++) {
        scoreAllSmall(xs[r], 0, out[r]);
      }
      return;
    }
    float[] four = new float[4];
    // Blocks of a multiple of four centroids keep the groups of four of the single-row call.
    int full = k - k % 4;
    int cBlock = Math.max(4, (CENTROID_BLOCK_BYTES / (dim * Float.BYTES)) & ~3);
    for (int c0 = 0; c0 < full; c0 += cBlock) {
      int c1 = Math.min(full, c0 + cBlock);
      for (int r = 0; r < xs.length; r++) {
        float[] x = xs[r];
        float[] o = out[r];
        for (int c = c0; c < c1; c += 4) {
          ops.dot4(x, 0, centroids, c * dim, (c + 1) * dim, (c + 2) * dim, (c + 3) * dim, dim, four);
          for (int i = 0; i < 4; i++) {
            o[c + i] = bias[c + i] - weight * four[i];
          }
        }
      }
    }
    for (int r = 0; r < xs.length; r++) {
      for (int c = full; c < k; c++) {
        out[r][c] = score(xs[r], 0, c);
      }
    }
  }

  private void assignBlock(float[] buf, int bufOff, int firstRow, int rows, int[] outCentroid, float[] outScore) {
    if (transposed != null) {
      assignBlockSmall(buf, bufOff, firstRow, rows, outCentroid, outScore);
      return;
    }
    float[] best = new float[rows];
    int[] arg = new int[rows];
    float[] four = new float[4];
    Arrays.fill(best, Float.POSITIVE_INFINITY);
    int cBlock = Math.max(1, CENTROID_BLOCK_BYTES / (dim * Float.BYTES));
    for (int c0 = 0; c0 < k; c0 += cBlock) {
      int c1 = Math.min(k, c0 + cBlock);
      for (int r = 0; r < rows; r++) {
        int xOff = bufOff + r * dim;
        float b = best[r];
        int a = arg[r];
        int c = c0;
        // Four centroids per kernel call: the row is loaded once for four dot products.
        for (; c + 4 <= c1; c += 4) {
          ops.dot4(buf, xOff, centroids, c * dim, (c + 1) * dim, (c + 2) * dim, (c + 3) * dim, dim, four);
          for (int i = 0; i < 4; i++) {
            float s = bias[c + i] - weight * four[i];
            // Strictly smaller keeps the first (lowest-numbered) centroid on ties: deterministic.
            if (s < b) {
              b = s;
              a = c + i;
            }
          }
        }
        for (; c < c1; c++) {
          float s = bias[c] - weight * ops.dot(buf, xOff, centroids, c * dim, dim);
          if (s < b) {
            b = s;
            a = c;
          }
        }
        best[r] = b;
        arg[r] = a;
      }
    }
    System.arraycopy(arg, 0, outCentroid, firstRow, rows);
    if (outScore != null) {
      System.arraycopy(best, 0, outScore, firstRow, rows);
    }
  }

  private void assignBlockSmall(float[] buf, int bufOff, int firstRow, int rows, int[] outCentroid, float[] outScore) {
    float[] scores = new float[k];
    for (int r = 0; r < rows; r++) {
      scoreAllSmall(buf, bufOff + r * dim, scores);
      int a = 0;
      for (int c = 1; c < k; c++) {
        if (scores[c] < scores[a]) {
          a = c;
        }
      }
      outCentroid[firstRow + r] = a;
      if (outScore != null) {
        outScore[firstRow + r] = scores[a];
      }
    }
  }

  /** Scores {@code x[xOff..]} against every centroid through the transposed copy. */
  private void scoreAllSmall(float[] x, int xOff, float[] scores) {
    System.arraycopy(bias, 0, scores, 0, k);
    for (int j = 0; j < dim; j++) {
      float xj = -weight * x[xOff + j];
      int base = j * k;
      for (int c = 0; c < k; c++) {
        scores[c] += xj * transposed[base + c];
      }
    }
  }
}
