package io.vecgate.gateway.readers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesFromTheFirstWaitUpToTheMax() {
    Backoff b = new Backoff(100, 1000);
    assertEquals(100, b.delayMillis(1));
    assertEquals(200, b.delayMillis(2));
    assertEquals(400, b.delayMillis(3));
    assertEquals(800, b.delayMillis(4));
    assertEquals(1000, b.delayMillis(5));
    assertEquals(1000, b.delayMillis(1_000_000), "no overflow after many failures");
    assertEquals(100, b.delayMillis(0));
  }

  @Test
  void refusesAMaxBelowTheFirst() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(100, 50));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 50));
  }
}
