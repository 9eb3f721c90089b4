package io.vecgate.launcher.role;

import io.vecgate.coordination.alias.AliasStoreConfig;
import picocli.CommandLine.Option;

/**
 * Where a reader finds the deployment's store. Readers never resolve aliases (the gateway sends
 * them versions), so they do not open the alias store; with a Redis store they write their
 * heartbeat there, under the same key prefix. The same values as every other node of the
 * deployment, hence the same option names.
 */
public final class ReaderStoreOptions {

  @Option(names = "--alias-store", defaultValue = AliasStoreConfig.HAZELCAST,
      description = "The deployment's store, as the gateway and writer have it: hazelcast (no heartbeat) or a Redis URI "
          + "like redis://127.0.0.1:6379, where this reader writes its heartbeat. Default: ${DEFAULT-VALUE}")
  String store;

  @Option(names = "--alias-key-prefix", defaultValue = "vecgate",
      description = "The deployment's Redis key prefix (the heartbeat key is {prefix}:reader:{node-id}). "
          + "Default: ${DEFAULT-VALUE}")
  String keyPrefix;

  /** @throws IllegalArgumentException naming the option, the expected and the received value */
  AliasStoreConfig config() {
    return new AliasStoreConfig(store, keyPrefix, AliasStoreConfig.defaults().historyLength());
  }
}
