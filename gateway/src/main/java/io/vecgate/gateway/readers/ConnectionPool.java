package io.vecgate.gateway.readers;

import io.vecgate.protocol.reader.GetRequest;
import io.vecgate.protocol.reader.GetResponse;
import io.vecgate.protocol.reader.SearchRequest;
import io.vecgate.protocol.reader.SearchResponse;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The gateway's connections to one reader in another process: a fixed number of
 * {@link ReaderChannel}s, each its own HTTP/2 connection.
 *
 * <ul>
 *   <li><b>Connecting</b>: each connection takes calls once a ping over it has answered (at start
 *       and after every reconnect), so nothing is sent to a reader that cannot be reached.</li>
 *   <li><b>Calls</b> go to the open connection with the fewest calls in flight. A call that fails
 *       for want of a connection closes that connection at once (calls still on it fail and are
 *       retried elsewhere by the caller), so no later call is sent down it.</li>
 *   <li><b>Heartbeats</b>: every {@code heartbeatInterval} each open connection is pinged with
 *       {@code heartbeatTimeout}; a ping that fails closes its connection. A round in which no
 *       connection answered (or none was open) is a missed heartbeat for {@link ReaderHealth}, which
 *       evicts the reader after {@code missedHeartbeatsToEvict} in a row. Pings keep idle
 *       connections from being dropped by the HTTP/2 keep-alive or anything in between.</li>
 *   <li><b>Reconnects</b>: a closed connection is reopened after a {@link Backoff} (doubling from
 *       {@code reconnectBackoff} to {@code reconnectBackoffMax}); it takes calls again once a ping
 *       on the new connection answered, and that answer takes an evicted reader back.</li>
 * </ul>
 *
 * <p>Confined to one event loop (the gateway verticle's): the timers, the calls and their
 * callbacks all run there. The fields read for routing and {@code /_cluster/nodes} are volatile or
 * atomic all the same.
 */
public final class ConnectionPool implements ReaderLink {

  private static final System.Logger LOG = System.getLogger(ConnectionPool.class.getName());

  private final String nodeId;
  private final String address;
  private final Supplier<ReaderChannel> opener;
  private final RoutingConfig config;
  private final Backoff backoff;
  private final ReaderHealth health;
  private final ReaderMetrics metrics;
  private final Timers timers;
  private final Slot[] slots;
  private int nextSlot;
  private long heartbeatTimer = -1;
  private volatile boolean closed;

  /** One connection place of the pool: the channel in it, and whether it takes calls. */
  private static final class Slot {
    final int index;
    ReaderChannel channel;
    volatile boolean open;
    final AtomicInteger outstanding = new AtomicInteger();
    volatile boolean everOpen;
    volatile int failures;
    volatile String lastError = "";
    long reconnectTimer = -1;

    Slot(int index) {
      this.index = index;
    }
  }

  /**
   * @param address for logs ({@code host:port})
   * @param opener opens a new connection to the reader (lazily: it connects on its first call)
   */
  public ConnectionPool(String nodeId, String address, Supplier<ReaderChannel> opener, RoutingConfig config,
                        ReaderHealth health, ReaderMetrics metrics, Timers timers) {
    this.nodeId = nodeId;
    this.address = address;
    this.opener = opener;
    this.config = config;
    this.backoff = new Backoff(config.reconnectBackoff().toMillis(), config.reconnectBackoffMax().toMillis());
    this.health = health;
    this.metrics = metrics;
    this.timers = timers;
    this.slots = new Slot[config.connectionsPerReader()];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = new Slot(i);
    }
  }

  @Override
  public void start() {
    for (Slot s : slots) {
      reconnect(s);
    }
    heartbeatTimer = timers.setPeriodic(config.heartbeatInterval().toMillis(), this::heartbeat);
  }

  @Override
  public Future<SearchResponse> search(SearchRequest request, long timeoutMillis) {
    return call(ch -> ch.search(request, timeoutMillis));
  }

  @Override
  public Future<GetResponse> get(GetRequest request, long timeoutMillis) {
    return call(ch -> ch.get(request, timeoutMillis));
  }

  private <T> Future<T> call(Function<ReaderChannel, Future<T>> rpc) {
    Slot s = pick();
    if (s == null) {
      return Future.failedFuture(ReaderCallException.connection(nodeId, "no open connection to " + address
          + (closed ? " (closed)" : "; reconnecting: " + lastError()), null));
    }
    ReaderChannel ch = s.channel;
    s.outstanding.incrementAndGet();
    return rpc.apply(ch).andThen(ar -> {
      s.outstanding.decrementAndGet();
      if (ar.failed() && ar.cause() instanceof ReaderCallException e && e.kind() == ReaderCallException.Kind.CONNECTION) {
        lost(s, ch, e.getMessage());
      }
    });
  }

  /** The open connection with the fewest calls in flight; ties go round the slots. */
  private Slot pick() {
    Slot best = null;
    int start = nextSlot++ & Integer.MAX_VALUE;
    for (int i = 0; i < slots.length; i++) {
      Slot s = slots[(start + i) % slots.length];
      if (s.open && (best == null || s.outstanding.get() < best.outstanding.get())) {
        best = s;
      }
    }
    return best;
  }

  /** One heartbeat round: ping every open connection; the round is answered if any ping is. */
  void heartbeat() {
    if (closed) {
      return;
    }
    int open = 0;
    for (Slot s : slots) {
      open += s.open ? 1 : 0;
    }
    if (open == 0) {
      roundEnded(false, "no open connection (" + lastError() + ")");
      return;
    }
    Round round = new Round(open);
    long timeout = config.heartbeatTimeout().toMillis();
    for (Slot s : slots) {
      if (!s.open) {
        continue;
      }
      ReaderChannel ch = s.channel;
      ch.ping(timeout).onComplete(ar -> {
        if (ar.succeeded()) {
          round.answered = true;
        } else {
          round.error = ar.cause().getMessage();
          lost(s, ch, "heartbeat failed: " + ar.cause().getMessage());
        }
        if (--round.pending == 0) {
          roundEnded(round.answered, round.error);
        }
      });
    }
  }

  private static final class Round {
    int pending;
    boolean answered;
    String error = "";

    Round(int pending) {
      this.pending = pending;
    }
  }

  private void roundEnded(boolean answered, String error) {
    if (closed) {
      return;
    }
    metrics.heartbeat(nodeId, answered);
    long now = timers.nanoTime();
    if (answered) {
      onAnswer(now);
    } else if (health.missed(now, error) == ReaderHealth.Transition.EVICTED) {
      metrics.evicted(nodeId);
      LOG.log(System.Logger.Level.WARNING, "reader {0} at {1} evicted: {2} heartbeats missed in a row ({3}; last answer "
          + "{4} ms ago); no new searches go to it until it answers again", nodeId, address,
          String.valueOf(health.missed()), error,
          String.valueOf(TimeUnit.NANOSECONDS.toMillis(health.lastEvictionSilenceNanos())));
    }
  }

  private void onAnswer(long now) {
    long evictedAt = health.evictedAtNanos();
    if (health.answered(now) == ReaderHealth.Transition.RETURNED) {
      metrics.returned(nodeId);
      LOG.log(System.Logger.Level.INFO, "reader {0} at {1} answers again after {2} ms evicted; searches go to it again",
          nodeId, address, String.valueOf(TimeUnit.NANOSECONDS.toMillis(now - evictedAt)));
    }
  }

  /** Gives up the connection in {@code s} if it still holds {@code ch}, and schedules its reconnect. */
  private void lost(Slot s, ReaderChannel ch, String why) {
    if (closed || s.channel != ch || !s.open) {
      return; // stale (replaced or already lost)
    }
    s.open = false;
    s.failures = 1;
    s.lastError = why;
    metrics.connectionLost(nodeId);
    long delay = backoff.delayMillis(s.failures);
    LOG.log(System.Logger.Level.INFO, "reader {0}: connection {1} to {2} lost ({3}); reconnecting in {4} ms", nodeId,
        String.valueOf(s.index), address, why, String.valueOf(delay));
    ch.close();
    s.reconnectTimer = timers.setTimer(delay, () -> reconnect(s));
  }

  /** Opens a new connection in {@code s}; it takes calls once a ping on it answers. */
  private void reconnect(Slot s) {
    s.reconnectTimer = -1;
    if (closed) {
      return;
    }
    ReaderChannel fresh = opener.get();
    fresh.ping(config.heartbeatTimeout().toMillis()).onComplete(ar -> {
      if (closed) {
        fresh.close();
        return;
      }
      if (ar.succeeded()) {
        s.channel = fresh;
        s.open = true;
        s.failures = 0;
        s.lastError = "";
        if (s.everOpen) {
          metrics.reconnected(nodeId);
          LOG.log(System.Logger.Level.INFO, "reader {0}: connection {1} to {2} reopened", nodeId,
              String.valueOf(s.index), address);
        }
        s.everOpen = true;
        onAnswer(timers.nanoTime());
      } else {
        fresh.close();
        s.failures++;
        s.lastError = ar.cause().getMessage();
        s.reconnectTimer = timers.setTimer(backoff.delayMillis(s.failures), () -> reconnect(s));
      }
    });
  }

  private String lastError() {
    for (Slot s : slots) {
      if (!s.lastError.isEmpty()) {
        return s.lastError;
      }
    }
    return "";
  }

  @Override
  public boolean usable() {
    if (closed) {
      return false;
    }
    for (Slot s : slots) {
      if (s.open) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean inProcess() {
    return false;
  }

  /** Open connections now. */
  public int openConnections() {
    int n = 0;
    for (Slot s : slots) {
      n += s.open ? 1 : 0;
    }
    return n;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (heartbeatTimer >= 0) {
      timers.cancel(heartbeatTimer);
    }
    for (Slot s : slots) {
      if (s.reconnectTimer >= 0) {
        timers.cancel(s.reconnectTimer);
      }
      s.open = false;
      if (s.channel != null) {
        s.channel.close();
      }
    }
  }

  @Override
  public JsonArray describe() {
    JsonArray out = new JsonArray();
    for (Slot s : slots) {
      String state = s.open ? "open" : closed ? "closed" : s.everOpen ? "reconnecting" : "connecting";
      JsonObject c = new JsonObject().put("state", state)
          .put("outstanding", s.outstanding.get()).put("failures", s.failures);
      if (!s.open && !s.lastError.isEmpty()) {
        c.put("last_error", s.lastError);
      }
      out.add(c);
    }
    return out;
  }
}
