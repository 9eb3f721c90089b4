package io.vecgate.launcher.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.gateway.GatewayConfig;
import io.vecgate.gateway.readers.RoutingConfig;
import io.vecgate.launcher.config.ConfigDefaults;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The gateway's reader options from the command line, the environment and the config file, and their checks. */
class GatewayOptionsTest {

  static GatewayConfig parse(Map<String, String> env, Properties file, String... args) {
    GatewayCommand cmd = new GatewayCommand();
    new CommandLine(cmd).setDefaultValueProvider(new ConfigDefaults(env, file)).parseArgs(args);
    return cmd.gateway.config("127.0.0.1");
  }

  @Test
  void defaultsAreTheRoutingDefaults() {
    assertEquals(RoutingConfig.defaults(), parse(Map.of(), new Properties()).routing());
  }

  @Test
  void readsTheCommandLineThenTheEnvironmentThenTheFile() {
    Properties file = new Properties();
    file.setProperty("reader-connections", "3");
    file.setProperty("search-timeout", "5s");
    RoutingConfig r = parse(Map.of("VECGATE_READER_MAX_OUTSTANDING", "4", "VECGATE_SEARCH_TIMEOUT", "7s"), file,
        "--heartbeat-interval", "300ms", "--heartbeat-timeout", "200ms", "--retry-after", "2s",
        "--reconnect-backoff", "50ms", "--reconnect-backoff-max", "1s").routing();
    assertEquals(Duration.ofMillis(300), r.heartbeatInterval());
    assertEquals(Duration.ofMillis(200), r.heartbeatTimeout());
    assertEquals(2, r.retryAfterSeconds());
    assertEquals(Duration.ofMillis(50), r.reconnectBackoff());
    assertEquals(Duration.ofSeconds(1), r.reconnectBackoffMax());
    assertEquals(4, r.maxOutstandingPerReader(), "from the environment");
    assertEquals(Duration.ofSeconds(7), r.searchTimeout(), "the environment wins over the file");
    assertEquals(3, r.connectionsPerReader(), "from the file");
    assertEquals(2, r.missedHeartbeatsToEvict());
  }

  @Test
  void refusesValuesOutOfRangeNamingTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> parse(Map.of(), new Properties(), "--heartbeat-interval", "1s", "--heartbeat-timeout", "2s"));
    assertEquals("--heartbeat-timeout: expected at least 1ms and at most --heartbeat-interval (1000ms), got 2000ms",
        e.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), new Properties(),
        "--reader-max-outstanding", "0")).getMessage().startsWith("--reader-max-outstanding: expected at least 1, got 0"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), new Properties(),
        "--retry-after", "500ms")).getMessage().contains("--retry-after"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), new Properties(),
        "--reader-connections", "0")).getMessage().contains("--reader-connections"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), new Properties(),
        "--reconnect-backoff", "1s", "--reconnect-backoff-max", "500ms")).getMessage().contains("--reconnect-backoff-max"));
  }
}
