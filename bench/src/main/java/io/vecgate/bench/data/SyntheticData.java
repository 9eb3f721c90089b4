package io.vecgate.bench.data;

import io.vecgate.engine.vector.FloatVectors;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Deterministic synthetic vectors: Gaussian clusters (centres ~ N(0, 1) per component, points
 * = centre + N(0, sigma^2)) or, uniform, every component in [0, 1) like {@code np.random.rand}.
 *
 * <p>Every row draws from its own generator seeded by (seed, stream, row), so the output is the
 * same however many threads generate it.
 */
public final class SyntheticData {

  /** Stream ids, so that base and query rows with the same number differ. */
  public static final int BASE_STREAM = 1;
  public static final int QUERY_STREAM = 2;
  private static final int CENTRE_STREAM = 3;

  private final int dim;
  private final long seed;
  private final boolean uniform;
  private final float sigma;
  private final float[][] centres;

  /**
   * @param clusters number of Gaussian centres (ignored when {@code uniform})
   * @param sigma    standard deviation of points around their centre
   */
  public SyntheticData(int dim, int clusters, float sigma, long seed, boolean uniform) {
    if (dim < 1 || (!uniform && clusters < 1)) {
      throw new IllegalArgumentException("dim and clusters must be >= 1, got " + dim + ", " + clusters);
    }
    this.dim = dim;
    this.seed = seed;
    this.uniform = uniform;
    this.sigma = sigma;
    this.centres = uniform ? new float[0][] : new float[clusters][dim];
    SplittableRandom rnd = rng(CENTRE_STREAM, 0);
    for (float[] c : centres) {
      for (int j = 0; j < dim; j++) {
        c[j] = (float) rnd.nextGaussian();
      }
    }
  }

  /** Row {@code row} of {@code stream}, written into {@code out}. */
  public void row(int stream, int row, float[] out) {
    SplittableRandom rnd = rng(stream, row);
    if (uniform) {
      for (int j = 0; j < dim; j++) {
        out[j] = (float) rnd.nextDouble();
      }
      return;
    }
    float[] c = centres[rnd.nextInt(centres.length)];
    for (int j = 0; j < dim; j++) {
      out[j] = c[j] + sigma * (float) rnd.nextGaussian();
    }
  }

  /** {@code n} rows of {@code stream} in native memory of {@code arena}, generated in parallel. */
  public FloatVectors vectors(int stream, int n, Arena arena) {
    FloatVectors v = FloatVectors.allocate(arena, n, dim);
    IntStream.range(0, n).parallel().forEach(i -> {
      float[] row = new float[dim];
      row(stream, i, row);
      v.set(i, row);
    });
    return v;
  }

  /** {@code n} rows of {@code stream} as arrays. */
  public float[][] arrays(int stream, int n) {
    float[][] out = new float[n][dim];
    IntStream.range(0, n).parallel().forEach(i -> row(stream, i, out[i]));
    return out;
  }

  private SplittableRandom rng(int stream, int row) {
    // Mixing by distinct odd constants keeps the (seed, stream, row) seeds apart.
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + stream * 0xC2B2AE3D27D4EB4FL + row * 0x165667B19E3779F9L);
  }
}
