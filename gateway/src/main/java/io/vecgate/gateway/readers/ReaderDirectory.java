package io.vecgate.gateway.readers;

import io.vecgate.common.api.ApiException;
import io.vecgate.common.cluster.Addresses;
import io.vecgate.common.node.LocalReaders;
import io.vecgate.common.rpc.Reader;
import io.vecgate.common.rpc.ReaderGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The readers the gateway can route to, from their {@code vecgate.readers} states: a reader that
 * has not reported within {@code expiry} is not used. {@link #plan} picks, for a space, the
 * newest version that the live readers cover completely and one reader per partition (least
 * outstanding requests first, and as few readers as possible), so that every answer comes from
 * exactly one version.
 */
public final class ReaderDirectory {

  /** One RPC of a search: a reader and the partitions it answers for. */
  public record Assignment(ReaderNode reader, List<Integer> partitions) {
    public Reader client() {
      return reader.client;
    }

    public String nodeId() {
      return reader.nodeId;
    }

    /** Counts a request in flight on the reader; call {@link #done()} when it ends. */
    public void begin() {
      reader.outstanding.incrementAndGet();
    }

    public void done() {
      reader.outstanding.decrementAndGet();
    }
  }

  /** The version to search and the RPCs that cover every partition. */
  public record Plan(long version, List<Assignment> assignments) {}

  private final Vertx vertx;
  private final boolean inProcess;
  private final long expiryNanos;
  private final GrpcClient grpc;
  private final Map<String, ReaderNode> nodes = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> consumer;

  /**
   * @param inProcess call readers deployed in this JVM directly ({@link LocalReaders}) rather than over gRPC
   */
  public ReaderDirectory(Vertx vertx, long expiryMillis, boolean inProcess) {
    this.vertx = vertx;
    this.inProcess = inProcess;
    this.expiryNanos = TimeUnit.MILLISECONDS.toNanos(expiryMillis);
    this.grpc = GrpcClient.client(vertx, new GrpcClientOptions());
  }

  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.READERS, msg -> accept(msg.body()));
    return consumer.completion();
  }

  public Future<Void> stop() {
    if (consumer != null) {
      consumer.unregister();
    }
    return grpc.close();
  }

  /** Applies one reader state message. */
  void accept(JsonObject s) {
    String id = s.getString("node_id");
    String host = s.getString("grpc_host", "127.0.0.1");
    int port = s.getInteger("grpc_port", 0);
    if (id == null || port <= 0) {
      return;
    }
    ReaderNode node = nodes.compute(id, (k, old) -> {
      if (old != null && old.host.equals(host) && old.port == port) {
        return old;
      }
      Reader local = inProcess ? LocalReaders.lookup(vertx, id) : null;
      return local != null ? new ReaderNode(id, host, port, local, true)
          : new ReaderNode(id, host, port, ReaderGrpcClient.create(grpc, SocketAddress.inetSocketAddress(port, host)), false);
    });
    Set<String> versions = new HashSet<>();
    JsonArray vs = s.getJsonArray("versions", new JsonArray());
    for (int i = 0; i < vs.size(); i++) {
      JsonObject v = vs.getJsonObject(i);
      versions.add(ReaderNode.versionKey(v.getString("db"), v.getString("space"), v.getLong("version")));
    }
    node.versions = Set.copyOf(versions);
    JsonArray parts = s.getJsonArray("partitions");
    Set<Integer> p = null;
    if (parts != null) {
      p = new HashSet<>();
      for (int i = 0; i < parts.size(); i++) {
        p.add(parts.getInteger(i));
      }
    }
    node.partitions = p;
    node.ready = s.getBoolean("ready", false);
    node.lastSeenNanos = System.nanoTime();
  }

  /** Readers seen within the expiry. */
  public List<ReaderNode> live() {
    long now = System.nanoTime();
    return nodes.values().stream().filter(n -> now - n.lastSeenNanos < expiryNanos).toList();
  }

  /** A JSON summary of the live readers, for {@code /_cluster/nodes}. */
  public JsonArray describe() {
    JsonArray out = new JsonArray();
    for (ReaderNode n : live().stream().sorted(Comparator.comparing(n -> n.nodeId)).toList()) {
      out.add(new JsonObject().put("node_id", n.nodeId).put("role", "reader").put("grpc", n.host + ":" + n.port)
          .put("ready", n.ready).put("in_process", n.inProcess).put("outstanding", n.outstanding.get()).put("versions", new JsonArray(n.versions.stream().sorted().toList())));
    }
    return out;
  }

  /**
   * Plans a search of {@code db/space} over all {@code partitionCount} partitions.
   *
   * @param exclude readers not to use (one that just failed)
   * @param clientType {@code leader} (the first reader by id), {@code random}, or null for least loaded
   * @throws ApiException 503 when no version is covered by the live readers
   */
  public Plan plan(String db, String space, int partitionCount, Collection<String> exclude, String clientType) {
    List<ReaderNode> candidates = new ArrayList<>(live().stream().filter(n -> !exclude.contains(n.nodeId)).toList());
    long version = newestCoveredVersion(candidates, db, space, partitionCount);
    if (version < 0) {
      throw ApiException.unavailable("no live reader serves space '" + space + "' of db '" + db
          + "' yet (readers: " + live().size() + "); retry when it is published and loaded");
    }
    order(candidates, clientType);
    Map<ReaderNode, List<Integer>> byReader = new LinkedHashMap<>();
    for (int p = 0; p < partitionCount; p++) {
      ReaderNode chosen = null;
      for (ReaderNode n : byReader.keySet()) {
        if (n.holds(db, space, version, p)) {
          chosen = n;
          break;
        }
      }
      if (chosen == null) {
        for (ReaderNode n : candidates) {
          if (n.holds(db, space, version, p)) {
            chosen = n;
            break;
          }
        }
      }
      byReader.computeIfAbsent(chosen, k -> new ArrayList<>()).add(p);
    }
    List<Assignment> out = new ArrayList<>();
    byReader.forEach((n, ps) -> out.add(new Assignment(n, List.copyOf(ps))));
    return new Plan(version, out);
  }

  /** The newest version of {@code db/space} the live readers cover completely, or -1. */
  public long newestServed(String db, String space, int partitionCount) {
    return newestCoveredVersion(live(), db, space, partitionCount);
  }

  private static void order(List<ReaderNode> candidates, String clientType) {
    if ("random".equals(clientType)) {
      java.util.Collections.shuffle(candidates, ThreadLocalRandom.current());
    } else if ("leader".equals(clientType)) {
      candidates.sort(Comparator.comparing(n -> n.nodeId));
    } else {
      // Least outstanding first; ties broken at random so equal readers share the load.
      java.util.Collections.shuffle(candidates, ThreadLocalRandom.current());
      candidates.sort(Comparator.comparingInt(n -> n.outstanding.get()));
    }
  }

  private static long newestCoveredVersion(List<ReaderNode> candidates, String db, String space, int partitionCount) {
    Set<Long> versions = new HashSet<>();
    String prefix = db + "/" + space + "@";
    for (ReaderNode n : candidates) {
      for (String v : n.versions) {
        if (v.startsWith(prefix)) {
          versions.add(Long.parseLong(v.substring(prefix.length())));
        }
      }
    }
    return versions.stream().sorted(Comparator.reverseOrder())
        .filter(v -> covers(candidates, db, space, v, partitionCount))
        .findFirst().orElse(-1L);
  }

  private static boolean covers(List<ReaderNode> candidates, String db, String space, long version, int partitionCount) {
    for (int p = 0; p < partitionCount; p++) {
      final int part = p;
      if (candidates.stream().noneMatch(n -> n.holds(db, space, version, part))) {
        return false;
      }
    }
    return true;
  }
}
