package io.vecgate.gateway.readers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.gateway.readers.ReaderDirectory.Assignment;
import io.vecgate.gateway.readers.ReaderDirectory.Plan;
import io.vecgate.protocol.reader.SearchRequest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Planning over the routable readers, admission into their queues, and what the directory shows. */
class ReaderDirectoryTest {

  static RoutingConfig limit(int maxOutstanding) {
    return RoutingConfig.defaults().withMaxOutstandingPerReader(maxOutstanding);
  }

  static List<String> readersOf(Plan p) {
    return p.assignments().stream().map(Assignment::nodeId).toList();
  }

  @Test
  void plansTheNewestVersionTheReadersCoverAndTheLeastBusyReader() {
    DirectoryKit k = new DirectoryKit(limit(8));
    k.announce("r1", 1, List.of("shop/items@1", "shop/items@2"), null);
    k.announce("r2", 2, List.of("shop/items@1"), null);
    k.announce("r3", 3, List.of("shop/items@2"), List.of(0));
    Plan p = k.directory.plan("shop", "items", 2, Set.of(), "leader");
    assertEquals(2, p.version());
    assertEquals(List.of("r1"), readersOf(p), "by id; one reader for both partitions rather than two");
    // r1 now has one request outstanding: the next plan of version 2 prefers r3 for partition 0.
    Plan q = k.directory.plan("shop", "items", 2, Set.of(), null);
    assertEquals(List.of("r3", "r1"), readersOf(q));
    assertEquals(List.of(0), q.assignments().get(0).partitions());
    p.abandon();
    q.abandon();
    assertEquals(0, k.queue("r1").getInteger("outstanding"));
    assertEquals(3, k.queue("r1").getLong("ignored") + k.queue("r3").getLong("ignored"));
    assertEquals(2, k.directory.plan("shop", "items", 2, Set.of("r2"), "leader").version());
  }

  @Test
  void evictedSilentOrDisconnectedReadersAreNotPlannedAndNoneLeftIs503WithRetryAfter() {
    DirectoryKit k = new DirectoryKit(limit(8));
    k.announce("r1", 1, List.of("shop/items@4"), null);
    k.announce("r2", 2, List.of("shop/items@4"), null);
    k.evict("r1");
    for (int i = 0; i < 5; i++) {
      Plan p = k.directory.plan("shop", "items", 3, Set.of(), null);
      assertEquals(List.of("r2"), readersOf(p));
      p.abandon();
    }
    k.link("r2").usable = false; // every connection lost
    RetryLaterException e = assertThrows(RetryLaterException.class, () -> k.directory.plan("shop", "items", 3, Set.of(), null));
    assertEquals(503, e.status());
    assertEquals(1, e.retryAfterSeconds());
    assertTrue(e.reason().contains("no live reader serves space 'items' of db 'shop'"), e.reason());
    assertEquals(1, k.metrics.count("shed:503"));
    assertEquals(-1, k.directory.newestServed("shop", "items", 3));

    k.link("r2").usable = true;
    k.link("r1").health.answered(k.timers.nanoTime()); // r1 answers again
    assertEquals(4, k.directory.newestServed("shop", "items", 3));
    k.timers.advance(3001); // no state message within the expiry
    assertThrows(RetryLaterException.class, () -> k.directory.plan("shop", "items", 3, Set.of(), null));
  }

  @Test
  void fullReadersAre429AndAPlanThatFailsHalfWayGivesBackWhatItTook() {
    DirectoryKit k = new DirectoryKit(limit(1));
    k.announce("r1", 1, List.of("shop/items@7"), List.of(0));
    k.announce("r2", 2, List.of("shop/items@7"), List.of(1));
    Plan busy = k.directory.replan("shop", "items", 7, List.of(1), Set.of(), null);
    assertEquals(List.of("r2"), readersOf(busy));
    RetryLaterException e = assertThrows(RetryLaterException.class, () -> k.directory.plan("shop", "items", 2, Set.of(), null));
    assertEquals(429, e.status());
    assertEquals("too_many_requests", e.type());
    assertTrue(e.reason().contains("reader-max-outstanding = 1"), e.reason());
    assertTrue(e.reason().contains("[r2]"), e.reason());
    JsonObject r1 = k.queue("r1");
    assertEquals(0, r1.getInteger("outstanding"), "r1's place, taken for partition 0, was given back");
    assertEquals(1, r1.getLong("admitted"));
    assertEquals(1, r1.getLong("ignored"));
    assertEquals(1, k.queue("r2").getLong("rejected"));
    assertEquals(1, k.metrics.count("shed:429"));
    busy.assignments().getFirst().search(SearchRequest.newBuilder().setVersion(7).addPartitions(1).build(), 100);
    assertEquals(1, k.queue("r2").getLong("succeeded"));
    assertNotNull(k.directory.plan("shop", "items", 2, Set.of(), null));
  }

  @Test
  void aRetryPlanStaysOnTheSameVersionOrIsNone() {
    DirectoryKit k = new DirectoryKit(limit(8));
    k.announce("r1", 1, List.of("shop/items@2"), null);
    k.announce("r2", 2, List.of("shop/items@1"), null);
    assertNull(k.directory.replan("shop", "items", 2, List.of(0, 1), Set.of("r1"), null));
    k.announce("r3", 3, List.of("shop/items@2"), List.of(1));
    assertNull(k.directory.replan("shop", "items", 2, List.of(0, 1), Set.of("r1"), null), "r3 lacks partition 0");
    Plan p = k.directory.replan("shop", "items", 2, List.of(1), Set.of("r1"), null);
    assertEquals(2, p.version());
    assertEquals(List.of("r3"), readersOf(p));
  }

  @Test
  void aReaderAtANewAddressGetsANewLinkButKeepsItsHealthAndQueue() {
    DirectoryKit k = new DirectoryKit(limit(8));
    k.announce("r1", 1, List.of("shop/items@1"), null);
    FakeLink first = k.link("r1");
    assertTrue(first.started);
    k.announce("r1", 1, List.of("shop/items@2"), null);
    assertSame(first, k.link("r1"), "the same address keeps its link");
    k.directory.plan("shop", "items", 1, Set.of(), null).abandon();
    k.evict("r1");
    k.announce("r1", 9, List.of("shop/items@2"), null);
    FakeLink second = k.link("r1");
    assertTrue(first.closed);
    assertTrue(second.started);
    assertSame(first.health, second.health);
    assertTrue(second.health.evicted(), "still evicted until it answers");
    assertEquals(1, k.queue("r1").getLong("admitted"));
  }

  @Test
  void readersSilentForTenExpiriesAreForgottenAndTheirLinksClosed() {
    DirectoryKit k = new DirectoryKit(limit(8));
    k.announce("r1", 1, List.of("shop/items@1"), null);
    k.timers.advance(29_000);
    k.directory.sweep();
    assertEquals(1, k.directory.describe().size());
    assertEquals("silent", k.directory.describe().getJsonObject(0).getString("state"));
    k.timers.advance(1_000);
    k.directory.sweep();
    assertEquals(0, k.directory.describe().size());
    assertTrue(k.link("r1").closed);
  }

  @Test
  void describesStateHeartbeatsAndQueue() {
    DirectoryKit k = new DirectoryKit(RoutingConfig.defaults().withHeartbeat(Duration.ofMillis(300), Duration.ofMillis(200)));
    k.announce("r1", 1, List.of("shop/items@1"), null);
    k.link("r1").health.answered(k.timers.nanoTime());
    k.timers.advance(250);
    k.evict("r1");
    JsonObject r = k.directory.describe().getJsonObject(0);
    assertEquals("evicted", r.getString("state"));
    assertTrue(r.getBoolean("live"));
    JsonObject hb = r.getJsonObject("heartbeat");
    assertEquals(300, hb.getLong("interval_ms"));
    assertEquals(1, hb.getLong("evictions"));
    assertEquals(250, hb.getLong("last_eviction_after_silent_ms"));
    assertEquals(250, hb.getLong("last_answer_ms_ago"));
    assertEquals(128, r.getJsonObject("queue").getInteger("limit"));
    assertFalse(r.getBoolean("in_process"));
  }
}
