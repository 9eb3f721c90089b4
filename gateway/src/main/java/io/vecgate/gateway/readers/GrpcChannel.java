package io.vecgate.gateway.readers;

import io.vecgate.protocol.access.AccessTokens;
import io.vecgate.protocol.reader.GetRequest;
import io.vecgate.protocol.reader.GetResponse;
import io.vecgate.protocol.reader.PingRequest;
import io.vecgate.protocol.reader.PingResponse;
import io.vecgate.protocol.reader.ReaderGrpcClient;
import io.vecgate.protocol.reader.SearchRequest;
import io.vecgate.protocol.reader.SearchResponse;
import io.vecgate.runtime.tls.ClientTls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ReaderChannel} over one HTTP/2 connection: its own gRPC client (whose HTTP client pools
 * at most one HTTP/2 connection per server), so a pool of N channels is N TCP connections that
 * fail and reconnect on their own. Each call carries a gRPC deadline that the client enforces
 * (the stream is reset when it passes); connecting is bounded by {@code connectTimeoutMillis}.
 * Each call carries the node's read credential in the metadata {@value AccessTokens#HEADER}.
 */
final class GrpcChannel implements ReaderChannel {

  private static final PingRequest PING = PingRequest.getDefaultInstance();

  private final String nodeId;
  private final SocketAddress address;
  private final GrpcClient client;
  private final Optional<String> credential;

  GrpcChannel(Vertx vertx, String nodeId, String host, int port, int connectTimeoutMillis) {
    this(vertx, nodeId, host, port, connectTimeoutMillis, Optional.empty(), null);
  }

  /**
   * @param credential the {@code Bearer <token>} every call carries (empty: none)
   * @param tls calls over TLS (null: plain HTTP/2)
   */
  GrpcChannel(Vertx vertx, String nodeId, String host, int port, int connectTimeoutMillis, Optional<String> credential,
              ClientTls tls) {
    this.nodeId = nodeId;
    this.credential = credential;
    this.address = SocketAddress.inetSocketAddress(port, host);
    // HTTP/2 with prior knowledge, as GrpcClient's own default options (no HTTP/1.1 upgrade round trip).
    HttpClientOptions http = new HttpClientOptions().setHttp2ClearTextUpgrade(false).setConnectTimeout(connectTimeoutMillis);
    this.client = GrpcClient.client(vertx, new GrpcClientOptions().setScheduleDeadlineAutomatically(true),
        tls == null ? http : tls.configure(http));
  }

  @Override
  public Future<SearchResponse> search(SearchRequest request, long timeoutMillis) {
    return call(ReaderGrpcClient.Search, request, timeoutMillis);
  }

  @Override
  public Future<GetResponse> get(GetRequest request, long timeoutMillis) {
    return call(ReaderGrpcClient.Get, request, timeoutMillis);
  }

  @Override
  public Future<PingResponse> ping(long timeoutMillis) {
    return call(ReaderGrpcClient.Ping, PING, timeoutMillis);
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }

  private <Req, Resp> Future<Resp> call(ServiceMethod<Resp, Req> method, Req message, long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    return client.request(address, method).compose(req -> {
      // What connecting took comes off the call's own deadline.
      long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      req.timeout(left, TimeUnit.MILLISECONDS);
      credential.ifPresent(c -> req.headers().set(AccessTokens.HEADER, c));
      return req.send(message).compose(resp -> resp.last().recover(e -> Future.failedFuture(statusOf(resp, e))));
    }).recover(e -> Future.failedFuture(classify(e, deadline, timeoutMillis)));
  }

  private Throwable statusOf(GrpcClientResponse<?, ?> resp, Throwable e) {
    GrpcStatus s = resp.status();
    return s != null && s != GrpcStatus.OK ? ReaderCallException.status(nodeId, s, resp.statusMessage()) : e;
  }

  private Throwable classify(Throwable e, long deadline, long timeoutMillis) {
    if (e instanceof ReaderCallException r) {
      return r.status() == GrpcStatus.DEADLINE_EXCEEDED || (r.status() == GrpcStatus.CANCELLED && System.nanoTime() >= deadline)
          ? ReaderCallException.timeout(nodeId, timeoutMillis) : r;
    }
    if (System.nanoTime() >= deadline) {
      return ReaderCallException.timeout(nodeId, timeoutMillis);
    }
    return ReaderCallException.connection(nodeId, "connection to " + address + " failed: " + describe(e), e);
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
  }
}
