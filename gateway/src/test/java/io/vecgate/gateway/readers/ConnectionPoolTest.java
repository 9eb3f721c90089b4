package io.vecgate.gateway.readers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.protocol.reader.SearchRequest;
import io.vecgate.protocol.reader.SearchResponse;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pool's heartbeats, eviction, reconnects and call routing on a hand-moved clock, without sockets. */
class ConnectionPoolTest {

  /** 2 connections, heartbeat every 1000 ms with a 500 ms timeout, evicted after 2 misses, backoff 100..800 ms. */
  static final RoutingConfig CONFIG = new RoutingConfig(2, Duration.ofMillis(1000), Duration.ofMillis(500), 2,
      Duration.ofMillis(100), Duration.ofMillis(800), 16, Duration.ofSeconds(5), Duration.ofSeconds(1));

  ManualTimers timers;
  FakeReader reader;
  ReaderHealth health;
  RecordingMetrics metrics;
  ConnectionPool pool;

  @BeforeEach
  void setUp() {
    timers = new ManualTimers();
    reader = new FakeReader("r1", timers);
    health = new ReaderHealth(CONFIG.missedHeartbeatsToEvict());
    metrics = new RecordingMetrics();
    pool = new ConnectionPool("r1", "127.0.0.1:1", reader::open, CONFIG, health, metrics, timers);
    pool.start();
  }

  private Future<SearchResponse> search() {
    return pool.search(SearchRequest.newBuilder().setVersion(3).build(), 1000);
  }

  @Test
  void aHealthyReaderIsPingedOnEveryConnectionEachIntervalAndStays() {
    assertEquals(2, reader.pings, "each connection is opened with a ping");
    assertEquals(2, pool.openConnections());
    timers.advance(3000);
    assertEquals(8, reader.pings);
    assertEquals(3, metrics.count("heartbeat:r1:true"));
    assertEquals(0, metrics.count("reconnected:r1"), "opening is not reopening");
    assertEquals(0, health.missed());
    assertFalse(health.evicted());
    assertTrue(pool.usable());
    assertEquals(2, reader.channels.size(), "no reconnect while healthy");
    assertTrue(search().succeeded());
  }

  @Test
  void callsGoToTheConnectionWithFewestInFlight() {
    reader.holdSearches = true;
    for (int i = 0; i < 4; i++) {
      search();
    }
    assertEquals(2, reader.channels.get(0).held.size());
    assertEquals(2, reader.channels.get(1).held.size());
    reader.channels.get(0).release();
    search();
    search();
    assertEquals(2, reader.channels.get(0).held.size(), "the freed connection takes the next two");
    assertEquals(2, reader.channels.get(1).held.size());
  }

  @Test
  void aKilledReaderIsEvictedAtTheSecondMissedHeartbeatAndNothingMoreIsSentDownItsConnections() {
    long killedAt = timers.nanoTime();
    reader.mode = FakeReader.Mode.DOWN;
    Future<SearchResponse> failed = search();
    assertTrue(failed.failed());
    assertEquals(ReaderCallException.Kind.CONNECTION, ((ReaderCallException) failed.cause()).kind());
    assertEquals(1, pool.openConnections(), "the connection that failed is given up at once");
    assertTrue(reader.channels.get(0).closed);
    assertTrue(search().failed(), "the other connection is tried next, and fails too");
    assertEquals(0, pool.openConnections());
    assertFalse(pool.usable());
    int sent = reader.searches;
    Future<SearchResponse> none = search();
    assertTrue(none.failed());
    assertTrue(none.cause().getMessage().contains("no open connection"), none.cause().getMessage());
    assertEquals(sent, reader.searches, "nothing sent down a lost connection");

    timers.advance(999);
    assertFalse(health.evicted());
    timers.advance(1);
    assertEquals(1, health.missed(), "first round: no connection open");
    assertFalse(health.evicted());
    timers.advance(1000);
    assertTrue(health.evicted(), "second round missed");
    assertEquals(1, metrics.count("evicted:r1"));
    long evictedAfter = TimeUnit.NANOSECONDS.toMillis(health.evictedAtNanos() - killedAt);
    assertTrue(evictedAfter <= 2 * CONFIG.heartbeatInterval().toMillis(), "evicted " + evictedAfter + " ms after the kill");

    // Reconnects back off: 100, 200, 400, 800, 800, ... ms per connection, never faster.
    int opened = reader.channels.size();
    timers.advance(8000);
    int attempts = reader.channels.size() - opened;
    assertTrue(attempts <= 2 * (8000 / 800 + 1), attempts + " reconnect attempts in 8 s");
    assertTrue(attempts >= 2 * (8000 / 800 - 1), attempts + " reconnect attempts in 8 s");
    assertEquals(0, reader.openChannels(), "every failed attempt is closed");
    assertEquals(1, metrics.count("evicted:r1"), "evicted once, however many rounds it misses");
    assertEquals(2, metrics.count("lost:r1"));
  }

  @Test
  void aRestartedReaderIsReconnectedAndTakenBack() {
    reader.mode = FakeReader.Mode.DOWN;
    search();
    search();
    timers.advance(5000);
    assertTrue(health.evicted());
    reader.mode = FakeReader.Mode.UP;
    timers.advance(800);
    assertFalse(health.evicted(), "the first reconnect that answers takes it back");
    assertEquals(1, metrics.count("returned:r1"));
    assertTrue(pool.usable());
    timers.advance(800);
    assertEquals(2, pool.openConnections());
    assertEquals(2, metrics.count("reconnected:r1"));
    assertEquals(2, reader.openChannels(), "two connections, the failed attempts closed");
    assertTrue(search().succeeded());
  }

  @Test
  void aHungReaderIsEvictedByPingTimeoutsAndItsInFlightCallsFailSoTheyCanGoElsewhere() {
    reader.holdSearches = true;
    Future<SearchResponse> inFlight = search();
    reader.mode = FakeReader.Mode.HUNG;
    timers.advance(1000); // the round is sent; its pings time out 500 ms later
    assertFalse(inFlight.isComplete());
    timers.advance(500);
    assertTrue(inFlight.failed(), "closing the connection fails the call still on it");
    assertInstanceOf(ReaderCallException.class, inFlight.cause());
    assertEquals(ReaderCallException.Kind.CONNECTION, ((ReaderCallException) inFlight.cause()).kind());
    assertEquals(1, health.missed());
    timers.advance(500);
    assertTrue(health.evicted());
    assertEquals(2000, TimeUnit.NANOSECONDS.toMillis(health.lastEvictionSilenceNanos()),
        "two heartbeat intervals after the last answer (the round at start)");
  }

  @Test
  void aReaderThatCannotBeReachedFromTheStartTakesNoCallsAndIsNotEvicted() {
    FakeReader cold = new FakeReader("r2", timers);
    cold.mode = FakeReader.Mode.HUNG; // e.g. a JVM still warming up: the first pings time out
    ReaderHealth h = new ReaderHealth(2);
    ConnectionPool p = new ConnectionPool("r2", "127.0.0.1:2", cold::open, CONFIG, h, metrics, timers);
    p.start();
    assertFalse(p.usable());
    timers.advance(5000);
    assertFalse(p.usable());
    assertFalse(h.evicted(), "never taken in, so not evicted");
    assertTrue(h.missed() >= 4);
    assertEquals(0, cold.searches);
    assertTrue(p.search(SearchRequest.getDefaultInstance(), 100).failed());
    assertEquals(0, cold.searches, "nothing is sent before a ping answered");
    assertEquals("connecting", p.describe().getJsonObject(0).getString("state"));
    cold.mode = FakeReader.Mode.UP;
    timers.advance(500 + 800); // the attempt under way times out, the next one (at most 800 ms later) answers
    assertTrue(p.usable());
    assertEquals(0, metrics.count("returned:r2"), "a first answer is not a return");
    assertEquals(0, metrics.count("evicted:r2"));
    p.close();
  }

  @Test
  void closingStopsHeartbeatsAndReconnectsAndClosesEveryConnection() {
    reader.mode = FakeReader.Mode.DOWN;
    search();
    pool.close();
    assertEquals(0, timers.pending());
    assertEquals(0, reader.openChannels());
    int pings = reader.pings;
    int channels = reader.channels.size();
    timers.advance(10_000);
    assertEquals(pings, reader.pings);
    assertEquals(channels, reader.channels.size());
    assertFalse(pool.usable());
    assertTrue(search().failed());
  }

  @Test
  void describesEachConnection() {
    reader.mode = FakeReader.Mode.DOWN;
    search();
    List<String> states = new ArrayList<>();
    pool.describe().forEach(o -> states.add(((io.vertx.core.json.JsonObject) o).getString("state")));
    assertEquals(List.of("reconnecting", "open"), states);
  }
}
