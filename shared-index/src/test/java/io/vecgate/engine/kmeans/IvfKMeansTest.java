package io.vecgate.engine.kmeans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.testkit.TestVectors;
import io.vecgate.engine.vector.VectorOps;
import io.vecgate.engine.vector.VectorizationProvider;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** k-means and nearest-centroid assignment (named Ivf* so that the IVF test selection runs it). */
class IvfKMeansTest {

  private static final VectorOps OPS = VectorizationProvider.ops();

  @Test
  void deterministicForASeedWhateverTheThreadCount() throws Exception {
    int n = 3000, dim = 19, k = 37;
    float[] data = flatten(TestVectors.clustered(n, dim, 25, 7));
    float[] one = onPool(1, () -> KMeans.train(OPS, data, n, dim, k, 10, 99));
    float[] two = onPool(2, () -> KMeans.train(OPS, data, n, dim, k, 10, 99));
    float[] again = KMeans.train(OPS, data, n, dim, k, 10, 99);
    assertArrayEquals(one, two);
    assertArrayEquals(one, again);
    float[] otherSeed = KMeans.train(OPS, data, n, dim, k, 10, 100);
    assertTrue(!java.util.Arrays.equals(one, otherSeed), "another seed should give other centroids");
  }

  @Test
  void findsWellSeparatedClusters() {
    int dim = 8, clusters = 12, perCluster = 200;
    Random rnd = new Random(3);
    float[] centres = new float[clusters * dim];
    for (int c = 0; c < clusters; c++) {
      centres[c * dim + c % dim] = 100f * (1 + c / dim);
      centres[c * dim + (c + 1) % dim] = -50f * (1 + c / dim);
    }
    int n = clusters * perCluster;
    float[] data = new float[n * dim];
    for (int i = 0; i < n; i++) {
      int c = i % clusters;
      for (int j = 0; j < dim; j++) {
        data[i * dim + j] = centres[c * dim + j] + (float) rnd.nextGaussian();
      }
    }
    float[] found = KMeans.train(OPS, data, n, dim, clusters, 20, 1);
    // Every true centre has a found centroid within a small distance (the noise mean is ~0.07 off).
    for (int c = 0; c < clusters; c++) {
      float best = Float.POSITIVE_INFINITY;
      for (int f = 0; f < clusters; f++) {
        best = Math.min(best, OPS.squareDistance(centres, c * dim, found, f * dim, dim));
      }
      assertTrue(best < 0.5f, "centre " + c + " missed: nearest centroid at squared distance " + best);
    }
  }

  @Test
  void fewerRowsThanCentroidsGivesTheRows() {
    float[] data = {1, 2, 3, 4, 5, 6};
    float[] c = KMeans.train(OPS, data, 3, 2, 5, 10, 1);
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 1, 2, 3, 4}, c);
    assertArrayEquals(new float[4], KMeans.train(OPS, new float[0], 0, 2, 2, 10, 1));
  }

  @Test
  void assignmentMatchesBruteForceAcrossCentroidBlocks() {
    int n = 333, dim = 17, k = 1100; // k spans two centroid blocks at this dimension
    float[] data = flatten(TestVectors.uniform(n, dim, 5));
    float[] centroids = flatten(TestVectors.uniform(k, dim, 6));
    for (boolean l2 : new boolean[] {true, false}) {
      int[] got = new int[n];
      new NearestCentroids(OPS, centroids, k, dim, l2).assign(data, n, got, null);
      for (int i = 0; i < n; i++) {
        int best = -1;
        double bestD = Double.POSITIVE_INFINITY;
        for (int c = 0; c < k; c++) {
          double d = 0;
          for (int j = 0; j < dim; j++) {
            double x = data[i * dim + j], y = centroids[c * dim + j];
            d += l2 ? (x - y) * (x - y) : -x * y;
          }
          if (d < bestD) {
            bestD = d;
            best = c;
          }
        }
        if (got[i] != best) {
          // Float rounding may pick a near-tie; then both must be (almost) equally near.
          double dGot = 0;
          for (int j = 0; j < dim; j++) {
            double x = data[i * dim + j], y = centroids[got[i] * dim + j];
            dGot += l2 ? (x - y) * (x - y) : -x * y;
          }
          assertEquals(bestD, dGot, 1e-4, "row " + i + (l2 ? " L2" : " IP"));
        }
      }
    }
  }

  static float[] flatten(float[][] rows) {
    int dim = rows[0].length;
    float[] out = new float[rows.length * dim];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * dim, dim);
    }
    return out;
  }

  private static float[] onPool(int threads, java.util.concurrent.Callable<float[]> task) throws Exception {
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      return pool.submit(task).get();
    } finally {
      pool.shutdown();
    }
  }
}
