package io.vecgate.launcher.role;

import io.vecgate.launcher.config.Durations;
import io.vecgate.reader.search.merge.MergeSettings;
import io.vecgate.reader.version.MemoryBudget;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options of the reader role (also taken by standalone). */
public final class ReaderOptions {

  @Option(names = "--grpc-port", defaultValue = "0",
      description = "Port of the reader's gRPC search service (0: any free port; the gateway learns it). Default: ${DEFAULT-VALUE}")
  int grpcPort;

  @Option(names = "--warmup-queries", defaultValue = "100",
      description = "Queries run on a version before it is reported ready. Default: ${DEFAULT-VALUE}")
  int warmupQueries;

  @Option(names = "--release-grace", defaultValue = "5s", converter = Durations.class,
      description = "A replaced version stays mapped this long for in-flight searches. Default: ${DEFAULT-VALUE}")
  Duration releaseGrace;

  @Option(names = "--search-threads", defaultValue = "0",
      description = "Threads running engine searches (0: one per core). Default: ${DEFAULT-VALUE}")
  int searchThreads;

  @Option(names = "--partitions", split = ",", description = "Partitions this reader maps and serves, e.g. 0,1 (default: all)")
  java.util.List<Integer> partitions = new java.util.ArrayList<>();

  @Option(names = "--query-merge", defaultValue = "on",
      description = "on: searches waiting for the reader that share version, partitions, fields, index parameters "
          + "and filters run as one engine batch; off: each alone. Default: ${DEFAULT-VALUE}")
  String queryMerge;

  @Option(names = "--merge-max-queries", defaultValue = "" + MergeSettings.DEFAULT_MAX_QUERIES,
      description = "Most query vectors in a merged batch. Default: ${DEFAULT-VALUE}")
  int mergeMaxQueries;

  @Option(names = "--merge-max-k-spread", defaultValue = "" + MergeSettings.DEFAULT_MAX_K_SPREAD,
      description = "Largest difference between the top-K of two searches merged together. Default: ${DEFAULT-VALUE}")
  int mergeMaxKSpread;

  @Option(names = "--merge-wait", defaultValue = "0ms", converter = Durations.class,
      description = "How long a batch may wait for more searches after its first one arrived (0: never; an idle "
          + "reader runs a search at once). Default: ${DEFAULT-VALUE}")
  Duration mergeWait;

  @Option(names = "--memory-budget", defaultValue = "default",
      description = "Most bytes of index files the reader maps: 512m, 4g, 60% (of physical memory, minus the heap), "
          + "unlimited, or default (" + (int) (MemoryBudget.DEFAULT_FRACTION * 100) + "% of physical memory minus the "
          + "heap). A version that does not fit beside what it serves is refused. Default: ${DEFAULT-VALUE}")
  String memoryBudget;

  /** @throws IllegalArgumentException naming {@code --memory-budget} and the value */
  MemoryBudget memoryBudget() {
    return memoryBudget.equals("default") ? MemoryBudget.defaults() : MemoryBudget.parse(memoryBudget);
  }

  /**
   * @throws IllegalArgumentException naming the option, the expected and the received value
   */
  MergeSettings mergeSettings() {
    boolean enabled = switch (queryMerge.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "on", "true" -> true;
      case "off", "false" -> false;
      default -> throw new IllegalArgumentException("--query-merge: expected on or off, got '" + queryMerge + "'");
    };
    if (mergeMaxQueries < 1 || mergeMaxQueries > MAX_MERGE_QUERIES) {
      throw new IllegalArgumentException("--merge-max-queries: expected 1 to " + MAX_MERGE_QUERIES + ", got "
          + mergeMaxQueries);
    }
    if (mergeMaxKSpread < 0) {
      throw new IllegalArgumentException("--merge-max-k-spread: expected at least 0, got " + mergeMaxKSpread);
    }
    if (mergeWait.isNegative() || mergeWait.compareTo(MAX_MERGE_WAIT) > 0) {
      throw new IllegalArgumentException("--merge-wait: expected 0ms to " + MAX_MERGE_WAIT.toMillis() + "ms, got "
          + mergeWait.toMillis() + "ms");
    }
    return new MergeSettings(enabled, mergeMaxQueries, mergeMaxKSpread, mergeWait);
  }

  /** A batch bigger than this holds the queries of many callers for the time of a large scan. */
  private static final int MAX_MERGE_QUERIES = 10_000;
  /** A longer wait is a latency floor, not a micro-wait. */
  private static final Duration MAX_MERGE_WAIT = Duration.ofSeconds(1);
}
