package io.vecgate.gateway.readers;

import java.time.Duration;

/**
 * How the gateway reaches its readers: connections, heartbeats, the per-reader queue limit, and
 * the deadline and {@code Retry-After} of searches. A value passed in, checked once here; each
 * message names the option to fix.
 *
 * @param connectionsPerReader gRPC connections kept open to each reader ({@code --reader-connections})
 * @param heartbeatInterval how often each open connection is pinged ({@code --heartbeat-interval})
 * @param heartbeatTimeout a ping not answered within this is a missed heartbeat ({@code --heartbeat-timeout})
 * @param missedHeartbeatsToEvict consecutive heartbeat rounds without an answer before the reader is evicted
 * @param reconnectBackoff first wait before reconnecting a lost connection; doubles per failure ({@code --reconnect-backoff})
 * @param reconnectBackoffMax the longest wait between reconnect attempts ({@code --reconnect-backoff-max})
 * @param maxOutstandingPerReader requests in flight on one reader beyond which it takes no more ({@code --reader-max-outstanding})
 * @param searchTimeout the deadline of a search or get, retries included ({@code --search-timeout})
 * @param retryAfter what 429 and 503 answers put in {@code Retry-After} ({@code --retry-after}, whole seconds, at least 1)
 */
public record RoutingConfig(int connectionsPerReader, Duration heartbeatInterval, Duration heartbeatTimeout,
                            int missedHeartbeatsToEvict, Duration reconnectBackoff, Duration reconnectBackoffMax,
                            int maxOutstandingPerReader, Duration searchTimeout, Duration retryAfter) {

  public RoutingConfig {
    require(connectionsPerReader >= 1 && connectionsPerReader <= 64, "--reader-connections",
        "between 1 and 64", String.valueOf(connectionsPerReader));
    require(heartbeatInterval.toMillis() >= 10, "--heartbeat-interval", "at least 10ms", heartbeatInterval);
    require(heartbeatTimeout.toMillis() >= 1 && heartbeatTimeout.compareTo(heartbeatInterval) <= 0,
        "--heartbeat-timeout", "at least 1ms and at most --heartbeat-interval (" + heartbeatInterval.toMillis() + "ms)",
        heartbeatTimeout);
    require(missedHeartbeatsToEvict >= 1, "missed heartbeats to evict", "at least 1", String.valueOf(missedHeartbeatsToEvict));
    require(reconnectBackoff.toMillis() >= 1, "--reconnect-backoff", "at least 1ms", reconnectBackoff);
    require(reconnectBackoffMax.compareTo(reconnectBackoff) >= 0, "--reconnect-backoff-max",
        "at least --reconnect-backoff (" + reconnectBackoff.toMillis() + "ms)", reconnectBackoffMax);
    require(maxOutstandingPerReader >= 1, "--reader-max-outstanding", "at least 1", String.valueOf(maxOutstandingPerReader));
    require(searchTimeout.toMillis() >= 1, "--search-timeout", "at least 1ms", searchTimeout);
    require(retryAfter.toSeconds() >= 1, "--retry-after", "at least 1s (it is sent in whole seconds)", retryAfter);
  }

  /** Two connections, a heartbeat every second with a 500 ms timeout, evicted after two misses, 128 outstanding, 30 s. */
  public static RoutingConfig defaults() {
    return new RoutingConfig(2, Duration.ofSeconds(1), Duration.ofMillis(500), 2, Duration.ofMillis(100),
        Duration.ofSeconds(2), 128, Duration.ofSeconds(30), Duration.ofSeconds(1));
  }

  public RoutingConfig withHeartbeat(Duration interval, Duration timeout) {
    return new RoutingConfig(connectionsPerReader, interval, timeout, missedHeartbeatsToEvict, reconnectBackoff,
        reconnectBackoffMax, maxOutstandingPerReader, searchTimeout, retryAfter);
  }

  public RoutingConfig withMaxOutstandingPerReader(int n) {
    return new RoutingConfig(connectionsPerReader, heartbeatInterval, heartbeatTimeout, missedHeartbeatsToEvict,
        reconnectBackoff, reconnectBackoffMax, n, searchTimeout, retryAfter);
  }

  public RoutingConfig withSearchTimeout(Duration d) {
    return new RoutingConfig(connectionsPerReader, heartbeatInterval, heartbeatTimeout, missedHeartbeatsToEvict,
        reconnectBackoff, reconnectBackoffMax, maxOutstandingPerReader, d, retryAfter);
  }

  /** {@link #retryAfter} in whole seconds, as the header carries it. */
  public long retryAfterSeconds() {
    return retryAfter.toSeconds();
  }

  private static void require(boolean ok, String option, String expected, Object got) {
    if (!ok) {
      String shown = got instanceof Duration d ? d.toMillis() + "ms" : String.valueOf(got);
      throw new IllegalArgumentException(option + ": expected " + expected + ", got " + shown);
    }
  }
}
