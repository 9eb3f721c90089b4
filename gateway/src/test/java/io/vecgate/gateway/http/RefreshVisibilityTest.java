package io.vecgate.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.gateway.readers.DirectoryKit;
import io.vecgate.gateway.readers.RoutingConfig;
import io.vecgate.protocol.api.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A refreshed write waits for its version on the readers' state messages, not by polling. */
class RefreshVisibilityTest {

  final Vertx vertx = Vertx.vertx();
  final DirectoryKit kit = new DirectoryKit(RoutingConfig.defaults());
  /** The space the catalog knows: "items" of 2 partitions (null: not in this gateway's catalog yet). */
  final AtomicReference<RefreshVisibility.Located> known = new AtomicReference<>(
      new RefreshVisibility.Located("items", 2));

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  RefreshVisibility visibility(long timeoutMillis) {
    return new RefreshVisibility(vertx, kit.directory, (db, space) -> known.get(), timeoutMillis);
  }

  static void await(Future<Void> f) throws Exception {
    f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aServedVersionAnswersAtOnce() throws Exception {
    kit.announce("r1", 1, List.of("shop/items@3"), null);
    Future<Void> older = visibility(60_000).await("shop", "items", 2);
    assertTrue(older.succeeded(), "an older version than the one served is visible too");
  }

  @Test
  void aWaitEndsWithTheStateMessageThatCoversTheVersion() throws Exception {
    kit.announce("r1", 1, List.of("shop/items@1"), null);
    RefreshVisibility v = visibility(60_000);
    Future<Void> f = v.await("shop", "items", 2);
    kit.announce("r1", 1, List.of("shop/items@1", "shop/items@2"), List.of(0));
    Thread.sleep(50);
    assertFalse(f.isComplete(), "partition 1 of version 2 is not served yet");
    kit.announce("r2", 2, List.of("shop/items@2"), List.of(1));
    await(f);
  }

  @Test
  void aSpaceTheCatalogLearnsLaterIsWaitedForOnTheCatalogChange() throws Exception {
    known.set(null);
    RefreshVisibility v = visibility(60_000);
    kit.announce("r1", 1, List.of("shop/items@1"), null);
    Future<Void> f = v.await("shop", "items", 1);
    Thread.sleep(50);
    assertFalse(f.isComplete(), "the space is not in the catalog yet");
    known.set(new RefreshVisibility.Located("items", 2));
    v.recheck(); // what CatalogCache's change listener calls
    await(f);
  }

  @Test
  void noReaderServingItInTimeIs504() throws Exception {
    kit.announce("r1", 1, List.of("shop/items@1"), null);
    Future<Void> f = visibility(100).await("shop", "items", 2);
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(f));
    ApiException api = (ApiException) e.getCause();
    assertEquals(504, api.status());
    assertEquals("timeout_exception", api.type());
    assertTrue(api.reason().startsWith(
        "version 2 of shop/items is published but no live reader served it within 100 ms"), api.reason());
  }
}
