package io.vecgate.gateway.readers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReaderQueueTest {

  @Test
  void admitsUpToTheLimitAndEveryAdmissionEndsOnce() {
    RecordingMetrics m = new RecordingMetrics();
    ReaderQueue q = new ReaderQueue("r1", 2, m);
    Admission a = q.tryAcquire();
    Admission b = q.tryAcquire();
    assertNotNull(a);
    assertNotNull(b);
    assertTrue(q.full());
    assertNull(q.tryAcquire(), "the third request while two are in flight");
    assertEquals(1, q.rejected());
    assertEquals(1, m.count("rejected:r1"));

    a.success();
    a.dropped(); // a second report of the same admission changes nothing
    assertEquals(1, q.outstanding());
    Admission c = q.tryAcquire();
    assertNotNull(c);
    c.ignored();
    b.dropped();
    assertEquals(0, q.outstanding());
    assertEquals(3, q.admitted());
    assertEquals(1, q.succeeded());
    assertEquals(1, q.dropped());
    assertEquals(1, q.ignored());
    assertEquals(1, m.count("completed:r1:SUCCESS"));
    assertEquals(1, m.count("completed:r1:DROPPED"));
    assertEquals(1, m.count("completed:r1:IGNORED"));
    assertTrue(a.isDone());
  }

  @Test
  void accountsForEveryAdmissionUnderContention() throws Exception {
    int limit = 8;
    ReaderQueue q = new ReaderQueue("r1", limit, ReaderMetrics.NOOP);
    List<Thread> threads = new ArrayList<>();
    int[] maxSeen = new int[1];
    for (int t = 0; t < 4; t++) {
      threads.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 20_000; i++) {
          Admission a = q.tryAcquire();
          if (a == null) {
            continue;
          }
          int n = q.outstanding();
          synchronized (maxSeen) {
            maxSeen[0] = Math.max(maxSeen[0], n);
          }
          switch (ThreadLocalRandom.current().nextInt(3)) {
            case 0 -> a.success();
            case 1 -> a.dropped();
            default -> a.ignored();
          }
          a.success(); // late second reports are ignored
        }
      }));
    }
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(t.isAlive());
    }
    assertEquals(0, q.outstanding());
    assertEquals(q.admitted(), q.succeeded() + q.dropped() + q.ignored());
    assertEquals(80_000, q.admitted() + q.rejected());
    assertTrue(maxSeen[0] <= limit, "outstanding went to " + maxSeen[0]);
  }
}
