package io.vecgate.engine.kmeans;

import io.vecgate.engine.vector.VectorOps;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Lloyd's k-means in squared L2, seeded by k-means++. Deterministic for a seed whatever the
 * number of threads: the parallel steps write one slot per row and every reduction runs
 * sequentially in row order.
 */
public final class KMeans {

  /** Default number of Lloyd iterations: faiss uses 10-25; past ~10 the IVF recall barely moves. */
  public static final int DEFAULT_ITERATIONS = 12;
  /** k-means++ seeding looks at this many points per centroid at most: it costs k passes over them. */
  private static final int SEEDING_POINTS_PER_CENTROID = 8;
  /** Relative nudge that separates the two halves of a split cluster (as faiss). */
  private static final float SPLIT_EPS = 1f / 1024;

  private KMeans() {}

  /**
   * Trains {@code k} centroids on the {@code n} rows of {@code data} (row-major, {@code n x dim}).
   * When {@code n <= k} the rows themselves are the centroids (repeated to fill {@code k}).
   *
   * @return {@code k x dim} centroids, row-major
   */
  public static float[] train(VectorOps ops, float[] data, int n, int dim, int k, int iterations, long seed) {
    if (k < 1 || dim < 1 || n < 0 || iterations < 0) {
      throw new IllegalArgumentException("k, dim must be >= 1 and n, iterations >= 0; got k=" + k
          + " dim=" + dim + " n=" + n + " iterations=" + iterations);
    }
    if (data.length < (long) n * dim) {
      throw new IllegalArgumentException("data holds " + data.length + " floats, " + n + " x " + dim + " needed");
    }
    float[] centroids = new float[k * dim];
    if (n == 0) {
      return centroids;
    }
    if (n <= k) {
      for (int c = 0; c < k; c++) {
        System.arraycopy(data, (c % n) * dim, centroids, c * dim, dim);
      }
      return centroids;
    }
    Random rnd = new Random(seed);
    seedPlusPlus(ops, data, n, dim, k, rnd, centroids);
    int[] assign = new int[n];
    Arrays.fill(assign, -1);
    int[] next = new int[n];
    for (int it = 0; it < iterations; it++) {
      new NearestCentroids(ops, centroids, k, dim, true).assign(data, n, next, null);
      if (Arrays.equals(assign, next)) {
        break;
      }
      System.arraycopy(next, 0, assign, 0, n);
      update(data, n, dim, k, assign, centroids);
    }
    return centroids;
  }

  /** k-means++: each next centroid is drawn with probability proportional to its squared distance to the nearest chosen one. */
  private static void seedPlusPlus(VectorOps ops, float[] data, int n, int dim, int k, Random rnd, float[] centroids) {
    int m = (int) Math.min(n, (long) k * SEEDING_POINTS_PER_CENTROID);
    int[] pool = samplePool(n, m, rnd);
    float[] minDist = new float[m];
    int first = pool[rnd.nextInt(m)];
    System.arraycopy(data, first * dim, centroids, 0, dim);
    IntStream.range(0, m).parallel().forEach(i ->
        minDist[i] = ops.squareDistance(data, pool[i] * dim, centroids, 0, dim));
    for (int c = 1; c < k; c++) {
      double total = 0;
      for (float d : minDist) {
        total += d;
      }
      int pick;
      if (total <= 0) {
        pick = pool[rnd.nextInt(m)];
      } else {
        double r = rnd.nextDouble() * total;
        int i = 0;
        while (i < m - 1 && (r -= minDist[i]) > 0) {
          i++;
        }
        pick = pool[i];
      }
      int cOff = c * dim;
      System.arraycopy(data, pick * dim, centroids, cOff, dim);
      IntStream.range(0, m).parallel().forEach(i -> {
        float d = ops.squareDistance(data, pool[i] * dim, centroids, cOff, dim);
        if (d < minDist[i]) {
          minDist[i] = d;
        }
      });
    }
  }

  /** {@code m} distinct row numbers out of {@code n}, chosen by a partial Fisher-Yates shuffle. */
  private static int[] samplePool(int n, int m, Random rnd) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    if (m == n) {
      return all;
    }
    for (int i = 0; i < m; i++) {
      int j = i + rnd.nextInt(n - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    return Arrays.copyOf(all, m);
  }

  /** Moves each centroid to the mean of its rows; an empty cluster takes half of the largest one. */
  private static void update(float[] data, int n, int dim, int k, int[] assign, float[] centroids) {
    double[] sums = new double[k * dim];
    int[] counts = new int[k];
    for (int i = 0; i < n; i++) {
      int c = assign[i];
      counts[c]++;
      int cOff = c * dim;
      int xOff = i * dim;
      for (int j = 0; j < dim; j++) {
        sums[cOff + j] += data[xOff + j];
      }
    }
    for (int c = 0; c < k; c++) {
      if (counts[c] > 0) {
        double inv = 1.0 / counts[c];
        for (int j = 0; j < dim; j++) {
          centroids[c * dim + j] = (float) (sums[c * dim + j] * inv);
        }
      }
    }
    for (int c = 0; c < k; c++) {
      if (counts[c] == 0) {
        splitLargest(c, counts, centroids, dim);
      }
    }
  }

  /**
   * Re-seeds empty centroid {@code empty} as a copy of the largest cluster's centroid, the two
   * nudged apart in opposite directions so the next assignment divides that cluster between them.
   */
  private static void splitLargest(int empty, int[] counts, float[] centroids, int dim) {
    int big = 0;
    for (int c = 1; c < counts.length; c++) {
      if (counts[c] > counts[big]) {
        big = c;
      }
    }
    for (int j = 0; j < dim; j++) {
      float v = centroids[big * dim + j];
      float up = v * (1 + SPLIT_EPS) + (j % 2 == 0 ? SPLIT_EPS : -SPLIT_EPS);
      float down = v * (1 - SPLIT_EPS) - (j % 2 == 0 ? SPLIT_EPS : -SPLIT_EPS);
      centroids[empty * dim + j] = j % 2 == 0 ? up : down;
      centroids[big * dim + j] = j % 2 == 0 ? down : up;
    }
    counts[empty] = counts[big] / 2;
    counts[big] -= counts[empty];
  }
}
