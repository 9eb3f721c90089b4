package io.vecgate.protocol.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.protocol.api.ApiException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwitchGuardTest {

  @Test
  void readsWaitAndForceFromTheUrlParameterHeaders() {
    assertEquals(SwitchGuard.STRICT, SwitchGuard.fromHeaders(Map.of()));
    assertEquals(new SwitchGuard(Duration.ofSeconds(30), false), SwitchGuard.fromHeaders(Map.of("q.wait", "30s")));
    assertEquals(new SwitchGuard(Duration.ofMillis(500), true),
        SwitchGuard.fromHeaders(Map.of("q.wait", "500ms", "q.force", "true")));
    assertEquals(new SwitchGuard(Duration.ZERO, true), SwitchGuard.fromHeaders(Map.of("q.force", "")));
    assertEquals(Duration.ofMinutes(2), SwitchGuard.parseWait("2m"));
    assertEquals(Duration.ofSeconds(7), SwitchGuard.parseWait("7"));
  }

  @Test
  void refusesValuesNamingTheParameter() {
    for (String bad : new String[] {"soon", "-1s", "3h", "31m", ""}) {
      ApiException e = assertThrows(ApiException.class, () -> SwitchGuard.fromHeaders(Map.of("q.wait", bad)));
      assertEquals(400, e.status());
      assertTrue(e.reason().startsWith("wait: "), e.reason());
    }
    ApiException e = assertThrows(ApiException.class, () -> SwitchGuard.fromHeaders(Map.of("q.force", "yes")));
    assertEquals(400, e.status());
    assertTrue(e.reason().startsWith("force: expected true or false"), e.reason());
  }
}
