package io.vecgate.coordination.liveness;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The members of the Hazelcast cluster this node belongs to, followed with a membership listener
 * on the cluster manager's Hazelcast instance: a member that leaves (shut down, or killed and
 * removed by Hazelcast's failure detection, under a second on loopback) is known at once.
 *
 * <p>A reader announces its member id (its Hazelcast member UUID, {@link #localMember}) in its state; {@link #present} then says whether that member is still in
 * the cluster. Without a Hazelcast cluster (a Vert.x that is not clustered: tests, tools) there is
 * no such signal and every member counts as present.
 */
public final class ClusterMembers {

  private static final System.Logger LOG = System.getLogger(ClusterMembers.class.getName());
  /** Members that left, remembered so that a late state message of a dead reader is recognised. */
  private static final int LEFT_REMEMBERED = 4096;

  private final HazelcastInstance hazelcast;
  private final Set<String> current = ConcurrentHashMap.newKeySet();
  private final Map<String, Boolean> left = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > LEFT_REMEMBERED;
    }
  });
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private final UUID registration;

  private ClusterMembers(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
    if (hazelcast == null) {
      registration = null;
      return;
    }
    // Listen first, then read the members: a change in between is seen by one or the other.
    registration = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {
        current.add(e.getMember().getUuid().toString());
      }

      @Override
      public void memberRemoved(MembershipEvent e) {
        String id = e.getMember().getUuid().toString();
        current.remove(id);
        left.put(id, Boolean.TRUE);
        LOG.log(System.Logger.Level.INFO, "cluster member {0} at {1} left", id, String.valueOf(e.getMember().getAddress()));
        for (Consumer<String> l : listeners) {
          try {
            l.accept(id);
          } catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "a member-left listener failed", ex);
          }
        }
      }
    });
    for (Member m : hazelcast.getCluster().getMembers()) {
      current.add(m.getUuid().toString());
    }
  }

  /** The members of {@code vertx}'s Hazelcast cluster, or {@link #none()} when it has none. */
  public static ClusterMembers of(Vertx vertx) {
    return new ClusterMembers(hazelcast(vertx));
  }

  /** No membership signal: every member is present. */
  public static ClusterMembers none() {
    return new ClusterMembers(null);
  }

  /**
   * This node's member id as readers announce it (the UUID of its Hazelcast member; the Vert.x
   * cluster manager's node id is another one), or null without a Hazelcast cluster.
   */
  public static String localMember(Vertx vertx) {
    HazelcastInstance hz = hazelcast(vertx);
    if (hz == null) {
      return null;
    }
    try {
      return hz.getCluster().getLocalMember().getUuid().toString();
    } catch (RuntimeException shutDown) {
      return null; // the instance is shutting down: no member to announce
    }
  }

  /** Whether this follows a Hazelcast cluster (false: {@link #present} is always true). */
  public boolean active() {
    return hazelcast != null;
  }

  /**
   * Whether {@code member} is in the cluster now; true for null (a reader that announced none) or
   * without a cluster. A member not heard of yet (its join may still be on its way to this node's
   * listener) is looked up in Hazelcast's own member list.
   */
  public boolean present(String member) {
    if (member == null || hazelcast == null || current.contains(member)) {
      return true;
    }
    if (left.containsKey(member)) {
      return false;
    }
    for (Member m : hazelcast.getCluster().getMembers()) {
      if (m.getUuid().toString().equals(member)) {
        current.add(member);
        return true;
      }
    }
    return false;
  }

  /** How many members the cluster has now (0 without a cluster). */
  public int size() {
    return current.size();
  }

  /**
   * Calls {@code listener} with the member id of every member that leaves, on a Hazelcast event
   * thread (it must be quick). Returns what unregisters it.
   */
  public Runnable onLeft(Consumer<String> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Stops listening (the Hazelcast instance belongs to the cluster manager and stays). */
  public void close() {
    listeners.clear();
    if (registration != null && hazelcast.getLifecycleService().isRunning()) {
      hazelcast.getCluster().removeMembershipListener(registration);
    }
  }

  private static HazelcastInstance hazelcast(Vertx vertx) {
    if (vertx instanceof VertxInternal vi && vertx.isClustered() && vi.clusterManager() instanceof HazelcastClusterManager hz) {
      return hz.getHazelcastInstance();
    }
    return null;
  }
}
