package io.vecgate.coordination.liveness;

import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A reader's heartbeat in Redis: {@code {prefix}:reader:{node id}} = the reader's state JSON,
 * written with {@code SET … PX ttl} every third of the TTL (every second by default), so the key
 * disappears by itself a TTL after the reader stops (killed, hung, cut off from Redis). A
 * graceful stop deletes it. The prefix is the alias store's ({@code --alias-key-prefix}), so
 * several deployments can share one Redis.
 *
 * <p>While Redis cannot be reached, each write fails fast (a one-second connect timeout), the
 * failure is logged once, {@link #announcedKey()} turns null, and the next interval tries again;
 * the first write that succeeds is logged and the key is announced again.
 */
public final class RedisReaderHeartbeat implements ReaderHeartbeat {

  private static final System.Logger LOG = System.getLogger(RedisReaderHeartbeat.class.getName());
  /** The shortest TTL: the key is rewritten every third of it. */
  public static final Duration MIN_TTL = Duration.ofMillis(300);
  public static final Duration MAX_TTL = Duration.ofMinutes(10);
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(3);

  private final String uri;
  private final String display;
  private final String key;
  private final Duration ttl;
  private final long intervalMillis;
  private final AtomicBoolean inFlight = new AtomicBoolean();
  private Vertx vertx;
  private Redis client;
  private Supplier<JsonObject> state;
  private long timer = -1;
  private volatile boolean closed;
  private volatile boolean written;
  private volatile boolean failing;
  private volatile String lastError = "not written yet";
  private volatile long failingSinceMillis;
  private volatile int failures;

  /**
   * @param uri the Redis URI ({@code redis://host:port})
   * @param display the URI as logs show it (without credentials)
   * @param keyPrefix the deployment's key prefix
   * @throws IllegalArgumentException naming {@code --redis-heartbeat-ttl} when the TTL is out of range
   */
  public RedisReaderHeartbeat(String uri, String display, String keyPrefix, String nodeId, Duration ttl) {
    if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("--redis-heartbeat-ttl: expected " + MIN_TTL.toMillis() + "ms to "
          + MAX_TTL.toMinutes() + "m, got " + ttl.toMillis() + "ms");
    }
    this.uri = uri;
    this.display = display;
    this.key = key(keyPrefix, nodeId);
    this.ttl = ttl;
    this.intervalMillis = Math.max(100, ttl.toMillis() / 3);
  }

  /**
   * The heartbeat of reader {@code nodeId} in the deployment's store: Redis when the alias store is
   * Redis, else {@link ReaderHeartbeat#none()}.
   */
  public static ReaderHeartbeat forStore(AliasStoreConfig store, String nodeId, Duration ttl) {
    return store.isRedis() ? new RedisReaderHeartbeat(store.store(), store.display(), store.keyPrefix(), nodeId, ttl)
        : ReaderHeartbeat.none();
  }

  /** The heartbeat key of reader {@code nodeId} under {@code prefix}. */
  public static String key(String prefix, String nodeId) {
    return prefix + ":reader:" + nodeId;
  }

  public String key() {
    return key;
  }

  @Override
  public Future<Void> start(Vertx vertx, Supplier<JsonObject> state) {
    this.vertx = vertx;
    this.state = state;
    this.client = RedisClients.create(vertx, uri);
    timer = vertx.setPeriodic(intervalMillis, id -> beat());
    return beat();
  }

  private Future<Void> beat() {
    if (closed || !inFlight.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    String value = state.get().encode();
    return client.send(Request.cmd(Command.SET).arg(key).arg(value).arg("PX").arg(ttl.toMillis()))
        .timeout(Math.max(intervalMillis, RedisClients.CONNECT_TIMEOUT_MILLIS + 500L), TimeUnit.MILLISECONDS)
        .andThen(ar -> {
          inFlight.set(false);
          if (closed) {
            return;
          }
          if (ar.succeeded()) {
            if (failing) {
              LOG.log(System.Logger.Level.INFO, "reader heartbeat " + key + " in " + display + ": written again after "
                  + failures + " failed attempts");
            } else if (!written) {
              LOG.log(System.Logger.Level.INFO, "reader heartbeat " + key + " in " + display + ": written every "
                  + intervalMillis + " ms, expiring after " + ttl.toMillis() + " ms");
            }
            written = true;
            failing = false;
            failures = 0;
          } else {
            lastError = RedisClients.message(ar.cause());
            if (!failing) {
              failingSinceMillis = System.currentTimeMillis();
              LOG.log(System.Logger.Level.WARNING, "reader heartbeat " + key + " in " + display + ": writing failed ("
                  + lastError + "); not announcing it, so gateways go by this reader's other signals; retrying every "
                  + intervalMillis + " ms");
            }
            failing = true;
            failures++;
          }
        })
        .<Void>mapEmpty().otherwiseEmpty();
  }

  @Override
  public String announcedKey() {
    return written && !failing && !closed ? key : null;
  }

  @Override
  public boolean failing() {
    return failing;
  }

  @Override
  public String detail() {
    if (failing) {
      return "heartbeat " + key + " in " + display + " failing since " + Instant.ofEpochMilli(failingSinceMillis) + " ("
          + lastError + ", " + failures + " attempts); gateways go by the other signals";
    }
    return written ? "heartbeat " + key + " in " + display + " written every " + intervalMillis + " ms"
        : "heartbeat " + key + " in " + display + " not written yet";
  }

  @Override
  public Future<Void> close() {
    closed = true;
    if (client == null) {
      return Future.succeededFuture();
    }
    vertx.cancelTimer(timer);
    Future<Void> deleted = written
        ? client.send(Request.cmd(Command.DEL).arg(key)).timeout(1, TimeUnit.SECONDS).<Void>mapEmpty().otherwiseEmpty()
        : Future.succeededFuture();
    return deleted.eventually(() -> client.close()).otherwiseEmpty();
  }
}
