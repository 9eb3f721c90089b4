package io.vecgate.reader.search.merge;

import java.time.Duration;

/**
 * How a reader merges the searches waiting for it (the launcher's {@code --query-merge},
 * {@code --merge-max-queries}, {@code --merge-max-k-spread}, {@code --merge-wait}).
 *
 * @param enabled merge at all; off runs every request as its own engine batch
 * @param maxQueries most query vectors in a merged batch (a request with more runs alone)
 * @param maxKSpread largest difference between the k of two requests of a batch
 * @param maxWait how long a batch may wait for companions after its first request arrived; zero (the
 *     default) never waits: a request that finds a search thread free runs at once, and batches
 *     form only from requests that queued while the threads were busy
 */
public record MergeSettings(boolean enabled, int maxQueries, int maxKSpread, Duration maxWait) {

  public static final int DEFAULT_MAX_QUERIES = 200;
  public static final int DEFAULT_MAX_K_SPREAD = 200;
  /** Merging on, at most 200 query vectors and a k spread of 200 (as sources/003), no wait. */
  public static final MergeSettings DEFAULTS = new MergeSettings(true, DEFAULT_MAX_QUERIES, DEFAULT_MAX_K_SPREAD,
      Duration.ZERO);
  /** Merging off. */
  public static final MergeSettings OFF = DEFAULTS.withEnabled(false);

  public MergeSettings {
    if (maxQueries < 1) {
      throw new IllegalArgumentException("merge max queries must be >= 1, got " + maxQueries);
    }
    if (maxKSpread < 0) {
      throw new IllegalArgumentException("merge max k spread must be >= 0, got " + maxKSpread);
    }
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("merge wait must be >= 0, got " + maxWait);
    }
  }

  public MergeSettings withEnabled(boolean v) {
    return new MergeSettings(v, maxQueries, maxKSpread, maxWait);
  }

  public MergeSettings withMaxQueries(int v) {
    return new MergeSettings(enabled, v, maxKSpread, maxWait);
  }

  public MergeSettings withMaxKSpread(int v) {
    return new MergeSettings(enabled, maxQueries, v, maxWait);
  }

  public MergeSettings withMaxWait(Duration v) {
    return new MergeSettings(enabled, maxQueries, maxKSpread, v);
  }
}
