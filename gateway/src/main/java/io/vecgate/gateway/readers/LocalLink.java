package io.vecgate.gateway.readers;

import io.vecgate.protocol.reader.GetRequest;
import io.vecgate.protocol.reader.GetResponse;
import io.vecgate.protocol.reader.Reader;
import io.vecgate.protocol.reader.SearchRequest;
import io.vecgate.protocol.reader.SearchResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

/**
 * A reader deployed in this JVM (standalone), called through its service interface: no
 * connection, no heartbeat, no hop. Only the deadline is added (one timer per call), and the
 * reader's statuses become {@link ReaderCallException}s as over gRPC.
 */
final class LocalLink implements ReaderLink {

  private final String nodeId;
  private final Reader reader;
  private final Timers timers;

  LocalLink(String nodeId, Reader reader, Timers timers) {
    this.nodeId = nodeId;
    this.reader = reader;
    this.timers = timers;
  }

  @Override
  public Future<SearchResponse> search(SearchRequest request, long timeoutMillis) {
    return within(reader.search(request), timeoutMillis);
  }

  @Override
  public Future<GetResponse> get(GetRequest request, long timeoutMillis) {
    return within(reader.get(request), timeoutMillis);
  }

  private <T> Future<T> within(Future<T> call, long timeoutMillis) {
    Promise<T> out = Promise.promise();
    long timer = timers.setTimer(timeoutMillis, () -> out.tryFail(ReaderCallException.timeout(nodeId, timeoutMillis)));
    call.onComplete(ar -> {
      timers.cancel(timer);
      if (ar.succeeded()) {
        out.tryComplete(ar.result());
      } else {
        out.tryFail(ar.cause() instanceof StatusException s ? ReaderCallException.status(nodeId, s.status(), s.message())
            : ReaderCallException.status(nodeId, GrpcStatus.INTERNAL, String.valueOf(ar.cause())));
      }
    });
    return out.future();
  }

  @Override
  public boolean usable() {
    return true;
  }

  @Override
  public boolean inProcess() {
    return true;
  }

  @Override
  public void start() {
    // Nothing to open: the reader is an object of this JVM.
  }

  @Override
  public void close() {
    // Nothing to close.
  }

  @Override
  public JsonArray describe() {
    return new JsonArray();
  }
}
