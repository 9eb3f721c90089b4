package io.vecgate.gateway.readers;

import io.vecgate.protocol.reader.Reader;
import io.vecgate.runtime.node.LocalReaders;
import io.vecgate.runtime.tls.ClientTls;
import io.vertx.core.Vertx;
import java.util.Optional;

/** Opens the {@link ReaderLink} to a reader that announced itself at {@code host:port}. */
@FunctionalInterface
public interface LinkFactory {

  /** @param health the reader's health (it outlives links: a reader that moves keeps it) */
  ReaderLink open(String nodeId, String host, int port, ReaderHealth health);

  /**
   * In-process when {@code inProcess} and the reader runs in this JVM ({@link LocalReaders}),
   * else a {@link ConnectionPool} of {@link GrpcChannel}s (connect timeout = heartbeat timeout).
   *
   * @param credential the {@code Bearer <token>} every gRPC call carries (empty: none)
   * @param tls gRPC over TLS (null: plain)
   */
  static LinkFactory of(Vertx vertx, boolean inProcess, RoutingConfig config, ReaderMetrics metrics, Timers timers,
                        Optional<String> credential, ClientTls tls) {
    int connectTimeout = (int) Math.min(Integer.MAX_VALUE, config.heartbeatTimeout().toMillis());
    return (nodeId, host, port, health) -> {
      Reader local = inProcess ? LocalReaders.lookup(vertx, nodeId) : null;
      if (local != null) {
        return new LocalLink(nodeId, local, timers);
      }
      return new ConnectionPool(nodeId, host + ":" + port, () -> new GrpcChannel(vertx, nodeId, host, port, connectTimeout, credential, tls),
          config, health, metrics, timers);
    };
  }
}
