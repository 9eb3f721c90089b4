package io.vecgate.gateway.readers;

import io.vecgate.coordination.liveness.ReaderLiveness;
import io.vecgate.protocol.access.AccessLevel;
import io.vecgate.protocol.access.AccessTokens;
import io.vecgate.protocol.access.PublishCheck;
import io.vecgate.protocol.bus.Addresses;
import io.vecgate.protocol.bus.ReaderState;
import io.vecgate.protocol.reader.GetRequest;
import io.vecgate.protocol.reader.GetResponse;
import io.vecgate.protocol.reader.SearchRequest;
import io.vecgate.protocol.reader.SearchResponse;
import io.vecgate.runtime.tls.ClientTls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The readers the gateway can route to. It learns them from their {@code vecgate.readers} states
 * (a reader that has not reported within {@code expiry} is not used), opens a {@link ReaderLink}
 * to each (a heartbeat-kept pool of gRPC connections, or the in-process service), and plans
 * requests over the <em>routable</em> ones: live by every signal (a state message within the
 * expiry, its Hazelcast member still in the cluster, its Redis heartbeat key alive: see
 * {@link ReaderLiveness}), not evicted by heartbeats, with an open connection.
 *
 * <p>{@link #plan} picks, for a space, the newest version that the routable readers cover
 * completely and one reader per partition (least outstanding requests first, or by
 * {@code client_type}, and as few readers as possible), so that every answer comes from exactly
 * one version; {@link #replan} finds other readers for some partitions of the same version (a
 * retry). Each chosen reader admits the request into its bounded {@link ReaderQueue}; when every
 * reader that could answer is full the plan is refused with 429, when none can answer with 503
 * ({@link RetryLaterException}, with {@code Retry-After}).
 */
public final class ReaderDirectory {

  private static final System.Logger LOG = System.getLogger(ReaderDirectory.class.getName());
  /** A reader silent this many expiries is forgotten (its link closed). */
  private static final int FORGET_AFTER_EXPIRIES = 10;

  /**
   * One call of a plan: a reader, the partitions it answers for, and the place it holds in the
   * reader's queue. Exactly one of {@link #search}, {@link #get} or {@link #abandon} must be
   * called; it reports the admission's outcome.
   */
  public static final class Assignment {
    private final ReaderNode reader;
    private final ReaderLink link;
    private final List<Integer> partitions;
    private final Admission admission;

    Assignment(ReaderNode reader, List<Integer> partitions, Admission admission) {
      this.reader = reader;
      this.link = reader.link;
      this.partitions = List.copyOf(partitions);
      this.admission = admission;
    }

    public String nodeId() {
      return reader.nodeId;
    }

    public List<Integer> partitions() {
      return partitions;
    }

    public Future<SearchResponse> search(SearchRequest request, long timeoutMillis) {
      return settle(link.search(request, timeoutMillis));
    }

    public Future<GetResponse> get(GetRequest request, long timeoutMillis) {
      return settle(link.get(request, timeoutMillis));
    }

    /** The call will not be made (its plan was given up): frees the place in the queue. */
    public void abandon() {
      admission.ignored();
    }

    private <T> Future<T> settle(Future<T> call) {
      return call.andThen(ar -> admission.complete(ar.succeeded() ? Admission.Outcome.SUCCESS
          : ar.cause() instanceof ReaderCallException e ? e.outcome() : Admission.Outcome.DROPPED));
    }
  }

  /** The version to search and the calls that cover the partitions asked for. */
  public record Plan(long version, List<Assignment> assignments) {
    /** Gives up every call of the plan (none was made). */
    public void abandon() {
      assignments.forEach(Assignment::abandon);
    }
  }

  private final Vertx vertx;
  private final long expiryNanos;
  private final RoutingConfig routing;
  private final ReaderMetrics metrics;
  private final LinkFactory links;
  private final PartitionAssigner assigner;
  private final Timers timers;
  private final ReaderLiveness liveness;
  private final Map<String, ReaderNode> nodes = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> consumer;
  private long sweepTimer = -1;
  private Runnable unwatch = () -> {};
  private Runnable unlisten = () -> {};
  private final List<Runnable> stateListeners = new CopyOnWriteArrayList<>();
  /** Which reader states are taken (those signed with the admin token; any when that level is open). */
  private PublishCheck states = new PublishCheck(AccessTokens.none(), "reader state");

  /**
   * @param inProcess call readers deployed in this JVM directly rather than over gRPC
   * @param liveness what the cluster says of the readers (membership, Redis heartbeats); not closed here
   */
  public ReaderDirectory(Vertx vertx, long expiryMillis, boolean inProcess, RoutingConfig routing, ReaderMetrics metrics,
                         ReaderLiveness liveness) {
    this(vertx, expiryMillis, inProcess, routing, metrics, liveness, AccessTokens.none(), null);
  }

  /**
   * @param tokens the node's tokens: gRPC calls to readers carry the one that opens reads, and
   *     only reader states signed with the admin token are taken
   * @param tls gRPC to the readers over TLS (null: plain)
   */
  public ReaderDirectory(Vertx vertx, long expiryMillis, boolean inProcess, RoutingConfig routing, ReaderMetrics metrics,
                         ReaderLiveness liveness, AccessTokens tokens, ClientTls tls) {
    this(vertx, expiryMillis, routing, metrics, LinkFactory.of(vertx, inProcess, routing, metrics, Timers.of(vertx),
        tokens.credentialFor(AccessLevel.READ), tls), Timers.of(vertx), liveness);
    this.states = new PublishCheck(tokens, "reader state");
  }

  /** With the links and timers given (tests); {@code vertx} is only used by {@link #start()}. */
  ReaderDirectory(Vertx vertx, long expiryMillis, RoutingConfig routing, ReaderMetrics metrics, LinkFactory links,
                  Timers timers) {
    this(vertx, expiryMillis, routing, metrics, links, timers, ReaderLiveness.none());
  }

  /** With the links, timers and liveness given (tests). */
  ReaderDirectory(Vertx vertx, long expiryMillis, RoutingConfig routing, ReaderMetrics metrics, LinkFactory links,
                  Timers timers, ReaderLiveness liveness) {
    this.vertx = vertx;
    this.expiryNanos = TimeUnit.MILLISECONDS.toNanos(expiryMillis);
    this.routing = routing;
    this.metrics = metrics;
    this.links = links;
    this.assigner = new PartitionAssigner(routing, metrics);
    this.timers = timers;
    this.liveness = liveness;
  }

  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.READERS, msg -> {
      if (states.admit(msg)) {
        receive(msg.body());
      }
    });
    sweepTimer = timers.setPeriodic(Math.max(1, TimeUnit.NANOSECONDS.toMillis(expiryNanos)), this::sweep);
    watchLiveness();
    return consumer.completion();
  }

  /**
   * Has the heartbeat keys of the known readers polled, and logs the readers whose member leaves
   * (routing stops at once: {@link ReaderNode#routable} asks the liveness on every plan).
   */
  void watchLiveness() {
    unwatch = liveness.watch(this::heartbeatKeys);
    unlisten = liveness.onMemberLeft(member -> nodes.values().forEach(n -> {
      if (member.equals(n.member)) {
        LOG.log(System.Logger.Level.WARNING, "reader {0} at {1}:{2}: its cluster member {3} left; not routed to any more",
            n.nodeId, n.host, String.valueOf(n.port), member);
      }
    }));
  }

  /**
   * The heartbeat keys of every reader known (not forgotten yet): a reader that went silent keeps
   * showing whether its key expired.
   */
  private List<String> heartbeatKeys() {
    List<String> keys = new ArrayList<>();
    for (ReaderNode n : nodes.values()) {
      String k = n.heartbeatKey;
      if (k != null) {
        keys.add(k);
      }
    }
    return keys;
  }

  public Future<Void> stop() {
    unwatch.run();
    unlisten.run();
    if (sweepTimer >= 0) {
      timers.cancel(sweepTimer);
    }
    nodes.values().forEach(n -> {
      if (n.link != null) {
        n.link.close();
      }
    });
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  public RoutingConfig routing() {
    return routing;
  }

  /** What the cluster says of the readers (for {@code /health/ready}). */
  public ReaderLiveness liveness() {
    return liveness;
  }

  /** How many readers are routable now (live by every signal, not evicted, connected). */
  public int routableCount() {
    return routable(Set.of()).size();
  }

  /**
   * Runs {@code listener} after every reader state message is applied (on the directory's
   * context), so that what waits for a version to be served learns of it without polling.
   */
  public void onStateApplied(Runnable listener) {
    stateListeners.add(listener);
  }

  /** One reader state message: applied, then told to the listeners. */
  void receive(JsonObject s) {
    accept(s);
    stateListeners.forEach(Runnable::run);
  }

  /** Applies one reader state message. */
  void accept(JsonObject message) {
    ReaderState s;
    try {
      s = ReaderState.fromJson(message);
    } catch (IllegalArgumentException e) {
      LOG.log(System.Logger.Level.WARNING, "ignoring {0}", e.getMessage());
      return;
    }
    String id = s.nodeId();
    String host = s.grpcHost();
    int port = s.grpcPort();
    if (port <= 0) {
      return;
    }
    ReaderNode node = nodes.computeIfAbsent(id, k -> new ReaderNode(k, new ReaderHealth(routing.missedHeartbeatsToEvict()),
        new ReaderQueue(k, routing.maxOutstandingPerReader(), metrics)));
    if (node.link == null || !node.host.equals(host) || node.port != port) {
      ReaderLink old = node.link;
      ReaderLink fresh = links.open(id, host, port, node.health);
      String was = node.host + ":" + node.port;
      node.host = host;
      node.port = port;
      node.link = fresh;
      if (old != null) {
        LOG.log(System.Logger.Level.INFO, "reader {0} moved from {1} to {2}:{3}", id, was, host, String.valueOf(port));
        old.close();
      } else {
        LOG.log(System.Logger.Level.INFO, "reader {0} at {1}:{2} joined ({3})", id, host, String.valueOf(port),
            fresh.inProcess() ? "in this JVM" : routing.connectionsPerReader() + " gRPC connections");
      }
      fresh.start();
    }
    node.applyState(s, timers.nanoTime());
  }

  /** Forgets readers silent for {@value #FORGET_AFTER_EXPIRIES} expiries and closes their links. */
  void sweep() {
    long now = timers.nanoTime();
    nodes.values().removeIf(n -> {
      if (now - n.lastSeenNanos < FORGET_AFTER_EXPIRIES * expiryNanos) {
        return false;
      }
      LOG.log(System.Logger.Level.INFO, "reader {0} forgotten: no state message for {1} s", n.nodeId,
          String.valueOf(TimeUnit.NANOSECONDS.toSeconds(now - n.lastSeenNanos)));
      if (n.link != null) {
        n.link.close();
      }
      return true;
    });
  }

  /** Readers seen within the expiry (evicted or not). */
  public List<ReaderNode> live() {
    long now = timers.nanoTime();
    return nodes.values().stream().filter(n -> n.live(now, expiryNanos)).toList();
  }

  private List<ReaderNode> routable(Collection<String> exclude) {
    long now = timers.nanoTime();
    List<ReaderNode> out = new ArrayList<>();
    for (ReaderNode n : nodes.values()) {
      if (!exclude.contains(n.nodeId) && n.routable(now, expiryNanos, liveness)) {
        out.add(n);
      }
    }
    return out;
  }

  /**
   * A JSON summary of the known readers, for {@code /_cluster/nodes}: state, versions, liveness
   * signals (member, Redis heartbeat), heartbeats, queue, connections.
   */
  public JsonArray describe() {
    long now = timers.nanoTime();
    JsonArray out = new JsonArray();
    for (ReaderNode n : nodes.values().stream().sorted(Comparator.comparing(n -> n.nodeId)).toList()) {
      out.add(n.describe(now, expiryNanos, liveness, routing.heartbeatInterval().toMillis()));
    }
    return out;
  }

  /**
   * Plans a request of {@code db/space} over all {@code partitionCount} partitions and admits it
   * into the chosen readers' queues.
   *
   * @param exclude readers not to use (ones that just failed)
   * @param clientType {@code leader} (readers by id), {@code random}, or null for least outstanding
   * @throws RetryLaterException 503 when no version is covered by the routable readers, 429 when
   *     it is but the readers holding some partition are all full
   */
  public Plan plan(String db, String space, int partitionCount, Collection<String> exclude, String clientType) {
    List<ReaderNode> candidates = routable(exclude);
    List<Integer> all = allPartitions(partitionCount);
    long version = PartitionAssigner.newestCoveredVersion(candidates, db, space, all);
    if (version < 0) {
      metrics.shed(503);
      throw RetryLaterException.unavailable("no live reader serves space '" + space + "' of db '" + db
          + "' yet (readers: " + live().size() + " live, " + candidates.size() + " routable" + excluded(exclude)
          + "); retry when it is published and loaded", routing.retryAfterSeconds());
    }
    return assigner.assign(candidates, db, space, version, all, clientType);
  }

  /**
   * Plans {@code partitions} of {@code version} on routable readers other than {@code exclude}
   * (a retry: the answer must stay of one version); null when no such reader holds them all.
   *
   * @throws RetryLaterException 429 when readers hold them but are full
   */
  public Plan replan(String db, String space, long version, List<Integer> partitions, Collection<String> exclude,
                     String clientType) {
    List<ReaderNode> candidates = routable(exclude);
    if (!PartitionAssigner.covers(candidates, db, space, version, partitions)) {
      return null;
    }
    return assigner.assign(candidates, db, space, version, partitions, clientType);
  }

  /** The newest version of {@code db/space} the routable readers cover completely, or -1. */
  public long newestServed(String db, String space, int partitionCount) {
    return PartitionAssigner.newestCoveredVersion(routable(Set.of()), db, space, allPartitions(partitionCount));
  }

  private static List<Integer> allPartitions(int partitionCount) {
    return IntStream.range(0, partitionCount).boxed().toList();
  }

  private static String excluded(Collection<String> exclude) {
    return exclude.isEmpty() ? "" : ", not " + exclude.stream().sorted().toList() + " which just failed";
  }
}
