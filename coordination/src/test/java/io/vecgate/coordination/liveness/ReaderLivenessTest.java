package io.vecgate.coordination.liveness;

import static io.vecgate.coordination.alias.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.alias.testkit.Await;
import io.vecgate.coordination.alias.testkit.RedisCli;
import io.vecgate.coordination.alias.testkit.RedisServer;
import io.vecgate.coordination.liveness.ReaderLiveness.Verdict;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis heartbeats as gateways and the writer watch them, against real Redis: an expired key
 * makes its reader {@link Verdict#HEARTBEAT_EXPIRED} while the others stay alive; every key
 * missing at once, Redis unreachable, and the moments after Redis comes back, are ignored
 * (degraded, every reader alive) rather than taken for every reader dying.
 */
class ReaderLivenessTest {

  static final Duration POLL = Duration.ofMillis(100);
  static final Duration GRACE = Duration.ofMillis(400);

  final Vertx vertx = Vertx.vertx();
  final String prefix = "vgtest-live-" + UUID.randomUUID().toString().substring(0, 8);
  final AtomicBoolean stop = new AtomicBoolean();
  ReaderLiveness liveness;

  @TempDir Path dir;

  @AfterEach
  void close() throws Exception {
    stop.set(true);
    if (liveness != null) {
      await(liveness.close());
    }
    RedisCli.deleteKeys(6379, prefix + ":*");
    await(vertx.close());
  }

  String key(String node) {
    return RedisReaderHeartbeat.key(prefix, node);
  }

  /** Plays a reader that keeps its key alive (PX 600, every 150 ms) until {@code until} is set. */
  Thread beating(int port, String node, AtomicBoolean until) {
    return Thread.ofPlatform().daemon().start(() -> {
      while (!until.get() && !stop.get()) {
        try {
          RedisCli.call(port, "SET", key(node), "{\"node_id\":\"" + node + "\"}", "PX", "600");
          Thread.sleep(150);
        } catch (Exception e) {
          // Redis stopped by the test: try again
        }
      }
    });
  }

  @Test
  void aReaderWhoseKeyExpiredIsNotAliveAndEveryKeyMissingIsIgnored() throws Exception {
    liveness = await(ReaderLiveness.open(vertx, AliasStoreConfig.redis("redis://127.0.0.1:6379", prefix), POLL, GRACE));
    assertFalse(liveness.degraded(), "the grace after the first connection is every node's start, not a degradation");
    assertTrue(liveness.detail().contains("after Redis became reachable"), liveness.detail());
    liveness.watch(() -> List.of(key("a"), key("b")));
    AtomicBoolean aStops = new AtomicBoolean();
    AtomicBoolean bStops = new AtomicBoolean();
    beating(6379, "a", aStops);
    beating(6379, "b", bStops);
    Await.until("both heartbeats alive", Duration.ofSeconds(10),
        () -> "alive".equals(liveness.heartbeatState(key("a"))) && "alive".equals(liveness.heartbeatState(key("b"))));
    assertEquals(Verdict.ALIVE, liveness.verdict(null, key("a")));
    assertFalse(liveness.degraded());
    assertEquals("unchecked", liveness.heartbeatState(key("c")), "not polled yet");
    assertEquals(Verdict.ALIVE, liveness.verdict(null, key("c")));
    assertEquals(Verdict.ALIVE, liveness.verdict(null, null), "a reader that announces no key");
    assertEquals("none", liveness.heartbeatState(null));

    bStops.set(true); // b stops writing: its key expires 600 ms later
    Await.until("b's heartbeat to expire", Duration.ofSeconds(10),
        () -> liveness.verdict(null, key("b")) == Verdict.HEARTBEAT_EXPIRED);
    assertEquals(Verdict.ALIVE, liveness.verdict(null, key("a")));
    assertEquals("expired", liveness.heartbeatState(key("b")));
    assertTrue(liveness.detail().contains("1 alive, 1 expired"), liveness.detail());
    assertFalse(liveness.degraded());

    aStops.set(true); // now every key is missing: Redis's problem, not every reader dying
    Await.until("the heartbeats to be ignored", Duration.ofSeconds(10), liveness::degraded);
    assertEquals(Verdict.ALIVE, liveness.verdict(null, key("a")));
    assertEquals(Verdict.ALIVE, liveness.verdict(null, key("b")));
    assertEquals("ignored", liveness.heartbeatState(key("b")));
    assertTrue(liveness.detail().contains("every reader's key is missing"), liveness.detail());

    beating(6379, "a", new AtomicBoolean());
    Await.until("a's key to count again", Duration.ofSeconds(10), () -> !liveness.degraded());
    assertEquals(Verdict.HEARTBEAT_EXPIRED, liveness.verdict(null, key("b")));
  }

  @Test
  void whileRedisIsUnreachableAndJustAfterItComesBackHeartbeatsAreIgnored() throws Exception {
    try (RedisServer redis = RedisServer.start(dir, false)) {
      liveness = await(ReaderLiveness.open(vertx, AliasStoreConfig.redis(redis.uri(), prefix), POLL, GRACE));
      liveness.watch(() -> List.of(key("a"), key("gone")));
      beating(redis.port, "a", new AtomicBoolean());
      Await.until("a alive and gone expired", Duration.ofSeconds(10),
          () -> liveness.verdict(null, key("gone")) == Verdict.HEARTBEAT_EXPIRED
              && "alive".equals(liveness.heartbeatState(key("a"))));

      redis.stop();
      Await.until("Redis seen unreachable", Duration.ofSeconds(10), liveness::degraded);
      assertEquals(Verdict.ALIVE, liveness.verdict(null, key("gone")), "ignored, not dead, while Redis is down");
      assertEquals(Verdict.ALIVE, liveness.verdict(null, key("a")));
      assertTrue(liveness.detail().contains("ignored: unreachable since"), liveness.detail());

      redis.start(); // empty: a rewrites its key within 150 ms, the grace is 400 ms
      Await.until("Redis seen again", Duration.ofSeconds(10), () -> liveness.detail().contains("after Redis became reachable")
          || !liveness.degraded());
      Await.until("the heartbeats to count again", Duration.ofSeconds(10), () -> !liveness.degraded());
      assertEquals(Verdict.ALIVE, liveness.verdict(null, key("a")));
      assertEquals(Verdict.HEARTBEAT_EXPIRED, liveness.verdict(null, key("gone")));
    }
  }

  @Test
  void withoutRedisOrClusterEveryReaderIsAlive() throws Exception {
    liveness = await(ReaderLiveness.open(vertx, AliasStoreConfig.defaults()));
    assertEquals(Verdict.ALIVE, liveness.verdict("some-member", "some:key"));
    assertFalse(liveness.degraded());
    assertEquals("unknown", liveness.memberState("some-member"));
    assertEquals("reader liveness: no cluster membership", liveness.detail());
  }
}
