package io.vecgate.gateway.readers;

import static io.vecgate.coordination.alias.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.alias.testkit.Await;
import io.vecgate.coordination.alias.testkit.FreePorts;
import io.vecgate.coordination.alias.testkit.RedisCli;
import io.vecgate.coordination.liveness.ClusterMembers;
import io.vecgate.coordination.liveness.ReaderLiveness;
import io.vecgate.coordination.liveness.RedisReaderHeartbeat;
import io.vecgate.gateway.readers.ReaderDirectory.Assignment;
import io.vecgate.gateway.readers.ReaderDirectory.Plan;
import io.vecgate.runtime.cluster.ClusterBootstrap;
import io.vecgate.runtime.cluster.ClusterSettings;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The gateway routes only to readers alive by every signal, with the real signals: a Redis
 * heartbeat key on the shared Redis (a random prefix) that expires, and a reader's Hazelcast
 * member (a second clustered Vert.x on loopback) that crashes.
 */
class ReaderLivenessRoutingTest {

  static List<String> readersOf(Plan p) {
    return p.assignments().stream().map(Assignment::nodeId).sorted().toList();
  }

  static JsonObject described(DirectoryKit k, String nodeId) {
    for (Object o : k.directory.describe()) {
      JsonObject n = (JsonObject) o;
      if (n.getString("node_id").equals(nodeId)) {
        return n;
      }
    }
    throw new AssertionError("no " + nodeId);
  }

  @Test
  void aReaderWhoseHeartbeatKeyExpiredOrWhoseMemberLeftIsNotRoutedTo() throws Exception {
    String prefix = "vgtest-route-" + UUID.randomUUID().toString().substring(0, 8);
    String name = "route-test-" + ProcessHandle.current().pid() + "-" + ThreadLocalRandom.current().nextInt(1_000_000);
    ClusterSettings cluster = new ClusterSettings(name, "127.0.0.1", FreePorts.range(20), 20,
        List.of("127.0.0.1"));
    Vertx gateway = await(ClusterBootstrap.start(cluster));
    Vertx readerJvm = await(ClusterBootstrap.start(cluster));
    AtomicBoolean stop = new AtomicBoolean();
    AtomicBoolean r2Beats = new AtomicBoolean(true);
    ReaderLiveness liveness = null;
    try {
      liveness = await(ReaderLiveness.open(gateway, AliasStoreConfig.redis("redis://127.0.0.1:6379", prefix),
          Duration.ofMillis(100), Duration.ofMillis(300)));
      DirectoryKit k = new DirectoryKit(RoutingConfig.defaults(), liveness);
      k.directory.watchLiveness();
      String k1 = RedisReaderHeartbeat.key(prefix, "r1");
      String k2 = RedisReaderHeartbeat.key(prefix, "r2");
      String k3 = RedisReaderHeartbeat.key(prefix, "r3");
      // r1 and r2 write their keys (PX 500 every 100 ms), r3 announces its member: that of readerJvm.
      Thread.ofPlatform().daemon().start(() -> {
        while (!stop.get()) {
          try {
            RedisCli.call(6379, "SET", k1, "{}", "PX", "500");
            if (r2Beats.get()) {
              RedisCli.call(6379, "SET", k2, "{}", "PX", "500");
            }
            Thread.sleep(100);
          } catch (Exception e) {
            return;
          }
        }
      });
      String member = ClusterMembers.localMember(readerJvm);
      List<String> v = List.of("shop/items@1");
      Runnable announce = () -> {
        k.announce("r1", 1, v, List.of(0, 1, 2), null, k1);
        k.announce("r2", 2, v, List.of(0, 1, 2), null, k2);
        k.announce("r3", 3, v, List.of(0, 1, 2), member, null);
      };
      announce.run();
      DirectoryKit kit = k;
      ReaderLiveness l = liveness;
      Await.until("both heartbeats alive", Duration.ofSeconds(10),
          () -> "alive".equals(l.heartbeatState(k1)) && "alive".equals(l.heartbeatState(k2)));
      assertEquals(3, k.directory.routableCount());
      assertEquals("present", described(k, "r3").getJsonObject("member").getString("state"));
      assertEquals(new JsonObject().put("key", k2).put("state", "alive"), described(k, "r2").getJsonObject("redis_heartbeat"));

      r2Beats.set(false); // r2 stops writing its key, though its state messages keep coming
      Await.until("r2's key to expire", Duration.ofSeconds(10), () -> {
        announce.run();
        return "expired".equals(described(kit, "r2").getString("state"));
      });
      assertEquals("expired", described(k, "r2").getJsonObject("redis_heartbeat").getString("state"));
      for (int i = 0; i < 20; i++) {
        Plan p = k.directory.plan("shop", "items", 3, Set.of(), null);
        assertTrue(!readersOf(p).contains("r2"), "r2 planned: " + readersOf(p));
        p.abandon();
      }
      assertEquals(2, k.directory.routableCount());
      assertEquals(0, k.queue("r2").getLong("admitted"));

      r2Beats.set(true); // back
      Await.until("r2 to be routable again", Duration.ofSeconds(10), () -> {
        announce.run();
        return kit.directory.routableCount() == 3;
      });

      HazelcastInstance hz = ((HazelcastClusterManager) ((VertxInternal) readerJvm).clusterManager()).getHazelcastInstance();
      hz.getLifecycleService().terminate(); // r3's JVM crashes
      Await.until("r3 to be seen gone", Duration.ofSeconds(30), () -> "left".equals(described(kit, "r3").getString("state")));
      announce.run(); // a late state message of r3 does not bring it back: its member is gone
      assertEquals("left", described(k, "r3").getString("state"));
      assertEquals(2, k.directory.routableCount());
      Plan p = k.directory.plan("shop", "items", 3, Set.of(), "leader");
      assertEquals(List.of("r1"), readersOf(p), "by id, one reader for all partitions, never r3");
      p.abandon();

      // r3 restarts: a new JVM, a new member. Here: it announces the gateway's own member.
      k.announce("r3", 3, v, List.of(0, 1, 2), ClusterMembers.localMember(gateway), null);
      assertEquals(3, k.directory.routableCount());
      stop.set(true);
      r2Beats.set(false);
      RedisCli.call(6379, "DEL", k1, k2, k3);
      // Every key gone at once: that is Redis's problem, not every reader dying; routing goes on.
      Await.until("the heartbeats to be ignored", Duration.ofSeconds(10), l::degraded);
      assertEquals(3, k.directory.routableCount());
      assertTrue(l.detail().contains("every reader's key is missing"), l.detail());
      assertThrows(RetryLaterException.class, () -> kit.directory.plan("shop", "other", 1, Set.of(), null));
    } finally {
      stop.set(true);
      if (liveness != null) {
        await(liveness.close());
      }
      RedisCli.deleteKeys(6379, prefix + ":*");
      readerJvm.close();
      await(gateway.close());
    }
  }
}
