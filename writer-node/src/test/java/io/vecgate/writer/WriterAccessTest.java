package io.vecgate.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.alias.AliasStores;
import io.vecgate.coordination.liveness.ReaderLiveness;
import io.vecgate.protocol.access.AccessLevel;
import io.vecgate.protocol.access.AccessTokens;
import io.vecgate.protocol.bus.Addresses;
import io.vecgate.protocol.writer.WriterOp;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's two addresses with every token set: each operation on {@code vecgate.writer} needs
 * a token of its level, every one on {@code vecgate.admin.writer} the admin token.
 */
class WriterAccessTest {

  static final String READ = "Bearer r-s3cret";
  static final String WRITE = "Bearer w-s3cret";
  static final String ADMIN = "Bearer a-s3cret";

  @TempDir Path dir;
  Vertx vertx;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    AliasStore aliases = await(AliasStores.open(vertx, AliasStoreConfig.defaults()));
    await(vertx.deployVerticle(new WriterVerticle(WriterConfig.defaults(dir).withRefreshInterval(Duration.ofMillis(100)),
        aliases, RebuildJob.Settings.defaults(), ReaderLiveness.none(), AccessTokens.of("r-s3cret", "w-s3cret", "a-s3cret"))));
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
      o.addHeader(AccessTokens.HEADER, token);
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
  void adminAddressNeedsTheAdminTokenForEveryOp() throws Exception {
    ReplyException none = refused(Addresses.ADMIN_WRITER, "db.list", null);
    assertEquals(401, none.failureCode());
    assertEquals("token_required", new JsonObject(none.getMessage()).getJsonObject("error").getString("type"));
    ReplyException wrong = refused(Addresses.ADMIN_WRITER, "db.list", "Bearer guess");
    assertEquals(403, wrong.failureCode());
    assertEquals("token_invalid", new JsonObject(wrong.getMessage()).getJsonObject("error").getString("type"));
    ReplyException write = refused(Addresses.ADMIN_WRITER, "db.list", WRITE);
    assertEquals(403, write.failureCode());
    assertEquals("token_insufficient", new JsonObject(write.getMessage()).getJsonObject("error").getString("type"));
    Message<Buffer> ok = send(Addresses.ADMIN_WRITER, "db.list", ADMIN);
    assertEquals("200", ok.headers().get("status"));
  }

  /**
   * Every operation, with every credential: refused with 401/403 below its level, taken at or
   * above it (taken: answered by the operation itself, whatever its answer to an empty request).
   */
  @Test
  void everyOperationOnTheWriterAddressNeedsATokenOfItsLevel() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (WriterOp op : WriterOp.values()) {
      for (AccessLevel presented : AccessLevel.values()) {
        String token = switch (presented) {
          case READ -> READ;
          case WRITE -> WRITE;
          case ADMIN -> ADMIN;
        };
        int code = outcome(op.wireName(), token);
        boolean refused = code == 401 || code == 403;
        if (refused == presented.covers(op.level())) {
          wrong.add(op + " with the " + presented.word() + " token: " + code);
        }
      }
      if (outcome(op.wireName(), null) != 401) {
        wrong.add(op + " without a token: " + outcome(op.wireName(), null));
      }
    }
    assertEquals(List.of(), wrong);
    // An operation the writer does not know is refused to whoever has no admin token.
    assertEquals(403, outcome("no.such.op", WRITE));
  }

  @Test
  void aClusterMemberWithoutTheTokenCannotSwitchAnAlias() throws Exception {
    send(Addresses.WRITER, "db.create", "{\"name\": \"shop\"}", ADMIN);
    ReplyException none = refused(Addresses.WRITER, "alias.switch", null);
    assertEquals(401, none.failureCode());
    assertTrue(none.getMessage().contains("the admin token"), none.getMessage());
  }

  /** 200 and the like for a request the operation answered, its failure code otherwise. */
  int outcome(String op, String token) throws Exception {
    try {
      return Integer.parseInt(send(Addresses.WRITER, op, token).headers().get("status"));
    } catch (ExecutionException e) {
      return ((ReplyException) e.getCause()).failureCode();
    }
  }

  Message<Buffer> send(String address, String op, String body, String token) throws Exception {
    DeliveryOptions o = new DeliveryOptions().addHeader("op", op).addHeader("db", "shop");
    o.addHeader(AccessTokens.HEADER, token);
    return await(vertx.eventBus().<Buffer>request(address, Buffer.buffer(body), o));
  }
}
