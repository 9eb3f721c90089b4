package io.vecgate.coordination.liveness;

import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the cluster says about whether a reader is alive, beyond what its user (the gateway, the
 * writer) sees itself (fresh state messages, answered pings): whether its Hazelcast member is
 * still in the cluster ({@link ClusterMembers}) and, when the deployment's store is Redis,
 * whether its Redis heartbeat key is alive ({@link RedisHeartbeatWatch}). A reader announces both
 * in its state: {@code "member"} and {@code "heartbeat_key"}.
 *
 * <p>One per JVM, shared by the roles in it (opened beside the alias store); {@link #verdict} is
 * cheap (two map lookups) and thread-safe, for the search path. Users register the heartbeat keys
 * of the readers they know with {@link #watch}.
 *
 * <p>Redis down never makes every reader look dead: while its heartbeats cannot be trusted they
 * are ignored, {@link #degraded()} is true and {@link #detail()} says why.
 */
public final class ReaderLiveness {

  /** The default poll of the heartbeat keys. */
  public static final Duration POLL = Duration.ofSeconds(1);
  /** Heartbeats are ignored this long after Redis becomes reachable (the readers' default TTL). */
  public static final Duration GRACE = RedisReaderHeartbeat.DEFAULT_TTL;

  /** Whether a reader may be routed to, and if not, why. */
  public enum Verdict {
    ALIVE,
    /** Its Hazelcast member left the cluster. */
    MEMBER_LEFT,
    /** Its Redis heartbeat key expired (or it was deleted by a graceful stop). */
    HEARTBEAT_EXPIRED
  }

  private final ClusterMembers members;
  private final RedisHeartbeatWatch redis;
  private final Context context;

  private ReaderLiveness(ClusterMembers members, RedisHeartbeatWatch redis, Context context) {
    this.members = members;
    this.redis = redis;
    this.context = context;
  }

  /** No signal beyond the user's own: every reader is alive. */
  public static ReaderLiveness none() {
    return new ReaderLiveness(ClusterMembers.none(), null, null);
  }

  /**
   * The liveness of the readers of {@code vertx}'s cluster: Hazelcast membership, and Redis
   * heartbeats when {@code store} is Redis. Completes after the first poll of Redis (reachable or
   * not: an unreachable Redis is retried at every poll).
   */
  public static Future<ReaderLiveness> open(Vertx vertx, AliasStoreConfig store) {
    return open(vertx, store, POLL, GRACE);
  }

  /** With the poll interval and the grace after a reconnect given (tests). */
  public static Future<ReaderLiveness> open(Vertx vertx, AliasStoreConfig store, Duration poll, Duration grace) {
    Context ctx = vertx.getOrCreateContext();
    Promise<ReaderLiveness> opened = Promise.promise();
    ctx.runOnContext(v -> {
      RedisHeartbeatWatch watch = store.isRedis()
          ? new RedisHeartbeatWatch(vertx, store.store(), store.display(), poll.toMillis(), grace.toMillis()) : null;
      ReaderLiveness l = new ReaderLiveness(ClusterMembers.of(vertx), watch, ctx);
      (watch == null ? Future.<Void>succeededFuture() : watch.start()).onComplete(x -> opened.complete(l));
    });
    return opened.future();
  }

  /**
   * Whether a reader that announced {@code member} and {@code heartbeatKey} (either may be null:
   * not announced, no such signal) may be routed to.
   */
  public Verdict verdict(String member, String heartbeatKey) {
    if (!members.present(member)) {
      return Verdict.MEMBER_LEFT;
    }
    if (redis != null && heartbeatKey != null && redis.status(heartbeatKey) == RedisHeartbeatWatch.Status.EXPIRED) {
      return Verdict.HEARTBEAT_EXPIRED;
    }
    return Verdict.ALIVE;
  }

  /** {@code present}, {@code left} or {@code unknown} (not announced, or no cluster), for descriptions. */
  public String memberState(String member) {
    if (member == null || !members.active()) {
      return "unknown";
    }
    return members.present(member) ? "present" : "left";
  }

  /**
   * {@code alive}, {@code expired}, {@code unchecked} (not polled yet), {@code ignored} (Redis cannot
   * be trusted now) or {@code none} (not announced, or no Redis), for descriptions.
   */
  public String heartbeatState(String heartbeatKey) {
    if (redis == null || heartbeatKey == null) {
      return "none";
    }
    return redis.status(heartbeatKey).name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Polls the heartbeat keys {@code keys} names (read at every poll, from another thread); returns what stops it. */
  public Runnable watch(Supplier<? extends Collection<String>> keys) {
    return redis == null ? () -> {} : redis.watch(keys);
  }

  /** Calls {@code listener} with each member id that leaves the cluster (on a Hazelcast thread; be quick). */
  public Runnable onMemberLeft(Consumer<String> listener) {
    return members.onLeft(listener);
  }

  /**
   * Whether Redis heartbeats are configured but ignored right now for a reason that makes the node
   * degraded (Redis unreachable, just back after an outage, or every key missing); the grace after
   * the node's first connection, while the readers write their keys, is not one.
   */
  public boolean degraded() {
    return redis != null && redis.troubled();
  }

  /** For {@code /health/ready}: the signals in use and, when Redis heartbeats are ignored, why. */
  public String detail() {
    String m = members.active() ? "cluster membership (" + members.size() + " members)" : "no cluster membership";
    return "reader liveness: " + m + (redis == null ? "" : "; " + redis.detail());
  }

  /** Stops polling and listening. */
  public Future<Void> close() {
    members.close();
    if (redis == null) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> redis.close().onComplete(done));
    return done.future();
  }
}
