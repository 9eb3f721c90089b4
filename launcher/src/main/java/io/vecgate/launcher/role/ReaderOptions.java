package io.vecgate.launcher.role;

import io.vecgate.launcher.config.Durations;
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
}
