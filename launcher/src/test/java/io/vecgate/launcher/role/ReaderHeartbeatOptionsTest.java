package io.vecgate.launcher.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.coordination.liveness.ReaderHeartbeat;
import io.vecgate.coordination.liveness.RedisReaderHeartbeat;
import io.vecgate.launcher.config.ConfigDefaults;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The reader's store options (where its Redis heartbeat goes) from the command line and the environment, and their checks. */
class ReaderHeartbeatOptionsTest {

  static ReaderHeartbeat parse(Map<String, String> env, String... args) {
    ReaderCommand cmd = new ReaderCommand();
    new CommandLine(cmd).setDefaultValueProvider(new ConfigDefaults(env, new Properties())).parseArgs(args);
    return cmd.heartbeat.heartbeat(cmd.store.config(), cmd.node.nodeId("reader"));
  }

  @Test
  void noHeartbeatWithTheHazelcastStoreARedisKeyUnderThePrefixWithRedis() {
    assertNull(parse(Map.of(), "--node-id", "r1").announcedKey());
    assertTrue(parse(Map.of(), "--node-id", "r1").detail().startsWith("no heartbeat store"));
    RedisReaderHeartbeat r = (RedisReaderHeartbeat) parse(Map.of(), "--node-id", "r1", "--alias-store",
        "redis://127.0.0.1:6379", "--alias-key-prefix", "dep1");
    assertEquals("dep1:reader:r1", r.key());
    RedisReaderHeartbeat fromEnv = (RedisReaderHeartbeat) parse(Map.of("VECGATE_ALIAS_STORE", "redis://127.0.0.1:6379"),
        "--node-id", "r2", "--redis-heartbeat-ttl", "1s");
    assertEquals("vecgate:reader:r2", fromEnv.key());
  }

  @Test
  void refusesABadStoreOrTtlNamingTheOption() {
    assertEquals("--redis-heartbeat-ttl: expected 300ms to 10m, got 100ms", assertThrows(IllegalArgumentException.class,
        () -> parse(Map.of(), "--alias-store", "redis://127.0.0.1:6379", "--redis-heartbeat-ttl", "100ms")).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--alias-store", "memcached://x"))
        .getMessage().startsWith("--alias-store: expected \"hazelcast\" or a Redis URI"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--alias-key-prefix", "a b"))
        .getMessage().startsWith("--alias-key-prefix: expected letters"));
  }
}
