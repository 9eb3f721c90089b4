package io.vecgate.coordination.alias.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Response;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One Redis connection that comes back by itself: when it is lost (Redis stopped, the connection
 * killed) it is dropped at once, so that its users fail fast instead of waiting, and reconnected
 * with exponential backoff (100 ms doubling up to 5 s), each step logged. {@code onConnect}
 * prepares a fresh connection (e.g. SUBSCRIBE) before it counts as up; {@code afterConnect} runs
 * once it is (e.g. re-read everything).
 */
final class RedisLink {

  private static final System.Logger LOG = System.getLogger(RedisLink.class.getName());
  static final long MIN_BACKOFF_MILLIS = 100;
  static final long MAX_BACKOFF_MILLIS = 5_000;

  private final Vertx vertx;
  private final Redis client;
  private final String what;
  private final Function<RedisConnection, Future<?>> onConnect;
  private final Consumer<Response> onMessage;
  private final Runnable afterConnect;
  private volatile RedisConnection connection;
  private volatile String lastError = "not connected yet";
  private volatile long downSinceMillis = System.currentTimeMillis();
  private volatile boolean closed;
  private int failures;

  /**
   * @param what names the link in logs ({@code "alias store redis://127.0.0.1:6379 (commands)"})
   * @param onMessage receives pushed messages (pub/sub), or null
   */
  RedisLink(Vertx vertx, Redis client, String what, Function<RedisConnection, Future<?>> onConnect,
      Consumer<Response> onMessage, Runnable afterConnect) {
    this.vertx = vertx;
    this.client = client;
    this.what = what;
    this.onConnect = onConnect;
    this.onMessage = onMessage;
    this.afterConnect = afterConnect;
  }

  /** Connects; completes after the first attempt, whatever its outcome (a failed one keeps retrying). */
  Future<Void> start() {
    return attempt();
  }

  /** The live connection, or null while there is none. */
  RedisConnection connection() {
    return connection;
  }

  boolean up() {
    return connection != null;
  }

  /** Why the link is down (the last error), for errors and health. */
  String lastError() {
    return lastError;
  }

  long downSinceMillis() {
    return downSinceMillis;
  }

  private Future<Void> attempt() {
    if (closed) {
      return Future.succeededFuture();
    }
    // Set by the connection's own handlers: a connection that dies while it is being prepared is not kept.
    boolean[] dead = new boolean[1];
    return client.connect().compose(c -> {
      c.exceptionHandler(e -> {
        dead[0] = true;
        lost(c, e.getMessage());
      });
      c.endHandler(v -> {
        dead[0] = true;
        lost(c, "connection closed");
      });
      if (onMessage != null) {
        c.handler(onMessage::accept);
      }
      return onConnect.apply(c).map(x -> c).onFailure(e -> c.close());
    }).andThen(ar -> {
      if (ar.succeeded() && !dead[0] && !closed) {
        connection = ar.result();
        if (failures > 0) {
          LOG.log(System.Logger.Level.INFO, what + ": reconnected after " + failures + " failed attempts");
        }
        failures = 0;
        afterConnect.run();
      } else if (ar.succeeded() && closed) {
        ar.result().close();
      } else if (ar.failed() || dead[0]) {
        String cause = ar.failed() ? message(ar.cause()) : "connection closed while it was prepared";
        lastError = cause;
        long delay = Math.min(MAX_BACKOFF_MILLIS, MIN_BACKOFF_MILLIS << Math.min(failures, 16));
        failures++;
        LOG.log(System.Logger.Level.WARNING, what + ": connecting failed (" + cause + "), attempt " + failures
            + "; retrying in " + delay + " ms");
        retryIn(delay);
      }
    }).<Void>mapEmpty().otherwiseEmpty();
  }

  private void lost(RedisConnection c, String cause) {
    if (connection != c || closed) {
      return;
    }
    connection = null;
    lastError = cause == null ? "connection lost" : cause;
    downSinceMillis = System.currentTimeMillis();
    LOG.log(System.Logger.Level.WARNING, what + ": lost (" + lastError + "); searches go on with the cached aliases, "
        + "alias changes are refused; reconnecting with backoff");
    c.close();
    retryIn(MIN_BACKOFF_MILLIS);
  }

  private void retryIn(long millis) {
    if (!closed) {
      vertx.setTimer(millis, id -> attempt());
    }
  }

  Future<Void> close() {
    closed = true;
    RedisConnection c = connection;
    connection = null;
    return c == null ? Future.succeededFuture() : c.close().otherwiseEmpty();
  }

  static String message(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
  }
}
