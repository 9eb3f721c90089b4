package io.vecgate.gateway.readers;

import io.vecgate.protocol.reader.GetRequest;
import io.vecgate.protocol.reader.GetResponse;
import io.vecgate.protocol.reader.SearchRequest;
import io.vecgate.protocol.reader.SearchResponse;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

/**
 * How the gateway calls one reader: a {@link ConnectionPool} of gRPC connections kept alive by
 * heartbeats, or {@link LocalLink} for a reader in this JVM. Calls take their own timeout and
 * fail with {@link ReaderCallException}; both calls are idempotent.
 */
public interface ReaderLink {

  Future<SearchResponse> search(SearchRequest request, long timeoutMillis);

  Future<GetResponse> get(GetRequest request, long timeoutMillis);

  /** Whether a call can be sent now (a pool with every connection lost cannot). */
  boolean usable();

  boolean inProcess();

  /** Opens the connections and starts the heartbeats (nothing for an in-process reader). */
  void start();

  /** Stops the heartbeats and closes the connections; calls in flight fail. */
  void close();

  /** The connections for {@code /_cluster/nodes} (empty for an in-process reader). */
  JsonArray describe();
}
