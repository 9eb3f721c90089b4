package io.vecgate.gateway.readers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.gateway.readers.ReaderHealth.Transition;
import org.junit.jupiter.api.Test;

class ReaderHealthTest {

  @Test
  void evictedAtTheSecondMissInARowAndTakenBackByTheNextAnswer() {
    ReaderHealth h = new ReaderHealth(2);
    assertEquals(Transition.NONE, h.answered(100));
    assertEquals(Transition.NONE, h.missed(200, "refused"));
    assertFalse(h.evicted());
    assertEquals(Transition.EVICTED, h.missed(300, "refused"));
    assertTrue(h.evicted());
    assertEquals(200, h.lastEvictionSilenceNanos(), "silent since the last answer at 100");
    // Further misses change nothing and are not new evictions.
    assertEquals(Transition.NONE, h.missed(400, "refused"));
    assertEquals(1, h.evictions());
    assertEquals(3, h.missed());
    assertEquals(Transition.RETURNED, h.answered(500));
    assertFalse(h.evicted());
    assertEquals(0, h.missed());
    assertEquals(Transition.NONE, h.answered(600));
    assertEquals(1, h.returns());
  }

  @Test
  void anAnswerBetweenMissesResetsTheCount() {
    ReaderHealth h = new ReaderHealth(2);
    h.missed(1, "x");
    h.answered(2);
    assertEquals(Transition.NONE, h.missed(3, "x"));
    assertFalse(h.evicted());
  }

  @Test
  void aReaderThatNeverAnsweredIsStillBeingConnectedToNotEvicted() {
    ReaderHealth h = new ReaderHealth(1);
    assertEquals(Transition.NONE, h.missed(5, "timeout"));
    assertEquals(Transition.NONE, h.missed(6, "timeout"));
    assertFalse(h.evicted());
    assertFalse(h.answeredEver());
    assertEquals(2, h.missed());
    assertEquals(-1, h.lastEvictionSilenceNanos());
    assertEquals("timeout", h.lastError());
    assertEquals(Transition.NONE, h.answered(7), "a first answer is not a return");
    assertEquals(Transition.EVICTED, h.missed(8, "timeout"));
    assertEquals(1, h.lastEvictionSilenceNanos());
  }

  @Test
  void refusesANonPositiveThreshold() {
    assertThrows(IllegalArgumentException.class, () -> new ReaderHealth(0));
  }
}
