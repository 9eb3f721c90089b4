package io.vecgate.writer.rebuild;

import io.vecgate.coordination.liveness.ReaderLiveness;
import io.vecgate.protocol.access.AccessLevel;
import io.vecgate.protocol.access.AccessTokens;
import io.vecgate.protocol.access.PublishCheck;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.bus.Addresses;
import io.vecgate.protocol.bus.ReaderState;
import io.vecgate.writer.service.ServingReaders;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The readers as the writer sees them on the event bus: their states ({@code vecgate.readers},
 * published every second) tell which are live and which versions they hold; a reader is live
 * while its last state is younger than the live window and {@link ReaderLiveness} finds it alive
 * (its Hazelcast member in the cluster, its Redis heartbeat key not expired), so a reader that
 * was killed drops out at once instead of holding a rebuild up. Waiting for a version means
 * waiting until every live reader holds it, then asking each to warm it ({@code warm} on its
 * admin address) and collecting their answers; a reader that refused the version for its memory
 * budget fails the wait at once.
 */
public final class EventBusReaderFleet implements ReaderFleet, ServingReaders {

  private static final System.Logger LOG = System.getLogger(EventBusReaderFleet.class.getName());

  private record Seen(long atNanos, ReaderState state) {}

  private final Vertx vertx;
  private final Duration liveWindow;
  private final ReaderLiveness liveness;
  private final AccessTokens tokens;
  private final Map<String, Seen> readers = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> consumer;
  private Runnable unwatch = () -> {};

  /** Readers live by their state messages alone. */
  public EventBusReaderFleet(Vertx vertx, Duration liveWindow) {
    this(vertx, liveWindow, ReaderLiveness.none());
  }

  /** @param liveness the cluster's other signals (not closed here) */
  public EventBusReaderFleet(Vertx vertx, Duration liveWindow, ReaderLiveness liveness) {
    this(vertx, liveWindow, liveness, AccessTokens.none());
  }

  /** @param tokens the node's tokens: {@code warm} carries its admin token, which readers check like any admin command */
  public EventBusReaderFleet(Vertx vertx, Duration liveWindow, ReaderLiveness liveness, AccessTokens tokens) {
    this.vertx = vertx;
    this.tokens = tokens;
    this.liveWindow = liveWindow;
    this.liveness = liveness;
  }

  public Future<Void> start() {
    PublishCheck check = new PublishCheck(tokens, "reader state");
    consumer = vertx.eventBus().consumer(Addresses.READERS, msg -> {
      if (!check.admit(msg)) {
        return;
      }
      try {
        ReaderState s = ReaderState.fromJson(msg.body());
        readers.put(s.nodeId(), new Seen(System.nanoTime(), s));
      } catch (IllegalArgumentException e) {
        LOG.log(System.Logger.Level.WARNING, "ignoring {0}", e.getMessage());
      }
    });
    unwatch = liveness.watch(this::heartbeatKeys);
    return consumer.completion();
  }

  public Future<Void> stop() {
    unwatch.run();
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** The node ids of the readers heard from within the live window and alive by the cluster's signals. */
  public List<String> live() {
    long now = System.nanoTime();
    List<String> out = new ArrayList<>();
    readers.forEach((id, seen) -> {
      if (now - seen.atNanos() <= liveWindow.toNanos() && liveness.verdict(seen.state().member(),
          seen.state().heartbeatKey()) == ReaderLiveness.Verdict.ALIVE) {
        out.add(id);
      }
    });
    out.sort(null);
    return out;
  }

  /** The Redis heartbeat keys of the readers heard from lately (within ten live windows). */
  private List<String> heartbeatKeys() {
    long now = System.nanoTime();
    List<String> keys = new ArrayList<>();
    readers.forEach((id, seen) -> {
      String k = seen.state().heartbeatKey();
      if (k != null && now - seen.atNanos() <= 10 * liveWindow.toNanos()) {
        keys.add(k);
      }
    });
    return keys;
  }

  @Override
  public List<String> notServing(String db, String space, long version, int partitions) {
    List<String> out = new ArrayList<>();
    for (String id : live()) {
      Seen seen = readers.get(id);
      if (seen != null && servesAny(seen.state(), partitions) && !seen.state().servesAtLeast(db, space, version)) {
        // A reader that refused the version (its memory budget) will not load it by waiting: say why.
        String refusal = seen.state().refusal(db, space, version);
        out.add(refusal == null ? id : id + " (refused it: " + refusal + ")");
      }
    }
    return out;
  }

  /** Whether a reader serves any of partitions {@code 0..partitions-1} (a reader without a list serves all). */
  private static boolean servesAny(ReaderState s, int partitions) {
    return s.partitions() == null || s.partitions().stream().anyMatch(p -> p >= 0 && p < partitions);
  }

  private boolean holds(String nodeId, String db, String space, long version) {
    Seen seen = readers.get(nodeId);
    return seen != null && seen.state().servesAtLeast(db, space, version);
  }

  @Override
  public Future<Integer> awaitServing(String db, String space, long version, int warmupQueries, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Promise<List<String>> loaded = Promise.promise();
    poll(db, space, version, deadline, loaded);
    return loaded.future().compose(nodes -> {
      List<Future<JsonObject>> warms = new ArrayList<>();
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      for (String node : nodes) {
        JsonObject body = new JsonObject().put("db", db).put("space", space).put("version", version)
            .put("queries", warmupQueries);
        warms.add(vertx.eventBus().<JsonObject>request(Addresses.readerAdmin(node), body,
                tokens.sign(new DeliveryOptions().addHeader("cmd", "warm").setSendTimeout(left), AccessLevel.ADMIN))
            .map(m -> m.body())
            .recover(e -> Future.failedFuture(ApiException.unavailable("reader " + node + " did not warm " + db + "/"
                + space + "@" + version + ": " + reason(e)))));
      }
      return Future.all(warms).map(all -> nodes.size());
    });
  }

  /** The reason of a reader's refusal ({@code {"error": {"reason"}}}), or the failure's message. */
  private static String reason(Throwable e) {
    String m = e.getMessage();
    try {
      return m != null && m.startsWith("{") ? new JsonObject(m).getJsonObject("error").getString("reason", m) : m;
    } catch (RuntimeException notJson) {
      return m;
    }
  }

  private void poll(String db, String space, long version, long deadline, Promise<List<String>> done) {
    List<String> live = live();
    List<String> missing = live.stream().filter(n -> !holds(n, db, space, version)).toList();
    if (!live.isEmpty() && missing.isEmpty()) {
      done.complete(live);
      return;
    }
    for (String node : missing) {
      Seen seen = readers.get(node);
      String refusal = seen == null ? null : seen.state().refusal(db, space, version);
      if (refusal != null) {
        // It will not come: the reader keeps serving what it has, and waiting would only delay the failure.
        done.fail(new ApiException(507, "memory_budget_exceeded", refusal));
        return;
      }
    }
    if (System.nanoTime() > deadline) {
      done.fail(ApiException.unavailable(live.isEmpty() ? "no live reader to serve " + db + "/" + space + "@" + version
          : "readers " + missing + " did not load " + db + "/" + space + "@" + version + " in time"));
      return;
    }
    vertx.setTimer(100, id -> poll(db, space, version, deadline, done));
  }
}
