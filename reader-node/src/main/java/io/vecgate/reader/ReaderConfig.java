package io.vecgate.reader;

import java.nio.file.Path;
import java.time.Duration;
import io.vecgate.reader.search.merge.MergeSettings;
import io.vecgate.reader.version.MemoryBudget;
import java.util.List;
import java.util.Objects;

/**
 * What a reader needs to run.
 *
 * @param dataDir the data directory (the shared mount the writer publishes to)
 * @param nodeId this reader's name in the reader state and Ping
 * @param host the interface the gRPC server binds (and announces)
 * @param grpcPort the gRPC port; 0 picks a free one ({@link ReaderVerticle#grpcPort()} tells which)
 * @param warmupQueries queries run on a version before it serves
 * @param releaseGrace how long a superseded version keeps serving after the newer one is ready
 * @param searchThreads threads of the search executor
 * @param partitions the partitions this reader maps and serves (a large space spread over readers); empty = all
 * @param merge how searches waiting for the reader are merged into engine batches
 * @param memoryBudget how many bytes of segment files it maps at most; a version that would not fit is refused
 */
public record ReaderConfig(Path dataDir, String nodeId, String host, int grpcPort, int warmupQueries,
                           Duration releaseGrace, int searchThreads, List<Integer> partitions, MergeSettings merge,
                           MemoryBudget memoryBudget) {

  public static final int DEFAULT_WARMUP_QUERIES = 100;
  public static final Duration DEFAULT_RELEASE_GRACE = Duration.ofSeconds(5);

  /** A reader of every partition. */
  public ReaderConfig(Path dataDir, String nodeId, String host, int grpcPort, int warmupQueries, Duration releaseGrace,
                      int searchThreads) {
    this(dataDir, nodeId, host, grpcPort, warmupQueries, releaseGrace, searchThreads, List.of(), MergeSettings.DEFAULTS,
        MemoryBudget.unlimited());
  }

  /** A reader with the default merging and no memory budget. */
  public ReaderConfig(Path dataDir, String nodeId, String host, int grpcPort, int warmupQueries, Duration releaseGrace,
                      int searchThreads, List<Integer> partitions) {
    this(dataDir, nodeId, host, grpcPort, warmupQueries, releaseGrace, searchThreads, partitions, MergeSettings.DEFAULTS,
        MemoryBudget.unlimited());
  }

  public ReaderConfig {
    partitions = List.copyOf(partitions);
    Objects.requireNonNull(merge, "merge");
    Objects.requireNonNull(memoryBudget, "memoryBudget");
    for (int p : partitions) {
      if (p < 0) {
        throw new IllegalArgumentException("partitions must be >= 0, got " + p);
      }
    }
    if (grpcPort < 0 || grpcPort > 65535) {
      throw new IllegalArgumentException("grpcPort must be in 0..65535, got " + grpcPort);
    }
    if (warmupQueries < 0) {
      throw new IllegalArgumentException("warmupQueries must be >= 0, got " + warmupQueries);
    }
    if (releaseGrace.isNegative()) {
      throw new IllegalArgumentException("releaseGrace must be >= 0, got " + releaseGrace);
    }
    if (searchThreads < 1) {
      throw new IllegalArgumentException("searchThreads must be >= 1, got " + searchThreads);
    }
  }

  /** A reader on 127.0.0.1 with an ephemeral port and the defaults. */
  public static ReaderConfig defaults(Path dataDir, String nodeId) {
    return new ReaderConfig(dataDir, nodeId, "127.0.0.1", 0, DEFAULT_WARMUP_QUERIES, DEFAULT_RELEASE_GRACE,
        Runtime.getRuntime().availableProcessors());
  }

  public ReaderConfig withGrpcPort(int v) {
    return new ReaderConfig(dataDir, nodeId, host, v, warmupQueries, releaseGrace, searchThreads, partitions, merge,
        memoryBudget);
  }

  public ReaderConfig withWarmupQueries(int v) {
    return new ReaderConfig(dataDir, nodeId, host, grpcPort, v, releaseGrace, searchThreads, partitions, merge,
        memoryBudget);
  }

  public ReaderConfig withReleaseGrace(Duration v) {
    return new ReaderConfig(dataDir, nodeId, host, grpcPort, warmupQueries, v, searchThreads, partitions, merge,
        memoryBudget);
  }

  public ReaderConfig withSearchThreads(int v) {
    return new ReaderConfig(dataDir, nodeId, host, grpcPort, warmupQueries, releaseGrace, v, partitions, merge,
        memoryBudget);
  }

  public ReaderConfig withPartitions(List<Integer> v) {
    return new ReaderConfig(dataDir, nodeId, host, grpcPort, warmupQueries, releaseGrace, searchThreads, v, merge,
        memoryBudget);
  }

  public ReaderConfig withMerge(MergeSettings v) {
    return new ReaderConfig(dataDir, nodeId, host, grpcPort, warmupQueries, releaseGrace, searchThreads, partitions, v,
        memoryBudget);
  }

  public ReaderConfig withMemoryBudget(MemoryBudget v) {
    return new ReaderConfig(dataDir, nodeId, host, grpcPort, warmupQueries, releaseGrace, searchThreads, partitions, merge,
        v);
  }

  /** Whether this reader maps and serves {@code partition}. */
  public boolean serves(int partition) {
    return partitions.isEmpty() || partitions.contains(partition);
  }
}
