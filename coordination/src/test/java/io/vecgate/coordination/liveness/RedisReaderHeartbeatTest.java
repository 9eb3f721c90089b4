package io.vecgate.coordination.liveness;

import static io.vecgate.coordination.alias.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.alias.testkit.Await;
import io.vecgate.coordination.alias.testkit.RedisCli;
import io.vecgate.coordination.alias.testkit.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader's Redis heartbeat against real Redis: on the shared one (a random key prefix) the key
 * holds the state with a TTL, is rewritten, and is deleted by a graceful close; on a redis-server
 * of the test's own, stopping Redis makes the reader stop announcing the key and say so, and its
 * return brings the key back.
 */
class RedisReaderHeartbeatTest {

  final Vertx vertx = Vertx.vertx();
  final String prefix = "vgtest-hb-" + UUID.randomUUID().toString().substring(0, 8);
  final AtomicInteger beats = new AtomicInteger();
  RedisReaderHeartbeat heartbeat;

  @TempDir Path dir;

  @AfterEach
  void close() throws Exception {
    if (heartbeat != null) {
      await(heartbeat.close());
    }
    RedisCli.deleteKeys(6379, prefix + ":*");
    await(vertx.close());
  }

  JsonObject state() {
    return new JsonObject().put("node_id", "r1").put("beat", beats.incrementAndGet());
  }

  @Test
  void writesTheStateWithATtlRewritesItAndDeletesItOnClose() throws Exception {
    heartbeat = new RedisReaderHeartbeat("redis://127.0.0.1:6379", "redis://127.0.0.1:6379", prefix, "r1",
        Duration.ofMillis(600));
    String key = prefix + ":reader:r1";
    assertEquals(key, heartbeat.key());
    assertNull(heartbeat.announcedKey(), "nothing written before start");
    await(heartbeat.start(vertx, this::state));
    assertEquals(key, heartbeat.announcedKey());
    assertFalse(heartbeat.failing());
    JsonObject stored = new JsonObject(RedisCli.call(6379, "GET", key));
    assertEquals("r1", stored.getString("node_id"));
    long ttl = Long.parseLong(RedisCli.call(6379, "PTTL", key));
    assertTrue(ttl > 0 && ttl <= 600, "PTTL " + ttl);
    // Rewritten every 200 ms: it outlives its TTL, each time with the state of the moment.
    Thread.sleep(1500);
    assertEquals("1", RedisCli.call(6379, "EXISTS", key));
    assertTrue(new JsonObject(RedisCli.call(6379, "GET", key)).getInteger("beat") >= 5, () -> heartbeat.detail());
    assertTrue(heartbeat.detail().contains("written every 200 ms"), heartbeat.detail());

    await(heartbeat.close());
    assertEquals("0", RedisCli.call(6379, "EXISTS", key), "a graceful stop deletes the key");
    assertNull(heartbeat.announcedKey());
    heartbeat = null;
  }

  @Test
  void whileRedisIsDownTheKeyIsNotAnnouncedAndItComesBackWithRedis() throws Exception {
    try (RedisServer redis = RedisServer.start(dir, false)) {
      heartbeat = new RedisReaderHeartbeat(redis.uri(), redis.uri(), prefix, "r2", Duration.ofMillis(300));
      await(heartbeat.start(vertx, this::state));
      assertEquals(prefix + ":reader:r2", heartbeat.announcedKey());

      redis.stop();
      Await.until("the heartbeat to fail", Duration.ofSeconds(10), heartbeat::failing);
      assertNull(heartbeat.announcedKey(), "a reader that cannot write its key does not announce it");
      assertTrue(heartbeat.detail().contains("failing since"), heartbeat.detail());

      redis.start(); // empty: its keys are gone
      Await.until("the heartbeat to be written again", Duration.ofSeconds(10), () -> heartbeat.announcedKey() != null);
      assertFalse(heartbeat.failing());
      assertTrue(redis.command("EXISTS " + prefix + ":reader:r2").startsWith(":1"));
    }
  }

  @Test
  void theTtlIsCheckedAndAHazelcastStoreHasNoHeartbeat() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RedisReaderHeartbeat("redis://127.0.0.1:6379", "x", "p", "r", Duration.ofMillis(100)));
    assertEquals("--redis-heartbeat-ttl: expected 300ms to 10m, got 100ms", e.getMessage());
    ReaderHeartbeat none = RedisReaderHeartbeat.forStore(AliasStoreConfig.defaults(), "r", Duration.ofSeconds(3));
    assertNull(none.announcedKey());
    assertTrue(RedisReaderHeartbeat.forStore(AliasStoreConfig.redis("redis://127.0.0.1:6379", "dep1"), "r9",
        Duration.ofSeconds(3)) instanceof RedisReaderHeartbeat r && r.key().equals("dep1:reader:r9"));
  }
}
