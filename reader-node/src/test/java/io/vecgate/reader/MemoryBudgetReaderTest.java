package io.vecgate.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.vector.Metric;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.bus.ReaderState;
import io.vecgate.reader.testkit.Await;
import io.vecgate.reader.testkit.StateWatcher;
import io.vecgate.reader.testkit.TestSpace;
import io.vecgate.reader.version.MemoryBudget;
import io.vecgate.reader.version.VersionKey;
import io.vecgate.store.DataLayout;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader with a memory budget: a version whose new files do not fit beside what it serves is
 * refused before anything is mapped, the refusal is in its published state and in the admin
 * answer, it keeps serving what it had, and a version that fits (sharing files) still loads.
 */
class MemoryBudgetReaderTest {

  private static final int DIM = 16;

  @TempDir
  Path tmp;

  Vertx vertx;
  TestSpace items;
  ReaderVerticle reader;
  StateWatcher states;
  long v1Bytes;

  @BeforeEach
  void start() throws Exception {
    items = new TestSpace(new DataLayout(tmp), "shop", "items", DIM, Metric.L2, IndexType.FLAT, Map.of());
    items.segment("p0-1.seg", TestSpace.docs(0, 200, DIM, 1));
    Path v1 = items.publish(1, Map.of(0, List.of("p0-1.seg")), Map.of());
    v1Bytes = Files.size(v1.resolve("p0-1.seg"));
    vertx = Vertx.vertx();
    states = new StateWatcher(vertx, ReaderVerticle.READERS_ADDRESS);
    // Room for v1 and a quarter more: a second segment as big as the first does not fit.
    MemoryBudget budget = MemoryBudget.ofBytes(v1Bytes + v1Bytes / 4);
    reader = new ReaderVerticle(ReaderConfig.defaults(tmp, "reader-1").withWarmupQueries(0)
        .withReleaseGrace(Duration.ofMillis(100)).withSearchThreads(1).withMemoryBudget(budget));
    Await.result(vertx.deployVerticle(reader));
    Await.result(reader.ready());
  }

  @AfterEach
  void stop() throws Exception {
    states.close();
    Await.result(vertx.close());
  }

  @Test
  void anAnnouncedVersionThatDoesNotFitIsRefusedAndTheOldOneServesOn() throws Exception {
    assertEquals(List.of(new VersionKey("shop", "items", 1)), reader.loadedVersions());
    items.segment("p0-2.seg", TestSpace.docs(0, 200, DIM, 2));
    Path v2 = items.publish(2, Map.of(0, List.of("p0-2.seg")), Map.of());
    vertx.eventBus().publish(ReaderVerticle.VERSIONS_ADDRESS, new JsonObject().put("db", "shop").put("space", "items")
        .put("version", 2).put("dir", tmp.relativize(v2).toString()));

    ReaderState state = ReaderState.fromJson(states.awaitNext(s -> s.containsKey("refused")));
    String reason = state.refusal("shop", "items", 2);
    assertTrue(reason.startsWith("reader reader-1: shop/items@2 needs "), reason);
    assertTrue(reason.contains("--memory-budget"), reason);
    assertTrue(state.servesAtLeast("shop", "items", 1) && !state.servesAtLeast("shop", "items", 2), state.toString());
    assertEquals(List.of(new VersionKey("shop", "items", 1)), reader.loadedVersions());
    assertEquals(v1Bytes, reader.segments().mappedBytes(), "nothing of v2 stays mapped");

    ApiException admin = assertInstanceOf(ApiException.class,
        Await.failure(reader.control().load(new VersionKey("shop", "items", 2))));
    assertEquals(507, admin.status());
    assertEquals("memory_budget_exceeded", admin.type());
    assertTrue(admin.getMessage().contains("shop/items@2 needs"), admin.getMessage());
  }

  @Test
  void aVersionSharingItsFilesFitsAndClearsNothingElse() throws Exception {
    // v2 lists the same segment with one deletion: no new bytes, so it loads within the budget.
    Path v2 = items.publish(2, Map.of(0, List.of("p0-1.seg")), Map.of("p0-1.seg", List.of("doc-0")));
    vertx.eventBus().publish(ReaderVerticle.VERSIONS_ADDRESS, new JsonObject().put("db", "shop").put("space", "items")
        .put("version", 2).put("dir", tmp.relativize(v2).toString()));
    JsonObject s = states.awaitNext(x -> ReaderState.fromJson(x).servesAtLeast("shop", "items", 2));
    assertTrue(!s.containsKey("refused"), s.encode());
    assertEquals(v1Bytes, reader.segments().mappedBytes());
  }
}
