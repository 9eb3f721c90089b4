package io.vecgate.gateway.readers;

import io.vecgate.coordination.liveness.ReaderLiveness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link ReaderDirectory} over {@link FakeLink}s on a {@link ManualTimers} clock, for tests of
 * planning and of what calls the plans (in other packages too): {@link #announce} plays a
 * reader's state message.
 */
public final class DirectoryKit {

  public final ManualTimers timers = new ManualTimers();
  public final RecordingMetrics metrics = new RecordingMetrics();
  /** The current link of each reader. */
  public final Map<String, FakeLink> links = new HashMap<>();
  /** Every link opened, in order. */
  public final List<FakeLink> opened = new ArrayList<>();
  public final ReaderDirectory directory;

  public DirectoryKit(RoutingConfig routing) {
    this(routing, ReaderLiveness.none());
  }

  /** With the cluster's liveness signals (membership, Redis heartbeats) of {@code liveness}. */
  public DirectoryKit(RoutingConfig routing, ReaderLiveness liveness) {
    directory = new ReaderDirectory(null, 3000, routing, metrics, (id, host, port, health) -> {
      FakeLink l = new FakeLink(id, health);
      links.put(id, l);
      opened.add(l);
      return l;
    }, timers, liveness);
  }

  /**
   * Reader {@code nodeId} reports that it serves {@code versions} ({@code "db/space@v"}) of
   * {@code partitions} (null: all) from port {@code port}.
   */
  public void announce(String nodeId, int port, List<String> versions, List<Integer> partitions) {
    announce(nodeId, port, versions, partitions, null, null);
  }

  /** The same, also naming the reader's cluster member and Redis heartbeat key (either may be null). */
  public void announce(String nodeId, int port, List<String> versions, List<Integer> partitions, String member,
                       String heartbeatKey) {
    JsonArray vs = new JsonArray();
    for (String v : versions) {
      String[] dbSpace = v.substring(0, v.indexOf('@')).split("/");
      vs.add(new JsonObject().put("db", dbSpace[0]).put("space", dbSpace[1])
          .put("version", Long.parseLong(v.substring(v.indexOf('@') + 1))));
    }
    JsonObject s = new JsonObject().put("node_id", nodeId).put("grpc_host", "127.0.0.1").put("grpc_port", port)
        .put("ready", true).put("versions", vs);
    if (partitions != null) {
      s.put("partitions", new JsonArray(partitions));
    }
    if (member != null) {
      s.put("member", member);
    }
    if (heartbeatKey != null) {
      s.put("heartbeat_key", heartbeatKey);
    }
    directory.receive(s);
  }

  public FakeLink link(String nodeId) {
    return links.get(nodeId);
  }

  /** Misses heartbeats until {@code nodeId} is evicted (it answers once first if it never did). */
  public void evict(String nodeId) {
    ReaderHealth h = link(nodeId).health;
    if (!h.answeredEver()) {
      h.answered(timers.nanoTime());
    }
    while (!h.evicted()) {
      h.missed(timers.nanoTime(), "test");
    }
  }

  /** The reader's queue, read from {@code /_cluster/nodes}'s description. */
  public JsonObject queue(String nodeId) {
    for (Object o : directory.describe()) {
      JsonObject n = (JsonObject) o;
      if (n.getString("node_id").equals(nodeId)) {
        return n.getJsonObject("queue");
      }
    }
    throw new AssertionError("no reader " + nodeId + " in " + directory.describe());
  }
}
