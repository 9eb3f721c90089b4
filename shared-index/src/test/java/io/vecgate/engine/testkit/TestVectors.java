package io.vecgate.engine.testkit;

import io.vecgate.engine.search.Bits;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.vector.Metric;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;

/** Random data and a double-precision brute-force oracle for engine tests. */
public final class TestVectors {

  private TestVectors() {}

  /** {@code n} vectors drawn around {@code clusters} Gaussian centres, deterministic for {@code seed}. */
  public static float[][] clustered(int n, int dim, int clusters, long seed) {
    Random rnd = new Random(seed);
    float[][] centres = new float[clusters][dim];
    for (float[] c : centres) {
      for (int j = 0; j < dim; j++) {
        c[j] = (float) (rnd.nextGaussian() * 3);
      }
    }
    float[][] out = new float[n][dim];
    for (int i = 0; i < n; i++) {
      float[] c = centres[rnd.nextInt(clusters)];
      for (int j = 0; j < dim; j++) {
        out[i][j] = c[j] + (float) rnd.nextGaussian();
      }
    }
    return out;
  }

  /** Uniform random vectors in [-1, 1). */
  public static float[][] uniform(int n, int dim, long seed) {
    Random rnd = new Random(seed);
    float[][] out = new float[n][dim];
    for (float[] v : out) {
      for (int j = 0; j < dim; j++) {
        v[j] = rnd.nextFloat() * 2 - 1;
      }
    }
    return out;
  }

  /** Exact distance in double precision, internal convention (smaller is closer). */
  public static double distance(Metric metric, float[] a, float[] b) {
    double s = 0;
    if (metric == Metric.L2) {
      for (int i = 0; i < a.length; i++) {
        double d = (double) a[i] - b[i];
        s += d * d;
      }
      return s;
    }
    double na = 0, nb = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    if (metric == Metric.COSINE) {
      s /= Math.sqrt(na) * Math.sqrt(nb);
    }
    return -s;
  }

  /** The exact top-k input rows for {@code q}, ties by smaller row. */
  public static int[] bruteForce(Metric metric, float[][] base, float[] q, int k, Bits filter) {
    Integer[] rows = new Integer[base.length];
    double[] d = new double[base.length];
    int n = 0;
    for (int i = 0; i < base.length; i++) {
      if (filter == null || filter.get(i)) {
        rows[n++] = i;
        d[i] = distance(metric, base[i], q);
      }
    }
    Integer[] kept = Arrays.copyOf(rows, n);
    Arrays.sort(kept, Comparator.<Integer>comparingDouble(i -> d[i]).thenComparingInt(i -> i));
    int m = Math.min(k, n);
    int[] out = new int[m];
    for (int i = 0; i < m; i++) {
      out[i] = kept[i];
    }
    return out;
  }

  /** Fraction of {@code truth} found among the returned rows. */
  public static double recall(int[] truth, int[] got) {
    if (truth.length == 0) {
      return 1.0;
    }
    int hit = 0;
    for (int t : truth) {
      for (int g : got) {
        if (g == t) {
          hit++;
          break;
        }
      }
    }
    return (double) hit / truth.length;
  }

  /** Maps the ordinals of a result back to input rows through the build order. */
  public static int[] rows(Neighbors n, int[] order) {
    int[] out = new int[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = order[n.ordinal(i)];
    }
    return out;
  }

  /**
   * Same ordinals, distances equal up to float rounding: the Vector API may sum lanes in another
   * order once a kernel is JIT-compiled, so the last bit of a distance can differ between calls.
   */
  public static void assertSameNeighbors(Neighbors expected, Neighbors actual, String what) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected.ordinals(), actual.ordinals(), what);
    float scale = expected.size() == 0 ? 1f : Math.max(1f, Math.abs(expected.distance(0)));
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected.distances(), actual.distances(), 1e-4f * scale, what);
  }
}
