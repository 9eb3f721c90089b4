package io.vecgate.coordination.liveness;

import static io.vecgate.coordination.alias.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.alias.testkit.Await;
import io.vecgate.coordination.alias.testkit.FreePorts;
import io.vecgate.coordination.liveness.ReaderLiveness.Verdict;
import io.vecgate.runtime.cluster.ClusterBootstrap;
import io.vecgate.runtime.cluster.ClusterSettings;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Membership on a real Hazelcast cluster on loopback: a reader's member is present while it is in
 * the cluster, and gone as soon as it crashes (its Hazelcast terminated without leaving, as a
 * process killed with kill -9 would; the launcher's ReaderLivenessIT kills a real process).
 */
class ClusterMembersTest {

  static HazelcastInstance hazelcast(Vertx v) {
    return ((HazelcastClusterManager) ((VertxInternal) v).clusterManager()).getHazelcastInstance();
  }

  @Test
  void aCrashedMemberIsGoneAtOnce() throws Exception {
    String name = "members-test-" + ProcessHandle.current().pid() + "-" + ThreadLocalRandom.current().nextInt(1_000_000);
    int port = FreePorts.range(20);
    ClusterSettings s = new ClusterSettings(name, "127.0.0.1", port, 20, List.of("127.0.0.1"));
    Vertx gateway = await(ClusterBootstrap.start(s));
    Vertx reader = await(ClusterBootstrap.start(s));
    ReaderLiveness liveness = null;
    try {
      Await.until("two members", Duration.ofSeconds(60), () -> hazelcast(gateway).getCluster().getMembers().size() == 2);
      String member = ClusterMembers.localMember(reader);
      assertNotNull(member);
      assertEquals(hazelcast(reader).getCluster().getLocalMember().getUuid().toString(), member,
          "its Hazelcast member UUID");
      liveness = await(ReaderLiveness.open(gateway, AliasStoreConfig.defaults()));
      List<String> left = new CopyOnWriteArrayList<>();
      liveness.onMemberLeft(left::add);
      assertEquals(Verdict.ALIVE, liveness.verdict(member, null));
      assertEquals("present", liveness.memberState(member));
      assertEquals(Verdict.ALIVE, liveness.verdict(ClusterMembers.localMember(gateway), null));
      assertTrue(liveness.detail().contains("cluster membership (2 members)"), liveness.detail());

      long t0 = System.nanoTime();
      hazelcast(reader).getLifecycleService().terminate(); // a crash: no goodbye
      Await.until("the member to be seen leaving", Duration.ofSeconds(30), () -> left.contains(member));
      System.out.println("ClusterMembersTest: crashed member gone after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      assertEquals(Verdict.MEMBER_LEFT, liveness.verdict(member, null));
      assertEquals("left", liveness.memberState(member));
      assertFalse(ClusterMembers.of(gateway).present(member), "a view opened later knows it is not a member either");
      assertEquals(Verdict.ALIVE, liveness.verdict(null, null), "a reader that announced no member");
    } finally {
      if (liveness != null) {
        await(liveness.close());
      }
      reader.close();
      await(gateway.close());
    }
  }
}
