package io.vecgate.writer.service;

import io.vecgate.writer.store.StoreConfig;
import java.time.Duration;

/**
 * Settings of the writer service ({@link io.vecgate.writer.WriterConfig#settings()} gives them).
 *
 * @param store per-space store settings
 * @param sealDocs a space seals as soon as it buffers this many documents
 * @param maxBodyBytes larger request bodies are refused with 413
 * @param quietPeriod a space with no write for this long is compacted to one indexed segment per
 *     partition
 * @param buildThreads threads an index build may use while the writer takes writes (its fork-join
 *     pool's parallelism; a quiet writer builds on every core), >= 1
 */
public record ServiceSettings(StoreConfig store, int sealDocs, long maxBodyBytes, Duration quietPeriod,
                              int buildThreads) {

  /** Default {@link #quietPeriod}. */
  public static final Duration QUIET_PERIOD = Duration.ofSeconds(3);

  public ServiceSettings {
    if (quietPeriod == null || quietPeriod.isNegative()) {
      throw new IllegalArgumentException("quietPeriod: expected a duration >= 0, got " + quietPeriod);
    }
    if (buildThreads < 1) {
      throw new IllegalArgumentException("buildThreads: expected >= 1, got " + buildThreads);
    }
  }

  /** With the default quiet period and build threads. */
  public ServiceSettings(StoreConfig store, int sealDocs, long maxBodyBytes) {
    this(store, sealDocs, maxBodyBytes, QUIET_PERIOD, defaultBuildThreads());
  }

  /** One core less than the machine has (at least one): a core stays with the write lanes. */
  public static int defaultBuildThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
  }
}
