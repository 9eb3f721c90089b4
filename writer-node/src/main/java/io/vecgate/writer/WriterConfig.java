package io.vecgate.writer;

import io.vecgate.writer.bus.WriteAdmission;
import io.vecgate.writer.service.ServiceSettings;
import io.vecgate.writer.store.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the writer role.
 *
 * @param dataDir the data directory (see {@link io.vecgate.store.DataLayout})
 * @param refreshInterval how often spaces with unpublished writes seal and publish
 * @param sealDocs a space seals as soon as it buffers this many documents
 * @param versionsKept published versions kept per space
 * @param compactionSegments a partition with more segments than this is compacted
 * @param maxBodyBytes larger request bodies are refused with 413
 * @param flatBelow segments with fewer documents are built FLAT (IVF also needs 39 x nlist)
 * @param quietPeriod a space with no write for this long is compacted into one indexed segment per
 *     partition
 * @param buildThreads threads an index build may use, >= 1
 * @param busyIndexDocs while a space takes writes, compacted segments get the space's index only
 *     from this size
 * @param writeLimits when document writes are shed with 429 ({@link WriteAdmission})
 */
public record WriterConfig(Path dataDir, Duration refreshInterval, int sealDocs, int versionsKept,
                           int compactionSegments, long maxBodyBytes, int flatBelow, Duration quietPeriod,
                           int buildThreads, int busyIndexDocs, WriteAdmission.Limits writeLimits) {

  public WriterConfig {
    if (dataDir == null) {
      throw new IllegalArgumentException("dataDir: expected a directory, got none");
    }
    if (refreshInterval == null || refreshInterval.toMillis() < 1) {
      throw new IllegalArgumentException("refreshInterval: expected at least 1 ms, got " + refreshInterval);
    }
    if (sealDocs < 1) {
      throw new IllegalArgumentException("sealDocs: expected >= 1, got " + sealDocs);
    }
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes: expected >= 1, got " + maxBodyBytes);
    }
    if (writeLimits == null) {
      throw new IllegalArgumentException("writeLimits: expected the write admission limits, got none");
    }
    new StoreConfig(versionsKept, compactionSegments, flatBelow, busyIndexDocs);
    new ServiceSettings(StoreConfig.DEFAULTS, sealDocs, maxBodyBytes, quietPeriod, buildThreads);
  }

  /** With the default write admission limits. */
  public WriterConfig(Path dataDir, Duration refreshInterval, int sealDocs, int versionsKept, int compactionSegments,
      long maxBodyBytes, int flatBelow, Duration quietPeriod, int buildThreads, int busyIndexDocs) {
    this(dataDir, refreshInterval, sealDocs, versionsKept, compactionSegments, maxBodyBytes, flatBelow, quietPeriod,
        buildThreads, busyIndexDocs, WriteAdmission.Limits.DEFAULTS);
  }

  /** With the default quiet period, build threads, busy index size and write admission limits. */
  public WriterConfig(Path dataDir, Duration refreshInterval, int sealDocs, int versionsKept, int compactionSegments,
      long maxBodyBytes, int flatBelow) {
    this(dataDir, refreshInterval, sealDocs, versionsKept, compactionSegments, maxBodyBytes, flatBelow,
        ServiceSettings.QUIET_PERIOD, ServiceSettings.defaultBuildThreads(),
        StoreConfig.BUSY_INDEX_DOCS);
  }

  /**
   * Defaults: refresh every second, seal at 100 000 documents, keep 3 versions, compact above 4
   * segments, 100 MiB bodies, index quiet spaces after 3 s, builds on all cores but one.
   */
  public static WriterConfig defaults(Path dataDir) {
    return new WriterConfig(dataDir, Duration.ofSeconds(1), 100_000, 3, 4, 100L << 20, 10_000);
  }

  public WriterConfig withRefreshInterval(Duration d) {
    return new WriterConfig(dataDir, d, sealDocs, versionsKept, compactionSegments, maxBodyBytes, flatBelow,
        quietPeriod, buildThreads, busyIndexDocs, writeLimits);
  }

  public WriterConfig withSealDocs(int n) {
    return new WriterConfig(dataDir, refreshInterval, n, versionsKept, compactionSegments, maxBodyBytes, flatBelow,
        quietPeriod, buildThreads, busyIndexDocs, writeLimits);
  }

  public WriterConfig withFlatBelow(int n) {
    return new WriterConfig(dataDir, refreshInterval, sealDocs, versionsKept, compactionSegments, maxBodyBytes, n,
        quietPeriod, buildThreads, busyIndexDocs, writeLimits);
  }

  public WriterConfig withMaxBodyBytes(long n) {
    return new WriterConfig(dataDir, refreshInterval, sealDocs, versionsKept, compactionSegments, n, flatBelow,
        quietPeriod, buildThreads, busyIndexDocs, writeLimits);
  }

  public WriterConfig withQuietPeriod(Duration d) {
    return new WriterConfig(dataDir, refreshInterval, sealDocs, versionsKept, compactionSegments, maxBodyBytes,
        flatBelow, d, buildThreads, busyIndexDocs, writeLimits);
  }

  public WriterConfig withWriteLimits(WriteAdmission.Limits limits) {
    return new WriterConfig(dataDir, refreshInterval, sealDocs, versionsKept, compactionSegments, maxBodyBytes,
        flatBelow, quietPeriod, buildThreads, busyIndexDocs, limits);
  }

  /** How often the writer looks for quiet spaces to index: a quarter of the quiet period, 50 ms to 1 s. */
  public Duration quietCheckInterval() {
    return Duration.ofMillis(Math.clamp(quietPeriod.toMillis() / 4, 50, 1000));
  }

  /** The service settings this config gives. */
  public ServiceSettings settings() {
    return new ServiceSettings(new StoreConfig(versionsKept, compactionSegments, flatBelow, busyIndexDocs),
        sealDocs, maxBodyBytes, quietPeriod, buildThreads);
  }
}
