package io.vecgate.launcher.role;

import io.vecgate.coordination.alias.AliasStoreConfig;
import picocli.CommandLine.Option;

/** Where the aliases live (standalone, gateway and writer take these). */
public final class AliasStoreOptions {

  @Option(names = "--alias-store", defaultValue = AliasStoreConfig.HAZELCAST,
      description = "hazelcast (the cluster's own Hazelcast; the writer keeps a copy in the data directory) or a Redis URI "
          + "like redis://127.0.0.1:6379. Every node of a deployment must use the same. Default: ${DEFAULT-VALUE}")
  String store;

  @Option(names = "--alias-key-prefix", defaultValue = "vecgate",
      description = "Prefix of the Redis keys and channel, so several deployments can share one Redis. Default: ${DEFAULT-VALUE}")
  String keyPrefix;

  @Option(names = "--alias-history", defaultValue = "5",
      description = "Previous targets kept per alias for rollback. Default: ${DEFAULT-VALUE}")
  int history;

  /** @throws IllegalArgumentException naming the option, the expected and the received value */
  AliasStoreConfig config() {
    return new AliasStoreConfig(store, keyPrefix, history);
  }
}
