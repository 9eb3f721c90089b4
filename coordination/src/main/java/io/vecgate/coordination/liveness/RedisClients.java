package io.vecgate.coordination.liveness;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/** The small pooled Redis clients of heartbeats: a pool connects on demand, so a lost Redis is retried by the next call. */
final class RedisClients {

  /** A connection attempt gives up after this, so a beat or a poll never waits long on an unreachable Redis. */
  static final int CONNECT_TIMEOUT_MILLIS = 1_000;

  private RedisClients() {}

  static Redis create(Vertx vertx, String uri) {
    RedisOptions options = new RedisOptions().setConnectionString(uri).setMaxPoolSize(2).setMaxPoolWaiting(8);
    options.getNetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MILLIS).setTcpKeepAlive(true);
    return Redis.createClient(vertx, options);
  }

  /** The innermost message of a failure, for logs and health. */
  static String message(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
  }
}
