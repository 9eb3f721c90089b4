package io.vecgate.writer.rebuild;

import static io.vecgate.coordination.alias.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.alias.testkit.Await;
import io.vecgate.coordination.alias.testkit.RedisCli;
import io.vecgate.coordination.liveness.ReaderLiveness;
import io.vecgate.coordination.liveness.RedisReaderHeartbeat;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EventBusReaderFleet} with readers played by event-bus messages (and, for liveness, their
 * heartbeat keys in the shared Redis under a random prefix).
 */
class EventBusReaderFleetTest {

  final Vertx vertx = Vertx.vertx();
  final List<String> warmed = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  void reader(String node, long version) {
    JsonArray versions = new JsonArray();
    if (version > 0) {
      versions.add(new JsonObject().put("db", "shop").put("space", "items_v2").put("version", version));
    }
    vertx.eventBus().publish(Addresses.READERS, new JsonObject().put("node_id", node).put("versions", versions));
  }

  void answerWarm(String node) {
    vertx.eventBus().<JsonObject>consumer(Addresses.readerAdmin(node), m -> {
      warmed.add(node + ":" + m.headers().get("cmd") + ":" + m.body().getInteger("queries"));
      m.reply(new JsonObject().put("queries", m.body().getInteger("queries")));
    });
  }

  @Test
  void waitsForEveryLiveReaderToLoadThenWarmsEach() throws Exception {
    EventBusReaderFleet fleet = new EventBusReaderFleet(vertx, Duration.ofSeconds(3));
    fleet.start().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    answerWarm("r1");
    answerWarm("r2");
    reader("r1", 1);
    reader("r2", 0);
    // State messages arrive asynchronously: wait until the fleet knows both readers.
    Await.until("both readers known", Duration.ofSeconds(10), () -> fleet.live().size() == 2);
    var waiting = fleet.awaitServing("shop", "items_v2", 1, 25, Duration.ofSeconds(10)).toCompletionStage()
        .toCompletableFuture();
    Thread.sleep(300);
    assertTrue(!waiting.isDone(), "r2 has not loaded it yet");
    reader("r2", 1);
    assertEquals(2, waiting.get(5, TimeUnit.SECONDS));
    assertEquals(List.of("r1:warm:25", "r2:warm:25"), warmed.stream().sorted().toList());
  }

  @Test
  void aReaderWhoseRedisHeartbeatExpiredIsNotWaitedFor() throws Exception {
    String prefix = "vgtest-fleet-" + UUID.randomUUID().toString().substring(0, 8);
    ReaderLiveness liveness = await(ReaderLiveness.open(vertx, AliasStoreConfig.redis("redis://127.0.0.1:6379", prefix),
        Duration.ofMillis(100), Duration.ofMillis(200)));
    try {
      EventBusReaderFleet fleet = new EventBusReaderFleet(vertx, Duration.ofSeconds(3), liveness);
      await(fleet.start());
      String k1 = RedisReaderHeartbeat.key(prefix, "r1");
      String k2 = RedisReaderHeartbeat.key(prefix, "r2");
      RedisCli.call(6379, "SET", k1, "{}", "PX", "60000");
      RedisCli.call(6379, "SET", k2, "{}", "PX", "700");
      answerWarm("r1");
      Runnable states = () -> {
        vertx.eventBus().publish(Addresses.READERS, new JsonObject().put("node_id", "r1").put("heartbeat_key", k1)
            .put("versions", new JsonArray().add(new JsonObject().put("db", "shop").put("space", "items_v2").put("version", 1))));
        vertx.eventBus().publish(Addresses.READERS, new JsonObject().put("node_id", "r2").put("heartbeat_key", k2)
            .put("versions", new JsonArray()));
      };
      states.run();
      Await.until("both readers live", Duration.ofSeconds(10), () -> fleet.live().size() == 2);
      // r2's state messages keep coming, but its heartbeat key expires: a rebuild no longer waits for it.
      Await.until("r2 to drop out", Duration.ofSeconds(10), () -> {
        states.run();
        return fleet.live().equals(List.of("r1"));
      });
      assertEquals(1, await(fleet.awaitServing("shop", "items_v2", 1, 5, Duration.ofSeconds(5))));
      assertEquals(List.of("r1:warm:5"), warmed);
      await(fleet.stop());
    } finally {
      await(liveness.close());
      RedisCli.deleteKeys(6379, prefix + ":*");
    }
  }

  @Test
  void failsNamingTheReadersThatDidNotLoadInTime() throws Exception {
    EventBusReaderFleet fleet = new EventBusReaderFleet(vertx, Duration.ofSeconds(3));
    fleet.start().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    ExecutionException none = assertThrows(ExecutionException.class, () -> fleet.awaitServing("shop", "items_v2", 1, 5,
        Duration.ofMillis(300)).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertTrue(((ApiException) none.getCause()).reason().startsWith("no live reader"), none.getMessage());
    reader("r1", 1);
    reader("r9", 0);
    answerWarm("r1");
    Await.until("both readers known", Duration.ofSeconds(10), () -> fleet.live().size() == 2);
    ExecutionException late = assertThrows(ExecutionException.class, () -> fleet.awaitServing("shop", "items_v2", 1, 5,
        Duration.ofMillis(300)).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertEquals("readers [r9] did not load shop/items_v2@1 in time", ((ApiException) late.getCause()).reason());
  }

  @Test
  void aReaderThatRefusedTheVersionForItsMemoryBudgetFailsTheWaitAtOnce() throws Exception {
    EventBusReaderFleet fleet = new EventBusReaderFleet(vertx, Duration.ofSeconds(3));
    fleet.start().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    reader("r1", 1);
    String why = "reader r2: shop/items_v2@2 needs 800.0 MiB of new segment files; 100.0 MiB are mapped";
    vertx.eventBus().publish(Addresses.READERS, new JsonObject().put("node_id", "r2")
        .put("versions", new JsonArray().add(new JsonObject().put("db", "shop").put("space", "items_v2").put("version", 1)))
        .put("refused", new JsonArray().add(new JsonObject().put("db", "shop").put("space", "items_v2").put("version", 2)
            .put("reason", why))));
    Await.until("both readers known", Duration.ofSeconds(10), () -> fleet.live().size() == 2);
    long t0 = System.nanoTime();
    ExecutionException refused = assertThrows(ExecutionException.class, () -> fleet.awaitServing("shop", "items_v2", 2,
        5, Duration.ofSeconds(30)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    ApiException e = (ApiException) refused.getCause();
    assertEquals(507, e.status());
    assertEquals("memory_budget_exceeded", e.type());
    assertEquals(why, e.reason());
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "not after the 30 s timeout");
    // A manual switch's check names it with why.
    assertEquals(List.of("r1", "r2 (refused it: " + why + ")"), fleet.notServing("shop", "items_v2", 2, 2));
  }

  @Test
  void notServingNamesTheLiveReadersOfTheSpacesPartitionsThatLackTheVersion() throws Exception {
    EventBusReaderFleet fleet = new EventBusReaderFleet(vertx, Duration.ofSeconds(30));
    fleet.start().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    reader("r1", 3);
    reader("r2", 2);
    vertx.eventBus().publish(Addresses.READERS, new JsonObject().put("node_id", "r3").put("versions", new JsonArray())
        .put("partitions", new JsonArray().add(1)));
    vertx.eventBus().publish(Addresses.READERS, new JsonObject().put("node_id", "r4").put("versions", new JsonArray())
        .put("partitions", new JsonArray().add(4)));
    Await.until("four readers known", Duration.ofSeconds(10), () -> fleet.live().size() == 4);
    // r4 serves partition 4 only, which a 2-partition space does not have: it is not asked.
    assertEquals(List.of("r2", "r3"), fleet.notServing("shop", "items_v2", 3, 2));
    assertEquals(List.of("r3"), fleet.notServing("shop", "items_v2", 2, 2));
    assertEquals(List.of("r3", "r4"), fleet.notServing("shop", "items_v2", 1, 5));
  }
}
