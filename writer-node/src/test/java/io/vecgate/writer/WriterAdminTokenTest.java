package io.vecgate.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.alias.AliasStores;
import io.vecgate.coordination.liveness.ReaderLiveness;
import io.vecgate.protocol.admin.AdminToken;
import io.vecgate.protocol.bus.Addresses;
import io.vecgate.writer.rebuild.RebuildJob;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's admin address and admin operations with a token set. */
class WriterAdminTokenTest {

  @TempDir Path dir;
  Vertx vertx;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    AliasStore aliases = await(AliasStores.open(vertx, AliasStoreConfig.defaults()));
    await(vertx.deployVerticle(new WriterVerticle(WriterConfig.defaults(dir).withRefreshInterval(Duration.ofMillis(100)),
        aliases, RebuildJob.Settings.defaults(), ReaderLiveness.none(), AdminToken.of("s3cret"))));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  Message<Buffer> send(String address, String op, String token) throws Exception {
    DeliveryOptions o = new DeliveryOptions().addHeader("op", op);
    if (token != null) {
      o.addHeader(AdminToken.HEADER, token);
    }
    return await(vertx.eventBus().<Buffer>request(address, Buffer.buffer(), o));
  }

  ReplyException refused(String address, String op, String token) throws Exception {
    try {
      send(address, op, token);
    } catch (ExecutionException e) {
      return (ReplyException) e.getCause();
    }
    throw new AssertionError(op + " on " + address + " was taken with token " + token);
  }

  @Test
  void adminAddressChecksTheTokenForEveryOp() throws Exception {
    ReplyException none = refused(Addresses.ADMIN_WRITER, "db.list", null);
    assertEquals(401, none.failureCode());
    assertEquals("admin_token_required", new JsonObject(none.getMessage()).getJsonObject("error").getString("type"));
    ReplyException wrong = refused(Addresses.ADMIN_WRITER, "db.list", "guess");
    assertEquals(403, wrong.failureCode());
    Message<Buffer> ok = send(Addresses.ADMIN_WRITER, "db.list", "s3cret");
    assertEquals("200", ok.headers().get("status"));
  }

  @Test
  void jobsAndGcNeedTheTokenOnTheWriterAddressToo() throws Exception {
    assertEquals(401, refused(Addresses.WRITER, "job.list", null).failureCode());
    assertEquals(403, refused(Addresses.WRITER, "gc", "guess").failureCode());
    assertTrue(send(Addresses.WRITER, "job.list", "s3cret").body().toJsonObject().containsKey("jobs"));
    JsonObject gc = send(Addresses.ADMIN_WRITER, "gc", "s3cret").body().toJsonObject();
    assertEquals(0, gc.getJsonArray("dropped").size(), gc::encode);
    // The gateway's ordinary traffic does not carry the token and is not asked for it.
    assertEquals("200", send(Addresses.WRITER, "db.list", null).headers().get("status"));
  }
}
