package io.vecgate.coordination.liveness;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Watches the Redis heartbeat keys of the readers a node knows of ({@link RedisReaderHeartbeat}):
 * every poll interval, one {@code MGET} of the keys the registered sources name. A key that is
 * gone has expired (its reader stopped writing it a TTL ago) or was deleted (its reader stopped).
 *
 * <p>The heartbeats are <em>ignored</em> (every key counts as alive, so that routing goes by the
 * other signals) whenever they cannot be trusted, and that is logged once per change and shown in
 * {@link #detail()}:
 * <ul>
 *   <li>Redis cannot be reached (the poll failed or timed out);</li>
 *   <li>for a grace period after Redis became reachable (again), while the readers write their keys
 *       anew (a restarted Redis may have lost them);</li>
 *   <li>every key polled is missing at once: that is Redis's problem (flushed, restarted, cut off
 *       from the readers) far more likely than every reader dying in the same second.</li>
 * </ul>
 */
final class RedisHeartbeatWatch {

  private static final System.Logger LOG = System.getLogger(RedisHeartbeatWatch.class.getName());

  /** What the heartbeats say of one key. */
  enum Status {
    /** The key is there. */
    ALIVE,
    /** The key is gone: its reader is not to be routed to. */
    EXPIRED,
    /** Not polled yet (a reader just heard of): alive until the next poll says otherwise. */
    UNCHECKED,
    /** The heartbeats cannot be trusted right now (see the class comment): alive. */
    IGNORED
  }

  private final Vertx vertx;
  private final String display;
  private final long pollMillis;
  private final long graceNanos;
  private final Redis client;
  private final List<Supplier<? extends Collection<String>>> sources = new CopyOnWriteArrayList<>();
  /** Each key of the last poll: there or not. */
  private volatile Map<String, Boolean> present = Map.of();
  private volatile boolean reachable;
  private volatile boolean everPolled;
  private volatile boolean everReachable;
  /** Whether Redis was reachable once before the current stretch (the grace then follows an outage). */
  private volatile boolean reconnected;
  private volatile long reachableSinceNanos;
  private volatile long unreachableSinceMillis = System.currentTimeMillis();
  private volatile String lastError = "not polled yet";
  private volatile boolean allMissing;
  private final AtomicBoolean polling = new AtomicBoolean();
  private long timer = -1;
  private volatile boolean closed;

  /**
   * @param display the Redis URI as logs show it
   * @param pollMillis how often the keys are read
   * @param graceMillis how long heartbeats are ignored after Redis becomes reachable
   */
  RedisHeartbeatWatch(Vertx vertx, String uri, String display, long pollMillis, long graceMillis) {
    this.vertx = vertx;
    this.display = display;
    this.pollMillis = pollMillis;
    this.graceNanos = TimeUnit.MILLISECONDS.toNanos(graceMillis);
    this.client = RedisClients.create(vertx, uri);
  }

  /** Starts polling; completes after the first poll, whatever its outcome. Call on the context the timers are to run on. */
  Future<Void> start() {
    timer = vertx.setPeriodic(pollMillis, id -> poll());
    Promise<Void> first = Promise.promise();
    poll().onComplete(ar -> first.complete());
    return first.future();
  }

  /** Adds the keys {@code source} names to every poll; returns what removes it. */
  Runnable watch(Supplier<? extends Collection<String>> source) {
    sources.add(source);
    return () -> sources.remove(source);
  }

  private Future<Void> poll() {
    if (closed || !polling.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    TreeSet<String> keys = new TreeSet<>();
    for (Supplier<? extends Collection<String>> s : sources) {
      for (String k : s.get()) {
        if (k != null) {
          keys.add(k);
        }
      }
    }
    Request r;
    if (keys.isEmpty()) {
      r = Request.cmd(Command.PING); // still tells whether Redis is reachable, for health
    } else {
      r = Request.cmd(Command.MGET);
      keys.forEach(r::arg);
    }
    long timeout = Math.max(pollMillis, RedisClients.CONNECT_TIMEOUT_MILLIS + 500L);
    return client.send(r).timeout(timeout, TimeUnit.MILLISECONDS).andThen(ar -> {
      polling.set(false);
      if (closed) {
        return;
      }
      if (ar.succeeded()) {
        polled(keys, ar.result());
      } else {
        unreachable(RedisClients.message(ar.cause()));
      }
    }).mapEmpty();
  }

  private void polled(TreeSet<String> keys, Response reply) {
    if (!reachable) {
      reconnected = everReachable;
      everReachable = true;
      reachable = true;
      reachableSinceNanos = System.nanoTime();
      LOG.log(System.Logger.Level.INFO, "reader heartbeats in " + display + ": reachable"
          + (everPolled ? " again" : "") + "; they count once the readers had " + TimeUnit.NANOSECONDS.toMillis(graceNanos)
          + " ms to write them");
    }
    everPolled = true;
    Map<String, Boolean> now = new HashMap<>();
    int i = 0;
    for (String k : keys) {
      Response v = reply.type() == ResponseType.MULTI ? reply.get(i++) : null;
      now.put(k, v != null);
    }
    Map<String, Boolean> before = present;
    boolean none = !now.isEmpty() && !now.containsValue(Boolean.TRUE);
    if (none != allMissing) {
      LOG.log(none ? System.Logger.Level.WARNING : System.Logger.Level.INFO, none
          ? "reader heartbeats in " + display + ": every key is missing (" + now.keySet() + "); taking that for a Redis "
              + "problem, not for every reader dying: ignoring them, routing on the other signals (membership, state messages, pings)"
          : "reader heartbeats in " + display + ": keys are back; they count again");
    }
    allMissing = none;
    if (!none && !inGrace()) {
      now.forEach((k, there) -> {
        Boolean was = before.get(k);
        if (!there && !Boolean.FALSE.equals(was)) {
          LOG.log(System.Logger.Level.WARNING, "reader heartbeat " + k + " expired: that reader is not routed to");
        } else if (there && Boolean.FALSE.equals(was)) {
          LOG.log(System.Logger.Level.INFO, "reader heartbeat " + k + " is back");
        }
      });
    }
    present = now;
  }

  private void unreachable(String cause) {
    lastError = cause;
    if (reachable || !everPolled) {
      unreachableSinceMillis = System.currentTimeMillis();
      LOG.log(System.Logger.Level.WARNING, "reader heartbeats in " + display + ": unreachable (" + cause + "); ignoring "
          + "them, routing on the other signals (membership, state messages, pings); polling on every " + pollMillis + " ms");
    }
    reachable = false;
    everPolled = true;
  }

  private boolean inGrace() {
    return System.nanoTime() - reachableSinceNanos < graceNanos;
  }

  /** Whether the heartbeats count now (false: they are ignored, see the class comment). */
  boolean heeded() {
    return reachable && !inGrace() && !allMissing;
  }

  /**
   * Whether the heartbeats are ignored for a reason worth {@code degraded} on {@code /health/ready}:
   * Redis unreachable, every key missing, or the grace after an outage. The grace after the node's
   * first connection is not one: that is every node's start, nothing is wrong.
   */
  boolean troubled() {
    return !reachable || allMissing || (inGrace() && reconnected);
  }

  Status status(String key) {
    if (!heeded()) {
      return Status.IGNORED;
    }
    Boolean there = present.get(key);
    return there == null ? Status.UNCHECKED : there ? Status.ALIVE : Status.EXPIRED;
  }

  /** For {@code /health/ready}. */
  String detail() {
    if (!reachable) {
      return "reader heartbeats in " + display + " ignored: unreachable since " + Instant.ofEpochMilli(unreachableSinceMillis)
          + " (" + lastError + "); routing on the other signals (membership, state messages, pings)";
    }
    if (inGrace()) {
      return "reader heartbeats in " + display + " ignored for " + TimeUnit.NANOSECONDS.toMillis(graceNanos)
          + " ms after Redis became reachable, while the readers write them";
    }
    if (allMissing) {
      return "reader heartbeats in " + display + " ignored: every reader's key is missing (a Redis problem, not every "
          + "reader dying); routing on the other signals (membership, state messages, pings)";
    }
    Map<String, Boolean> p = present;
    long alive = p.values().stream().filter(Boolean::booleanValue).count();
    return "reader heartbeats in " + display + ": " + alive + " alive, " + (p.size() - alive) + " expired";
  }

  Future<Void> close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return client.close().otherwiseEmpty();
  }
}
