package io.vecgate.coordination.alias;

import io.vecgate.coordination.alias.hazelcast.HazelcastAliasStore;
import io.vecgate.coordination.alias.redis.RedisAliasStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Opens the alias store a node's configuration names. */
public final class AliasStores {

  private AliasStores() {}

  /**
   * Opens {@code config}'s store on {@code vertx}: Hazelcast on the Vert.x cluster (or, on a Vert.x
   * without a cluster, a table of that Vert.x), or Redis. Completes once the local copy holds
   * the aliases, or, for Redis, once the first connection attempt failed (the node starts
   * degraded and keeps reconnecting).
   */
  public static Future<AliasStore> open(Vertx vertx, AliasStoreConfig config) {
    return config.isRedis() ? RedisAliasStore.open(vertx, config) : HazelcastAliasStore.open(vertx, config);
  }
}
