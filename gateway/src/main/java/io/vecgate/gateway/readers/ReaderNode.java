package io.vecgate.gateway.readers;

import io.vecgate.coordination.liveness.ReaderLiveness;
import io.vecgate.protocol.bus.ReaderState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A reader as the gateway knows it: its last reported state, the link to it (a pool of gRPC
 * connections, or the reader's own service when it runs in this JVM), its heartbeat health and
 * its bounded queue. Health and queue belong to the node id and outlive a link: a reader that
 * comes back at another address is the same reader. Its state also names its Hazelcast member and
 * its Redis heartbeat key, which {@link ReaderLiveness} checks.
 */
final class ReaderNode {

  final String nodeId;
  final ReaderHealth health;
  final ReaderQueue queue;
  volatile String host = "";
  volatile int port;
  volatile ReaderLink link;
  volatile Set<String> versions = Set.of();
  /** Versions it refused for its memory budget, with the reason (shown, never routed to: it does not serve them). */
  volatile List<ReaderState.Refused> refused = List.of();
  /** Partitions this reader serves, or null for all. */
  volatile Set<Integer> partitions;
  volatile boolean ready;
  volatile long lastSeenNanos;
  /** Its Hazelcast member (null: not announced). */
  volatile String member;
  /** Its Redis heartbeat key (null: not announced: no Redis, or it cannot write there now). */
  volatile String heartbeatKey;

  ReaderNode(String nodeId, ReaderHealth health, ReaderQueue queue) {
    this.nodeId = nodeId;
    this.health = health;
    this.queue = queue;
  }

  /**
   * Takes what a state message says of the reader's versions, partitions, readiness and liveness
   * signals (its address and link are {@link ReaderDirectory}'s business), seen at {@code nowNanos}.
   */
  void applyState(ReaderState s, long nowNanos) {
    versions = s.versions().stream().map(v -> versionKey(v.db(), v.space(), v.version()))
        .collect(Collectors.toUnmodifiableSet());
    partitions = s.partitions() == null ? null : Set.copyOf(s.partitions());
    refused = s.refused();
    ready = s.ready();
    member = s.member();
    heartbeatKey = s.heartbeatKey();
    lastSeenNanos = nowNanos;
  }

  /**
   * This reader as {@code /_cluster/nodes} shows it: state, versions, liveness signals (member,
   * Redis heartbeat), queue, and for a remote reader its heartbeats and connections.
   */
  JsonObject describe(long nowNanos, long expiryNanos, ReaderLiveness liveness, long heartbeatIntervalMillis) {
    ReaderLink l = link;
    boolean inProcess = l != null && l.inProcess();
    JsonObject o = new JsonObject().put("node_id", nodeId).put("role", "reader").put("grpc", host + ":" + port)
        .put("ready", ready).put("in_process", inProcess).put("live", live(nowNanos, expiryNanos))
        .put("state", state(nowNanos, expiryNanos, liveness)).put("outstanding", queue.outstanding())
        .put("versions", new JsonArray(versions.stream().sorted().toList()))
        .put("refused", new JsonArray(refused.stream().map(r -> new JsonObject().put("version",
            versionKey(r.db(), r.space(), r.version())).put("reason", r.reason())).toList()))
        .put("member", new JsonObject().put("id", member).put("state", liveness.memberState(member)))
        .put("redis_heartbeat", new JsonObject().put("key", heartbeatKey)
            .put("state", liveness.heartbeatState(heartbeatKey)));
    o.put("queue", new JsonObject().put("limit", queue.limit()).put("outstanding", queue.outstanding())
        .put("admitted", queue.admitted()).put("succeeded", queue.succeeded()).put("dropped", queue.dropped())
        .put("ignored", queue.ignored()).put("rejected", queue.rejected()));
    if (!inProcess) {
      long last = health.lastAnswerNanos();
      long silence = health.lastEvictionSilenceNanos();
      o.put("heartbeat", new JsonObject().put("interval_ms", heartbeatIntervalMillis)
          .put("missed", health.missed())
          .put("last_answer_ms_ago", last == Long.MIN_VALUE ? null : TimeUnit.NANOSECONDS.toMillis(nowNanos - last))
          .put("evictions", health.evictions()).put("returns", health.returns())
          .put("last_eviction_after_silent_ms", silence < 0 ? null : TimeUnit.NANOSECONDS.toMillis(silence))
          .put("last_error", health.lastError()));
      o.put("connections", l == null ? new JsonArray() : l.describe());
    }
    return o;
  }

  static String versionKey(String db, String space, long version) {
    return db + "/" + space + "@" + version;
  }

  boolean holds(String db, String space, long version, int partition) {
    return ready && versions.contains(versionKey(db, space, version)) && (partitions == null || partitions.contains(partition));
  }

  boolean live(long nowNanos, long expiryNanos) {
    return nowNanos - lastSeenNanos < expiryNanos;
  }

  /**
   * Live by every signal (a fresh state, its member in the cluster, its Redis heartbeat alive), not
   * evicted, and with an open connection: new requests may go to it.
   */
  boolean routable(long nowNanos, long expiryNanos, ReaderLiveness liveness) {
    ReaderLink l = link;
    return live(nowNanos, expiryNanos) && !health.evicted() && l != null && l.usable()
        && liveness.verdict(member, heartbeatKey) == ReaderLiveness.Verdict.ALIVE;
  }

  /**
   * {@code up}, {@code evicted}, {@code left} (its cluster member left), {@code expired} (its Redis
   * heartbeat key expired), {@code silent} (no state message within the expiry), {@code connecting}
   * (never answered yet) or {@code reconnecting} (every connection lost).
   */
  String state(long nowNanos, long expiryNanos, ReaderLiveness liveness) {
    if (health.evicted()) {
      return "evicted";
    }
    switch (liveness.verdict(member, heartbeatKey)) {
      case MEMBER_LEFT -> {
        return "left";
      }
      case HEARTBEAT_EXPIRED -> {
        return "expired";
      }
      case ALIVE -> { }
    }
    if (!live(nowNanos, expiryNanos)) {
      return "silent";
    }
    ReaderLink l = link;
    return l != null && l.usable() ? "up" : health.answeredEver() ? "reconnecting" : "connecting";
  }

  @Override
  public String toString() {
    return nodeId + "@" + host + ":" + port;
  }
}
