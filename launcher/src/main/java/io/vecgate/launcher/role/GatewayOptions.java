package io.vecgate.launcher.role;

import io.vecgate.gateway.GatewayConfig;
import io.vecgate.gateway.readers.RoutingConfig;
import io.vecgate.launcher.config.Durations;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options of the gateway role (also taken by standalone). */
public final class GatewayOptions {

  @Option(names = "--read-port", defaultValue = "8080", description = "Read endpoint port (env READ_PORT). Default: ${DEFAULT-VALUE}")
  int readPort;

  @Option(names = "--write-port", defaultValue = "8081", description = "Write endpoint port (env WRITE_PORT). Default: ${DEFAULT-VALUE}")
  int writePort;

  @Option(names = "--milvus-port", defaultValue = "19530",
      description = "Milvus gRPC API port (io.milvus:milvus-sdk-java 2.6 clients); 0 = any free port, -1 = off. "
          + "Default: ${DEFAULT-VALUE}")
  int milvusPort;

  @Option(names = "--max-body-bytes", defaultValue = "67108864", description = "Largest request body (413 above). Default: ${DEFAULT-VALUE}")
  long maxBodyBytes;

  @Option(names = "--max-top-k", defaultValue = "10000", description = "Largest search size. Default: ${DEFAULT-VALUE}")
  int maxTopK;

  @Option(names = "--in-process-readers", defaultValue = "true", arity = "1",
      description = "Call readers running in this JVM (standalone) directly instead of over loopback gRPC. Default: ${DEFAULT-VALUE}")
  boolean inProcessReaders;

  @Option(names = "--reader-connections", defaultValue = "2",
      description = "gRPC connections kept open to each reader. Default: ${DEFAULT-VALUE}")
  int readerConnections;

  @Option(names = "--heartbeat-interval", defaultValue = "1s", converter = Durations.class,
      description = "Each connection to a reader is pinged this often; a reader is evicted after two rounds without "
          + "an answer. Default: ${DEFAULT-VALUE}")
  Duration heartbeatInterval;

  @Option(names = "--heartbeat-timeout", defaultValue = "500ms", converter = Durations.class,
      description = "A ping not answered within this is missed (at most --heartbeat-interval). Default: ${DEFAULT-VALUE}")
  Duration heartbeatTimeout;

  @Option(names = "--reconnect-backoff", defaultValue = "100ms", converter = Durations.class,
      description = "First wait before reopening a lost connection; doubles per failure. Default: ${DEFAULT-VALUE}")
  Duration reconnectBackoff;

  @Option(names = "--reconnect-backoff-max", defaultValue = "2s", converter = Durations.class,
      description = "Longest wait between reconnect attempts. Default: ${DEFAULT-VALUE}")
  Duration reconnectBackoffMax;

  @Option(names = "--reader-max-outstanding", defaultValue = "128",
      description = "Requests in flight on one reader beyond which it takes no more; when every reader that could "
          + "answer is full, searches get 429 with Retry-After. Default: ${DEFAULT-VALUE}")
  int readerMaxOutstanding;

  @Option(names = "--search-timeout", defaultValue = "30s", converter = Durations.class,
      description = "Deadline of a search or get at the gateway, its retry included (504 past it). Default: ${DEFAULT-VALUE}")
  Duration searchTimeout;

  @Option(names = "--retry-after", defaultValue = "1s", converter = Durations.class,
      description = "Retry-After of 429 and 503 answers (whole seconds). Default: ${DEFAULT-VALUE}")
  Duration retryAfter;

  /**
   * @throws IllegalArgumentException naming the option when a value is out of range
   */
  GatewayConfig config(String host) {
    GatewayConfig d = GatewayConfig.defaults();
    RoutingConfig routing = new RoutingConfig(readerConnections, heartbeatInterval, heartbeatTimeout,
        d.routing().missedHeartbeatsToEvict(), reconnectBackoff, reconnectBackoffMax, readerMaxOutstanding, searchTimeout,
        retryAfter);
    return new GatewayConfig(host, readPort, writePort, maxBodyBytes, maxTopK, d.readerExpiryMillis(), d.writerTimeoutMillis(),
        inProcessReaders, routing);
  }
}
