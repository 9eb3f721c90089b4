package io.vecgate.launcher.role;

import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.liveness.ReaderHeartbeat;
import io.vecgate.coordination.liveness.RedisReaderHeartbeat;
import io.vecgate.launcher.config.Durations;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The reader's Redis heartbeat (reader and standalone take it; it applies when the store is Redis). */
public final class HeartbeatOptions {

  @Option(names = "--redis-heartbeat-ttl", defaultValue = "3s", converter = Durations.class,
      description = "With a Redis store, the reader writes {prefix}:reader:{node-id} every third of this, expiring "
          + "after it; gateways and the writer do not route to a reader whose key expired. Default: ${DEFAULT-VALUE}")
  Duration ttl;

  /**
   * The heartbeat of reader {@code nodeId} in {@code store} (none unless it is Redis).
   *
   * @throws IllegalArgumentException naming the option when the TTL is out of range
   */
  ReaderHeartbeat heartbeat(AliasStoreConfig store, String nodeId) {
    return RedisReaderHeartbeat.forStore(store, nodeId, ttl);
  }
}
