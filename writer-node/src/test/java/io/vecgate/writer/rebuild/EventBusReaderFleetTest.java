package io.vecgate.writer.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.common.api.ApiException;
import io.vecgate.common.cluster.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link EventBusReaderFleet} with readers played by event-bus messages. */
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
    var waiting = fleet.awaitServing("shop", "items_v2", 1, 25, Duration.ofSeconds(10)).toCompletionStage()
        .toCompletableFuture();
    Thread.sleep(300);
    assertTrue(!waiting.isDone(), "r2 has not loaded it yet");
    reader("r2", 1);
    assertEquals(2, waiting.get(5, TimeUnit.SECONDS));
    assertEquals(List.of("r1:warm:25", "r2:warm:25"), warmed.stream().sorted().toList());
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
    ExecutionException late = assertThrows(ExecutionException.class, () -> fleet.awaitServing("shop", "items_v2", 1, 5,
        Duration.ofMillis(300)).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertEquals("readers [r9] did not load shop/items_v2@1 in time", ((ApiException) late.getCause()).reason());
  }
}
