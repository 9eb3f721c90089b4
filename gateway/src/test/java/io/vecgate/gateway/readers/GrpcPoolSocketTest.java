package io.vecgate.gateway.readers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.protocol.reader.PingRequest;
import io.vecgate.protocol.reader.PingResponse;
import io.vecgate.protocol.reader.ReaderGrpcService;
import io.vecgate.protocol.reader.ReaderService;
import io.vecgate.protocol.reader.SearchRequest;
import io.vecgate.protocol.reader.SearchResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.StatusException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transport shell over real sockets: {@link GrpcChannel}'s statuses and deadlines, and a
 * {@link ConnectionPool} that evicts a reader whose server went away, then reconnects to it on the
 * same port and takes it back. A small gRPC reader of the test's own stands in for the reader.
 */
class GrpcPoolSocketTest {

  static final RoutingConfig FAST = new RoutingConfig(2, Duration.ofMillis(300), Duration.ofMillis(200), 2,
      Duration.ofMillis(20), Duration.ofMillis(100), 16, Duration.ofSeconds(5), Duration.ofSeconds(1));

  Vertx vertx;
  Context loop;
  HttpServer server;
  int port;
  final TestReader service = new TestReader();

  /** Answers pings; searches answer, fail with a status, or never answer, as the test says. */
  static final class TestReader extends ReaderService {
    volatile String mode = "answer";

    @Override
    public Future<PingResponse> ping(PingRequest request) {
      return Future.succeededFuture(PingResponse.newBuilder().setNodeId("r1").build());
    }

    @Override
    public Future<SearchResponse> search(SearchRequest request) {
      return switch (mode) {
        case "not-found" -> Future.failedFuture(new StatusException(GrpcStatus.NOT_FOUND, "reader r1 does not hold db/sp@9"));
        case "never" -> Promise.<SearchResponse>promise().future();
        default -> Future.succeededFuture(SearchResponse.newBuilder().setVersion(request.getVersion()).build());
      };
    }
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    loop = vertx.getOrCreateContext();
    listen(0);
  }

  private void listen(int p) throws Exception {
    GrpcServer grpc = GrpcServer.server(vertx).addService(ReaderGrpcService.of(service));
    server = await(() -> vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(p))
        .requestHandler(grpc).listen());
    port = server.actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Runs {@code f} on the test's event loop (where pools live) and waits for its result. */
  private <T> T await(Supplier<Future<T>> f) throws Exception {
    CompletableFuture<T> out = new CompletableFuture<>();
    loop.runOnContext(x -> f.get().onComplete(ar -> {
      if (ar.succeeded()) {
        out.complete(ar.result());
      } else {
        out.completeExceptionally(ar.cause());
      }
    }));
    return out.get(10, TimeUnit.SECONDS);
  }

  private Throwable failure(Supplier<Future<?>> f) throws Exception {
    try {
      await(f::get);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  private static void waitFor(String what, long millis, BooleanSupplier cond) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + millis + " ms waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void statusesDeadlinesAndRefusedConnectionsComeBackAsTheirKinds() throws Exception {
    GrpcChannel ch = new GrpcChannel(vertx, "r1", "127.0.0.1", port, 1000);
    SearchRequest r = SearchRequest.newBuilder().setVersion(9).build();
    // The first call of a cold JVM loads HTTP/2 and gRPC classes on both ends: a generous deadline.
    assertEquals(9, await(() -> ch.search(r, 10_000)).getVersion());

    service.mode = "not-found";
    ReaderCallException nf = assertInstanceOf(ReaderCallException.class, failure(() -> ch.search(r, 10_000)));
    assertEquals(ReaderCallException.Kind.STATUS, nf.kind());
    assertEquals(GrpcStatus.NOT_FOUND, nf.status());
    assertTrue(nf.getMessage().contains("does not hold db/sp@9"), nf.getMessage());
    assertTrue(nf.retriable());

    service.mode = "never";
    long t0 = System.nanoTime();
    ReaderCallException to = assertInstanceOf(ReaderCallException.class, failure(() -> ch.search(r, 200)));
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertEquals(ReaderCallException.Kind.TIMEOUT, to.kind(), to.getMessage());
    assertTrue(took >= 190 && took < 5000, "the deadline of 200 ms ended the call after " + took + " ms");
    await(ch::close);

    GrpcChannel nowhere = new GrpcChannel(vertx, "r9", "127.0.0.1", NodePorts.unused(), 1000);
    ReaderCallException refused = assertInstanceOf(ReaderCallException.class, failure(() -> nowhere.ping(10_000)));
    assertEquals(ReaderCallException.Kind.CONNECTION, refused.kind());
    await(nowhere::close);
  }

  @Test
  void aReaderWhoseServerGoesAwayIsEvictedAndTakenBackWhenItListensAgain() throws Exception {
    ReaderHealth health = new ReaderHealth(2);
    RecordingMetrics metrics = new RecordingMetrics();
    int p = port;
    ConnectionPool pool = await(() -> {
      ConnectionPool cp = new ConnectionPool("r1", "127.0.0.1:" + p, () -> new GrpcChannel(vertx, "r1", "127.0.0.1", p, 100),
          FAST, health, metrics, Timers.of(vertx));
      cp.start();
      return Future.succeededFuture(cp);
    });
    waitFor("a few heartbeats", 20_000, () -> metrics.count("heartbeat:r1:true") >= 3);
    assertEquals(2, await(() -> Future.succeededFuture(pool.openConnections())));
    SearchRequest r = SearchRequest.newBuilder().setVersion(1).build();
    assertEquals(1, await(() -> pool.search(r, 1000)).getVersion());

    await(server::close);
    waitFor("the eviction", 5000, health::evicted);
    long silentMs = TimeUnit.NANOSECONDS.toMillis(health.lastEvictionSilenceNanos());
    // Two rounds 300 ms apart, the last one's pings bounded by the 200 ms timeout; slack for a busy machine.
    assertTrue(silentMs <= 2 * 300 + 200 + 500, "evicted after " + silentMs + " ms without an answer");
    assertFalse(await(() -> Future.succeededFuture(pool.usable())));
    assertEquals(ReaderCallException.Kind.CONNECTION,
        assertInstanceOf(ReaderCallException.class, failure(() -> pool.search(r, 1000))).kind());

    listen(p);
    waitFor("the return", 10_000, () -> !health.evicted());
    assertEquals(1, metrics.count("returned:r1"));
    waitFor("both connections reopened", 10_000, () -> pool.openConnections() == 2);
    assertEquals(1, await(() -> pool.search(r, 1000)).getVersion());
    await(() -> {
      pool.close();
      return Future.succeededFuture();
    });
  }

  /** A loopback port nothing listens on (bound, then released). */
  static final class NodePorts {
    static int unused() throws java.io.IOException {
      try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      }
    }
  }
}
