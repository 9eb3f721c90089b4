package io.vecgate.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.coordination.liveness.ReaderHeartbeat;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.vector.Metric;
import io.vecgate.protocol.access.AccessTokens;
import io.vecgate.protocol.bus.Addresses;
import io.vecgate.protocol.bus.ReaderState;
import io.vecgate.protocol.bus.VersionNotice;
import io.vecgate.protocol.reader.PingRequest;
import io.vecgate.protocol.reader.ReaderGrpcClient;
import io.vecgate.reader.testkit.Await;
import io.vecgate.reader.testkit.StateWatcher;
import io.vecgate.reader.testkit.TestSpace;
import io.vecgate.reader.version.VersionKey;
import io.vecgate.store.DataLayout;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reader with every token set: its gRPC door, its admin commands and the version notices it takes. */
class ReaderAccessTest {

  private static final int DIM = 4;
  private static final AccessTokens TOKENS = AccessTokens.of("r-tok", "w-tok", "a-tok");

  @TempDir Path tmp;
  Vertx vertx;
  ReaderVerticle reader;
  GrpcClient grpc;
  TestSpace items;

  @BeforeEach
  void start() throws Exception {
    items = new TestSpace(new DataLayout(tmp), "shop", "items", DIM, Metric.L2, IndexType.FLAT, Map.of());
    items.segment("p0-1.seg", TestSpace.docs(0, 20, DIM, 1));
    items.publish(1, Map.of(0, List.of("p0-1.seg")), Map.of());
    vertx = Vertx.vertx();
    reader = new ReaderVerticle(ReaderConfig.defaults(tmp, "reader-1").withWarmupQueries(2), ReaderHeartbeat.none(),
        TOKENS);
    Await.result(vertx.deployVerticle(reader));
    Await.result(reader.ready());
    grpc = GrpcClient.client(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    Await.result(grpc.close());
    Await.result(vertx.close());
  }

  /** A Ping over a real gRPC connection with {@code authorization} metadata (null: none): its status and message. */
  String ping(String authorization) throws Exception {
    SocketAddress at = SocketAddress.inetSocketAddress(reader.grpcPort(), "127.0.0.1");
    Future<String> outcome = grpc.request(at, ReaderGrpcClient.Ping).compose(req -> {
      if (authorization != null) {
        req.headers().set(AccessTokens.HEADER, authorization);
      }
      return req.send(PingRequest.getDefaultInstance())
          .compose(resp -> resp.last().map(p -> "OK " + p.getNodeId())
              .recover(e -> Future.succeededFuture(resp.status() + " " + resp.statusMessage())));
    });
    return Await.result(outcome);
  }

  @Test
  void grpcCallsNeedATokenThatOpensReads() throws Exception {
    String none = ping(null);
    assertTrue(none.startsWith(GrpcStatus.UNAUTHENTICATED + " token_required: this needs the read, write or admin token"),
        none);
    String wrong = ping("Bearer guess");
    assertTrue(wrong.startsWith(GrpcStatus.PERMISSION_DENIED + " token_invalid"), wrong);
    assertEquals("OK reader-1", ping("Bearer r-tok"));
    assertEquals("OK reader-1", ping("Bearer a-tok"));
  }

  @Test
  void adminCommandsNeedTheAdminToken() throws Exception {
    assertEquals(401, refused(null));
    assertEquals(403, refused("Bearer w-tok"));
    JsonObject state = Await.result(vertx.eventBus().<JsonObject>request(Addresses.readerAdmin("reader-1"), null,
        new DeliveryOptions().addHeader("cmd", "state").addHeader(AccessTokens.HEADER, "Bearer a-tok"))).body();
    assertEquals("reader-1", state.getString("node_id"));
  }

  @Test
  void versionNoticesWithoutTheAdminTokenMapAndDropNothing() throws Exception {
    items.publish(2, Map.of(0, List.of("p0-1.seg")), Map.of());
    vertx.eventBus().publish(Addresses.VERSIONS, VersionNotice.dropped("shop", "items").toJson());
    vertx.eventBus().publish(Addresses.VERSIONS, VersionNotice.published("shop", "items", 2, null).toJson(),
        new DeliveryOptions().addHeader(AccessTokens.HEADER, "Bearer w-tok"));
    Thread.sleep(500);
    assertEquals(List.of(new VersionKey("shop", "items", 1)), reader.loadedVersions());
    try (StateWatcher states = new StateWatcher(vertx, ReaderVerticle.READERS_ADDRESS)) {
      var served = states.next(st -> ReaderState.fromJson(st).servesAtLeast("shop", "items", 2));
      vertx.eventBus().publish(Addresses.VERSIONS, VersionNotice.published("shop", "items", 2, null).toJson(),
          TOKENS.sign(new DeliveryOptions(), io.vecgate.protocol.access.AccessLevel.ADMIN));
      Await.result(served);
    }
    assertTrue(reader.loadedVersions().contains(new VersionKey("shop", "items", 2)), reader.loadedVersions()::toString);
  }

  int refused(String authorization) throws Exception {
    DeliveryOptions o = new DeliveryOptions().addHeader("cmd", "state");
    if (authorization != null) {
      o.addHeader(AccessTokens.HEADER, authorization);
    }
    try {
      Await.result(vertx.eventBus().request(Addresses.readerAdmin("reader-1"), null, o));
    } catch (Exception e) {
      Throwable c = e;
      while (!(c instanceof ReplyException) && c.getCause() != null) {
        c = c.getCause();
      }
      return ((ReplyException) c).failureCode();
    }
    throw new AssertionError("state was answered with " + authorization);
  }
}
