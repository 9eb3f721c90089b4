package io.vecgate.gateway.readers;

import io.vecgate.protocol.reader.GetRequest;
import io.vecgate.protocol.reader.GetResponse;
import io.vecgate.protocol.reader.PingResponse;
import io.vecgate.protocol.reader.SearchRequest;
import io.vecgate.protocol.reader.SearchResponse;
import io.vertx.core.Future;

/**
 * One connection to a reader (one HTTP/2 connection for {@link GrpcChannel}). Every call takes
 * its own timeout; failures come back as {@link ReaderCallException}s. {@link ConnectionPool}
 * holds several and replaces one that failed; tests give it fakes.
 */
public interface ReaderChannel {

  Future<SearchResponse> search(SearchRequest request, long timeoutMillis);

  Future<GetResponse> get(GetRequest request, long timeoutMillis);

  /** The heartbeat. */
  Future<PingResponse> ping(long timeoutMillis);

  /** Closes the connection; calls still in flight on it fail with {@link ReaderCallException.Kind#CONNECTION}. */
  Future<Void> close();
}
