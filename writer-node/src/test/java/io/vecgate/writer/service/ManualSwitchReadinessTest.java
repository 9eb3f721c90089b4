package io.vecgate.writer.service;

import static io.vecgate.writer.service.Replies.json;
import static io.vecgate.writer.service.Replies.ok;
import static io.vecgate.writer.service.Replies.payload;
import static io.vecgate.writer.service.Replies.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.alias.AliasStores;
import io.vecgate.coordination.alias.AliasTarget;
import io.vecgate.coordination.alias.testkit.Await;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.bus.Addresses;
import io.vecgate.protocol.writer.SwitchGuard;
import io.vecgate.store.DataLayout;
import io.vecgate.writer.TestSpaces;
import io.vecgate.writer.rebuild.EventBusReaderFleet;
import io.vecgate.writer.store.StoreConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manual alias switch or rollback waits for the readers: refused with 409 naming the live
 * readers of the target's partitions that do not serve its newest version, waited for with
 * {@code wait}, made anyway with {@code force} (and a WARNING). The readers are played by state
 * messages on the event bus, read by the writer's own {@link EventBusReaderFleet}.
 */
class ManualSwitchReadinessTest {

  @TempDir Path dir;
  Vertx vertx;
  AliasStore aliases;
  DefaultWriterService service;
  EventBusReaderFleet fleet;
  final List<String> warnings = new CopyOnWriteArrayList<>();
  final Logger log = Logger.getLogger("io.vecgate.writer.service.ReadyReaders");
  final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
        warnings.add(r.getMessage());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    aliases = AliasStores.open(vertx, AliasStoreConfig.defaults()).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    service = DefaultWriterService.open(new DataLayout(dir), new ServiceSettings(StoreConfig.DEFAULTS, 100_000, 1 << 20),
        WriterNotices.NONE, aliases);
    fleet = new EventBusReaderFleet(vertx, Duration.ofMinutes(1));
    fleet.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    service.attachReaders(fleet);
    log.addHandler(capture);
    ok(service.createDb("db"));
    Random random = new Random(3);
    for (String s : List.of("s", "t")) {
      ok(service.createSpace("db", json(TestSpaces.body(s, 4))));
      ok(service.index("db", s, "1", payload(TestSpaces.docJson(TestSpaces.vector(random, 4), 1f)), true));
    }
    ok(service.createAlias("live", "db", "s"));
  }

  @AfterEach
  void close() throws Exception {
    log.removeHandler(capture);
    service.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** A reader's state message: the spaces it serves at version 1, and its partitions (null: all). */
  void reader(String node, List<Integer> partitions, String... spaces) {
    JsonArray versions = new JsonArray();
    for (String s : spaces) {
      versions.add(new JsonObject().put("db", "db").put("space", s).put("version", 1));
    }
    JsonObject state = new JsonObject().put("node_id", node).put("versions", versions).put("ready", true);
    if (partitions != null) {
      state.put("partitions", new JsonArray(partitions));
    }
    vertx.eventBus().publish(Addresses.READERS, state);
  }

  void awaitReaders(int n) throws Exception {
    Await.until(n + " readers known", Duration.ofSeconds(10), () -> fleet.live().size() == n);
  }

  AliasTarget serving() throws Exception {
    return aliases.get("live").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow().serving();
  }

  @Test
  void aSwitchIsRefusedNamingTheReadersThatDoNotServeTheTarget() throws Exception {
    reader("r1", null, "s", "t");
    reader("r2", List.of(1), "s");
    reader("r3", List.of(5), "s"); // serves none of t's two partitions: not asked
    awaitReaders(3);
    ApiException e = refused(service.switchAlias("live", "db", "t"));
    assertEquals(409, e.status());
    assertEquals("readers_not_ready_exception", e.type());
    assertTrue(e.reason().contains("readers [r2] have not loaded and warmed db/t version 1"), e.reason());
    assertTrue(e.reason().contains("?wait=30s") && e.reason().contains("--force"), e.reason());
    assertEquals(new AliasTarget("db", "s"), serving(), "nothing changed");

    // A space that does not exist is still a 404, at once.
    assertEquals(404, refused(service.switchAlias("live", "db", "nope")).status());

    reader("r2", List.of(1), "s", "t");
    Await.until("r2 serves t", Duration.ofSeconds(10), () -> fleet.notServing("db", "t", 1, 2).isEmpty());
    assertEquals("t", ok(service.switchAlias("live", "db", "t")).at("/data/space").asText());
    assertTrue(warnings.isEmpty(), warnings::toString);
  }

  @Test
  void waitWaitsForTheReadersAndGivesUpWithA409() throws Exception {
    reader("r1", null, "s");
    awaitReaders(1);
    ApiException late = refused(service.switchAlias("live", "db", "t", new SwitchGuard(Duration.ofMillis(400), false)));
    assertEquals(409, late.status());
    assertTrue(late.reason().contains("within 400 ms"), late.reason());

    CompletableFuture<WriterReply> waiting = service.switchAlias("live", "db", "t",
        new SwitchGuard(Duration.ofSeconds(20), false));
    Thread.sleep(500);
    assertFalse(waiting.isDone(), "still waiting for r1");
    assertEquals(new AliasTarget("db", "s"), serving());
    reader("r1", null, "s", "t");
    assertEquals("t", ok(waiting).at("/data/space").asText());
    assertEquals(new AliasTarget("db", "t"), serving());
  }

  @Test
  void aRollbackIsCheckedLikeASwitchAndForceMakesItAnywayWithAWarning() throws Exception {
    reader("r1", null, "s", "t");
    awaitReaders(1);
    ok(service.switchAlias("live", "db", "t"));
    reader("r1", null, "t"); // r1 released s
    Await.until("r1 released s", Duration.ofSeconds(10), () -> !fleet.notServing("db", "s", 1, 2).isEmpty());
    ApiException e = refused(service.rollbackAlias("live"));
    assertEquals(409, e.status());
    assertTrue(e.reason().startsWith("rollback of alias live to db/s refused: readers [r1]"), e.reason());
    assertEquals(new AliasTarget("db", "t"), serving());

    assertEquals("s", ok(service.rollbackAlias("live", new SwitchGuard(Duration.ZERO, true))).at("/data/space").asText());
    assertEquals(1, warnings.size(), warnings::toString);
    assertTrue(warnings.getFirst().contains("rollback of alias live to db/s forced (force=true) although readers [r1]"),
        warnings::toString);
    // Forcing a switch the readers are ready for says nothing.
    reader("r1", null, "s", "t");
    Await.until("r1 serves both", Duration.ofSeconds(10), () -> fleet.notServing("db", "t", 1, 2).isEmpty()
        && fleet.notServing("db", "s", 1, 2).isEmpty());
    ok(service.switchAlias("live", "db", "t", new SwitchGuard(Duration.ZERO, true)));
    assertEquals(1, warnings.size(), warnings::toString);
  }

  @Test
  void withoutLiveReadersThereIsNothingToWaitFor() throws Exception {
    assertEquals("t", ok(service.switchAlias("live", "db", "t")).at("/data/space").asText());
    assertEquals("s", ok(service.rollbackAlias("live")).at("/data/space").asText());
  }
}
