package io.vecgate.writer;

import io.vecgate.writer.service.DefaultWriterService;
import io.vecgate.writer.store.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the writer role.
 *
 * @param dataDir the data directory (see {@link io.vecgate.common.store.DataLayout})
 * @param refreshInterval how often spaces with unpublished writes seal and publish
 * @param sealDocs a space seals as soon as it buffers this many documents
 * @param versionsKept published versions kept per space
 * @param mergeSegments a partition with more segments than this is merged
 * @param maxBodyBytes larger request bodies are refused with 413
 * @param flatBelow segments with fewer documents are built FLAT (IVF also needs 39 x nlist)
 */
public record WriterConfig(Path dataDir, Duration refreshInterval, int sealDocs, int versionsKept, int mergeSegments,
                           long maxBodyBytes, int flatBelow) {

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
    new StoreConfig(versionsKept, mergeSegments, flatBelow);
  }

  /** Defaults: refresh every second, seal at 100 000 documents, keep 3 versions, merge above 4 segments, 100 MiB bodies. */
  public static WriterConfig defaults(Path dataDir) {
    return new WriterConfig(dataDir, Duration.ofSeconds(1), 100_000, 3, 4, 100L << 20, 10_000);
  }

  public WriterConfig withRefreshInterval(Duration d) {
    return new WriterConfig(dataDir, d, sealDocs, versionsKept, mergeSegments, maxBodyBytes, flatBelow);
  }

  public WriterConfig withSealDocs(int n) {
    return new WriterConfig(dataDir, refreshInterval, n, versionsKept, mergeSegments, maxBodyBytes, flatBelow);
  }

  public WriterConfig withFlatBelow(int n) {
    return new WriterConfig(dataDir, refreshInterval, sealDocs, versionsKept, mergeSegments, maxBodyBytes, n);
  }

  public WriterConfig withMaxBodyBytes(long n) {
    return new WriterConfig(dataDir, refreshInterval, sealDocs, versionsKept, mergeSegments, n, flatBelow);
  }

  /** The service settings this config gives. */
  public DefaultWriterService.Settings settings() {
    return new DefaultWriterService.Settings(new StoreConfig(versionsKept, mergeSegments, flatBelow), sealDocs, maxBodyBytes);
  }
}
