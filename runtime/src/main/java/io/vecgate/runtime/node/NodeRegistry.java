package io.vecgate.runtime.node;

import io.vecgate.protocol.access.AccessLevel;
import io.vecgate.protocol.access.AccessTokens;
import io.vecgate.protocol.admin.AdminReplies;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One node's entry in the cluster's node registry, so that {@code vecgate admin nodes} finds
 * every node: the cluster-wide map {@value Addresses#NODES_MAP} holds {@code node_id ->
 * {"node_id", "role"}} with a TTL the node renews every few seconds (a node killed with kill -9
 * drops out by itself), and the node answers {@code info} on {@code vecgate.admin.node.{id}}
 * with its role, endpoints, versions, QPS, heap and mapped bytes.
 *
 * <p>QPS is measured here, from a counter the role gives (searches for readers and gateways,
 * requests for the writer), over the last ~10 s of samples.
 */
public final class NodeRegistry {

  /** A registered node's entry lives this long unless renewed. */
  static final long TTL_MS = 15_000;
  static final long RENEW_MS = 5_000;
  private static final long SAMPLE_MS = 2_000;
  private static final int SAMPLES = 6;

  private final Vertx vertx;
  private final String nodeId;
  private final String role;
  private final AccessTokens tokens;
  private final Supplier<JsonObject> details;
  private final LongSupplier requests;
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();
  private MessageConsumer<JsonObject> consumer;
  private long renewTimer = -1;
  private long sampleTimer = -1;

  /**
   * @param details the role's part of {@code info}: {@code endpoints}, {@code versions}, {@code mapped_bytes}, ...
   * @param requests a counter whose rate is the node's QPS
   */
  private NodeRegistry(Vertx vertx, String nodeId, String role, AccessTokens tokens, Supplier<JsonObject> details,
                       LongSupplier requests) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.role = role;
    this.tokens = tokens;
    this.details = details;
    this.requests = requests;
  }

  /** Registers the node and answers {@code info} until {@link #close()}. */
  public static Future<NodeRegistry> register(Vertx vertx, String nodeId, String role, AccessTokens tokens,
                                              Supplier<JsonObject> details, LongSupplier requests) {
    NodeRegistry r = new NodeRegistry(vertx, nodeId, role, tokens, details, requests);
    return r.start().map(r);
  }

  private Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.adminNode(nodeId), this::handle);
    sample();
    sampleTimer = vertx.setPeriodic(SAMPLE_MS, id -> sample());
    // Renewal failures are retried at the next tick: a registry entry is advisory, the bus is the truth.
    renewTimer = vertx.setPeriodic(RENEW_MS, id -> renew());
    return consumer.completion().compose(v -> renew());
  }

  private Future<Void> renew() {
    JsonObject entry = new JsonObject().put("node_id", nodeId).put("role", role);
    return map(vertx).compose(m -> m.put(nodeId, entry.encode(), TTL_MS));
  }

  /** The cluster's node registry (a local map on a Vert.x without a cluster). */
  public static Future<AsyncMap<String, String>> map(Vertx vertx) {
    return vertx.sharedData().getAsyncMap(Addresses.NODES_MAP);
  }

  private synchronized void sample() {
    samples.addLast(new long[] {System.nanoTime(), requests.getAsLong()});
    while (samples.size() > SAMPLES) {
      samples.removeFirst();
    }
  }

  /** Requests per second over the samples kept (0 before two samples). */
  synchronized double qps() {
    if (samples.isEmpty()) {
      return 0;
    }
    long[] oldest = samples.peekFirst();
    long now = System.nanoTime();
    double seconds = (now - oldest[0]) / 1e9;
    return seconds < 0.5 ? 0 : (requests.getAsLong() - oldest[1]) / seconds;
  }

  private void handle(Message<JsonObject> msg) {
    try {
      tokens.check(AccessLevel.ADMIN, msg.headers().get(AccessTokens.HEADER));
      String cmd = msg.headers().get("cmd");
      if (!"info".equals(cmd)) {
        throw io.vecgate.protocol.api.ApiException.badRequest("node " + nodeId + ": unknown command '" + cmd
            + "'; expected info");
      }
      msg.reply(info());
    } catch (RuntimeException e) {
      AdminReplies.fail(msg, e);
    }
  }

  /** What {@code info} answers. */
  public JsonObject info() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    JsonObject o = new JsonObject().put("node_id", nodeId).put("role", role);
    details.get().forEach(e -> o.put(e.getKey(), e.getValue()));
    return o.put("qps", Math.round(qps() * 10) / 10.0).put("heap_used", heap.getUsed()).put("heap_max", heap.getMax())
        .put("pid", ProcessHandle.current().pid());
  }

  /** Leaves the registry and stops answering. */
  public Future<Void> close() {
    vertx.cancelTimer(renewTimer);
    vertx.cancelTimer(sampleTimer);
    Future<Void> removed = map(vertx).compose(m -> m.remove(nodeId)).<Void>mapEmpty().recover(e -> Future.succeededFuture());
    return removed.compose(v -> consumer == null ? Future.succeededFuture() : consumer.unregister());
  }
}
