package io.vecgate.gateway;

import io.vecgate.gateway.readers.RoutingConfig;

/**
 * Settings of the gateway role.
 *
 * @param host the address both endpoints bind to
 * @param readPort the read endpoint (searches, gets, descriptions)
 * @param writePort the write endpoint (dbs, spaces, documents, aliases)
 * @param maxBodyBytes largest request body accepted (413 above)
 * @param maxTopK largest {@code size} of a search
 * @param readerExpiryMillis a reader that has not reported its state for this long is not used
 * @param writerTimeoutMillis how long a write request waits for the writer
 * @param inProcessReaders call readers of this JVM (standalone) directly instead of over loopback gRPC
 * @param routing connections to readers, heartbeats, queue limits, search deadline, Retry-After
 */
public record GatewayConfig(String host, int readPort, int writePort, long maxBodyBytes, int maxTopK,
                            long readerExpiryMillis, long writerTimeoutMillis, boolean inProcessReaders,
                            RoutingConfig routing) {

  public static GatewayConfig defaults() {
    return new GatewayConfig("127.0.0.1", 8080, 8081, 64L << 20, 10_000, 3_000, 120_000, true, RoutingConfig.defaults());
  }

  public GatewayConfig withPorts(int read, int write) {
    return new GatewayConfig(host, read, write, maxBodyBytes, maxTopK, readerExpiryMillis, writerTimeoutMillis,
        inProcessReaders, routing);
  }

  public GatewayConfig withInProcessReaders(boolean v) {
    return new GatewayConfig(host, readPort, writePort, maxBodyBytes, maxTopK, readerExpiryMillis, writerTimeoutMillis, v,
        routing);
  }

  public GatewayConfig withRouting(RoutingConfig r) {
    return new GatewayConfig(host, readPort, writePort, maxBodyBytes, maxTopK, readerExpiryMillis, writerTimeoutMillis,
        inProcessReaders, r);
  }
}
