package io.vecgate.coordination.alias.redis;

import static io.vecgate.coordination.alias.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.coordination.alias.AliasErrors;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.alias.AliasStoreContract;
import io.vecgate.coordination.alias.AliasStores;
import io.vecgate.coordination.alias.AliasTarget;
import io.vecgate.coordination.alias.testkit.Await;
import io.vecgate.coordination.alias.testkit.RedisCli;
import io.vecgate.coordination.alias.testkit.RedisServer;
import io.vecgate.protocol.api.ApiException;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis store against real Redis servers: the contract on the shared Redis (127.0.0.1:6379,
 * a random key prefix per test, its keys deleted after), and the failure cases on a redis-server
 * of the test's own, which it may stop and whose clients it may kill: a lost notice heals on
 * reconnect, changes fail fast while Redis is down and reads go on, the store comes back by itself.
 */
class RedisAliasStoreTest extends AliasStoreContract {

  static final String SHARED = "redis://127.0.0.1:6379";
  static Vertx[] nodes = new Vertx[2];

  String prefix = "vgtest-" + UUID.randomUUID().toString().substring(0, 8);

  @TempDir Path dir;

  @BeforeAll
  static void vertx() {
    nodes[0] = Vertx.vertx();
    nodes[1] = Vertx.vertx();
  }

  @AfterAll
  static void close() throws Exception {
    await(nodes[0].close());
    await(nodes[1].close());
  }

  @Override
  protected AliasStore open(int node) throws Exception {
    return open(node, SHARED);
  }

  AliasStore open(int node, String uri) throws Exception {
    return await(AliasStores.open(nodes[node], new AliasStoreConfig(uri, prefix, HISTORY)));
  }

  @Override
  protected void cleanUp() throws Exception {
    RedisCli.deleteKeys(6379, prefix + ":*");
  }

  @Test
  void keyLayoutIsTheDesignsKey1Key2AndHistory() throws Exception {
    await(a.setBuilding("items", new AliasTarget("shop", "items_v2")));
    await(a.create("items", new AliasTarget("shop", "items_v1")));
    await(a.switchTo("items", null, new AliasTarget("shop", "items_v0")));
    assertEquals("shop/items_v0", RedisCli.call(6379, "GET", prefix + ":alias:items"));
    assertEquals("shop/items_v2", RedisCli.call(6379, "GET", prefix + ":alias:items:building"));
    assertEquals("shop/items_v1", RedisCli.call(6379, "LINDEX", prefix + ":alias:items:history", "0"));
    assertEquals("3", RedisCli.call(6379, "GET", prefix + ":aliases:revision"));
    assertEquals("3", RedisCli.call(6379, "HGET", prefix + ":aliases", "items"));
  }

  @Test
  void aLostNoticeHealsWhenTheSubscriberReconnects() throws Exception {
    try (RedisServer redis = RedisServer.start(dir, false)) {
      AliasStore writer = open(0, redis.uri());
      AliasStore reader = open(1, redis.uri());
      try {
        await(writer.create("live", new AliasTarget("shop", "v1")));
        Await.until("the reader to hear of the alias", Duration.ofSeconds(10),
            () -> new AliasTarget("shop", "v1").equals(reader.local().resolve("live")));
        // A change whose notice never arrives: made behind the store's back, with no PUBLISH.
        RedisCli.call(redis.port, "SET", prefix + ":alias:live", "shop/v2");
        RedisCli.call(redis.port, "INCR", prefix + ":aliases:revision");
        RedisCli.call(redis.port, "HSET", prefix + ":aliases", "live", "2");
        Thread.sleep(300);
        assertEquals(new AliasTarget("shop", "v1"), reader.local().resolve("live"), "no notice, no change (yet)");
        // The subscriber connections drop (as in a network blip); on reconnect the reader re-reads everything.
        assertTrue(redis.command("CLIENT KILL TYPE pubsub").startsWith(":"), "killed the subscribers");
        Await.until("the reader to re-read after reconnecting", Duration.ofSeconds(10),
            () -> new AliasTarget("shop", "v2").equals(reader.local().resolve("live")));
        // And notices flow again on the new subscription.
        await(writer.switchTo("live", new AliasTarget("shop", "v2"), new AliasTarget("shop", "v3")));
        Await.until("the next notice", Duration.ofSeconds(10),
            () -> new AliasTarget("shop", "v3").equals(reader.local().resolve("live")));
      } finally {
        await(writer.close());
        await(reader.close());
      }
    }
  }

  @Test
  void redisDownChangesFailFastReadsGoOnAndItComesBackByItself() throws Exception {
    try (RedisServer redis = RedisServer.start(dir, true)) {
      AliasStore writer = open(0, redis.uri());
      AliasStore gateway = open(1, redis.uri());
      try {
        await(writer.create("live", new AliasTarget("shop", "v1")));
        Await.until("the gateway to hear of it", Duration.ofSeconds(10),
            () -> gateway.local().resolve("live") != null);
        redis.stop();
        Await.until("the stores to notice Redis is gone", Duration.ofSeconds(10),
            () -> !writer.health().connected() && !gateway.health().connected());
        assertTrue(gateway.health().detail().contains(redis.uri()), gateway.health().detail());
        long t0 = System.nanoTime();
        ApiException refused = refusal(writer.switchTo("live", null, new AliasTarget("shop", "v2")));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(503, refused.status(), refused::reason);
        assertEquals(AliasErrors.UNAVAILABLE, refused.type());
        assertTrue(refused.reason().contains(redis.uri()), refused.reason());
        assertTrue(millis < 1000, "refused at once, not after a timeout: " + millis + " ms");
        assertEquals(503, refusal(writer.create("other", new AliasTarget("shop", "v1"))).status());
        // Reads of the local copy go on.
        assertEquals(new AliasTarget("shop", "v1"), gateway.local().resolve("live"));
        assertEquals(new AliasTarget("shop", "v1"), writer.local().resolve("live"));

        redis.start();
        Await.until("the stores to reconnect", Duration.ofSeconds(30),
            () -> writer.health().connected() && gateway.health().connected());
        assertEquals(new AliasTarget("shop", "v1"), gateway.local().resolve("live"), "Redis kept its data");
        await(writer.switchTo("live", new AliasTarget("shop", "v1"), new AliasTarget("shop", "v2")));
        Await.until("the gateway to hear the switch", Duration.ofSeconds(10),
            () -> new AliasTarget("shop", "v2").equals(gateway.local().resolve("live")));
      } finally {
        await(writer.close());
        await(gateway.close());
      }
    }
  }

  @Test
  void aRedisThatLostItsDataReplacesTheLocalCopies() throws Exception {
    try (RedisServer redis = RedisServer.start(dir, false)) {
      AliasStore gateway = open(1, redis.uri());
      AliasStore writer = open(0, redis.uri());
      try {
        await(writer.create("live", new AliasTarget("shop", "v1")));
        Await.until("the gateway to hear of it", Duration.ofSeconds(10), () -> gateway.local().resolve("live") != null);
        redis.stop();
        redis.start();
        // Both: the writer's store reconnects on its own backoff, which may end after the gateway's.
        Await.until("the stores to reconnect", Duration.ofSeconds(30),
            () -> gateway.health().connected() && writer.health().connected());
        // A Redis without its data is the authority: the alias is gone everywhere, not kept from a stale copy.
        Await.until("the gateway to drop the vanished alias", Duration.ofSeconds(10),
            () -> gateway.local().resolve("live") == null);
        await(writer.create("live", new AliasTarget("shop", "v9")));
        Await.until("a new alias after the wipe", Duration.ofSeconds(10),
            () -> new AliasTarget("shop", "v9").equals(gateway.local().resolve("live")));
      } finally {
        await(writer.close());
        await(gateway.close());
      }
    }
  }

  @Test
  void aStoreStartedWhileRedisIsDownStartsDegradedAndConnectsLater() throws Exception {
    int port = RedisServer.freePort();
    AliasStore s = open(0, "redis://127.0.0.1:" + port);
    try {
      assertFalse(s.health().connected());
      assertNull(s.local().resolve("live"));
      assertEquals(503, refusal(s.create("live", new AliasTarget("shop", "v1"))).status());
    } finally {
      await(s.close());
    }
  }

  @Test
  void configRefusesBadValuesNamingTheOption() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new AliasStoreConfig("mongodb://x", "p", 3));
    assertTrue(e.getMessage().contains("--alias-store") && e.getMessage().contains("mongodb://x"), e.getMessage());
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new AliasStoreConfig("hazelcast", "a b", 3)).getMessage().contains("--alias-key-prefix"));
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new AliasStoreConfig("hazelcast", "p", -1)).getMessage().contains("--alias-history"));
    assertEquals("redis://127.0.0.1:6379", new AliasStoreConfig("redis://:secret@127.0.0.1:6379/2", "p", 3).display());
  }

  @Test
  void onlyAScriptsOwnFailureIsAnInternalErrorOtherRedisErrorsMeanUnavailable() {
    assertTrue(RedisAliasStore.isScriptError("ERR user_script:12: Script attempted to access nonexistent global variable 'x'"));
    assertTrue(RedisAliasStore.isScriptError("ERR Error running script (call to f_abc): @user_script:1: oops"));
    assertFalse(RedisAliasStore.isScriptError("LOADING Redis is loading the dataset in memory"));
    assertFalse(RedisAliasStore.isScriptError("ERR Errors trying to SHUTDOWN. Check logs."));
    assertFalse(RedisAliasStore.isScriptError("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."));
    assertFalse(RedisAliasStore.isScriptError(null));
  }
}
