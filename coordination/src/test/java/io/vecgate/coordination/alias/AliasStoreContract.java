package io.vecgate.coordination.alias;

import static io.vecgate.coordination.alias.testkit.Await.await;
import static io.vecgate.coordination.alias.testkit.Await.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.coordination.alias.testkit.Await;
import io.vecgate.protocol.api.ApiException;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every alias store must do, run against the real thing (a Hazelcast cluster, a Redis):
 * two nodes' stores ({@code a} and {@code b}) over the same state, as a writer and a gateway
 * would have.
 */
public abstract class AliasStoreContract {

  protected static final int HISTORY = 3;
  protected static final AliasTarget A = new AliasTarget("shop", "items_a");
  protected static final AliasTarget B = new AliasTarget("shop", "items_b");
  protected static final AliasTarget C = new AliasTarget("shop", "items_c");
  protected static final AliasTarget D = new AliasTarget("shop", "items_d");
  protected static final AliasTarget E = new AliasTarget("shop", "items_e");

  protected AliasStore a;
  protected AliasStore b;

  /** A store of node {@code node} (0 or 1) over the test's state, with {@link #HISTORY} previous targets kept. */
  protected abstract AliasStore open(int node) throws Exception;

  /** Removes the test's state (called after both stores are closed). */
  protected abstract void cleanUp() throws Exception;

  @BeforeEach
  void openStores() throws Exception {
    a = open(0);
    b = open(1);
  }

  @AfterEach
  void closeStores() throws Exception {
    await(a.close());
    await(b.close());
    cleanUp();
  }

  protected static ApiException refusal(Future<?> f) throws Exception {
    return assertInstanceOf(ApiException.class, failure(f));
  }

  protected static void seenBy(AliasStore s, String name, AliasTarget serving) throws InterruptedException {
    Await.until(name + " -> " + serving + " in the local copy of " + s.describe(), Duration.ofSeconds(10),
        () -> java.util.Objects.equals(s.local().resolve(name), serving));
  }

  @Test
  void createGetListDeleteAndTheLocalCopies() throws Exception {
    Alias created = await(a.create("live", A));
    assertEquals(A, created.serving());
    assertTrue(created.revision() > 0);
    assertEquals(A, a.local().resolve("live"), "the store's own copy has its change when the future completes");
    assertEquals(Optional.of(created), await(b.get("live")));
    seenBy(b, "live", A);

    await(a.create("other", B));
    assertEquals(List.of("live", "other"), await(b.list()).stream().map(Alias::name).toList());

    Alias deleted = await(b.delete("live"));
    assertEquals(A, deleted.serving());
    assertTrue(deleted.revision() > created.revision());
    assertEquals(Optional.empty(), await(a.get("live")));
    assertNull(b.local().resolve("live"));
    seenBy(a, "live", null);
    assertEquals(B, a.local().resolve("other"));
  }

  @Test
  void refusalsNameTheAliasAndChangeNothing() throws Exception {
    await(a.create("live", A));
    long revision = await(a.get("live")).orElseThrow().revision();
    ApiException exists = refusal(a.create("live", B));
    assertEquals(409, exists.status());
    assertEquals("alias_exists_exception", exists.type());
    assertTrue(exists.reason().contains("'live'") && exists.reason().contains("shop/items_a"), exists.reason());
    assertEquals(404, refusal(a.switchTo("nope", null, A)).status());
    assertEquals(404, refusal(a.rollback("nope", null)).status());
    assertEquals(404, refusal(a.delete("nope")).status());
    ApiException noHistory = refusal(a.rollback("live", null));
    assertEquals(409, noHistory.status());
    assertEquals("alias_no_history_exception", noHistory.type());
    assertEquals(revision, await(a.get("live")).orElseThrow().revision());
    assertEquals(A, await(a.get("live")).orElseThrow().serving());
  }

  @Test
  void compareAndSetSwitchSucceedsOnlyFromTheExpectedTarget() throws Exception {
    await(a.create("live", A));
    ApiException conflict = refusal(b.switchTo("live", B, C));
    assertEquals(409, conflict.status());
    assertEquals("alias_conflict_exception", conflict.type());
    assertTrue(conflict.reason().contains("expected it to serve shop/items_b") && conflict.reason().contains("serves shop/items_a"),
        conflict.reason());
    Alias switched = await(b.switchTo("live", A, B));
    assertEquals(B, switched.serving());
    assertEquals(List.of(A), switched.history());
    seenBy(a, "live", B);
    // A plain switch (whatever it serves now), and a switch to what it serves is a no-op.
    assertEquals(C, await(a.switchTo("live", null, C)).serving());
    Alias same = await(a.switchTo("live", null, C));
    assertEquals(List.of(B, A), same.history());
    assertEquals(await(a.get("live")).orElseThrow().revision(), same.revision());
  }

  @Test
  void historyIsBoundedWithoutDuplicatesAndRollbackWalksBack() throws Exception {
    await(a.create("live", A));
    for (AliasTarget t : List.of(B, C, D, E)) {
      await(a.switchTo("live", null, t));
    }
    Alias now = await(b.get("live")).orElseThrow();
    assertEquals(E, now.serving());
    assertEquals(List.of(D, C, B), now.history(), "newest first, at most " + HISTORY);
    // Back to C: it leaves the history, E goes in front.
    assertEquals(List.of(E, D, B), await(a.switchTo("live", E, C)).history());
    await(a.switchTo("live", C, E));
    assertEquals(List.of(C, D, B), await(a.get("live")).orElseThrow().history());

    assertEquals(409, refusal(b.rollback("live", A)).status());
    Alias back = await(b.rollback("live", E));
    assertEquals(C, back.serving());
    assertEquals(List.of(D, B), back.history());
    seenBy(a, "live", C);
    assertEquals(D, await(a.rollback("live", null)).serving());
    assertEquals(B, await(a.rollback("live", null)).serving());
    assertEquals(409, refusal(a.rollback("live", null)).status());
    seenBy(b, "live", B);
  }

  @Test
  void buildingTargetIsKey2AndClearsWhenItServes() throws Exception {
    // A first build: the alias has only a building target and resolves nothing yet.
    Alias building = await(a.setBuilding("live", A));
    assertEquals(A, building.building());
    assertNull(building.serving());
    assertNull(a.local().resolve("live"));
    assertEquals(A, await(b.get("live")).orElseThrow().building());
    Alias created = await(b.create("live", A));
    assertEquals(A, created.serving());
    assertNull(created.building(), "creating the alias on the built target clears key2");

    // The next build: key2 = B while A serves; the switch to B clears it.
    await(a.setBuilding("live", B));
    Alias during = await(b.get("live")).orElseThrow();
    assertEquals(A, during.serving());
    assertEquals(B, during.building());
    Alias switched = await(b.switchTo("live", A, B));
    assertNull(switched.building());
    assertEquals(List.of(A), switched.history());

    // A build given up: clearing key2 leaves the alias; clearing again is a no-op.
    await(a.setBuilding("live", C));
    assertEquals(B, await(a.clearBuilding("live")).orElseThrow().serving());
    assertNull(await(a.get("live")).orElseThrow().building());
    assertEquals(Optional.of(B), await(a.clearBuilding("live")).map(Alias::serving));
    // A first build given up: nothing is left.
    await(a.setBuilding("fresh", D));
    assertEquals(Optional.empty(), await(a.clearBuilding("fresh")));
    assertEquals(Optional.empty(), await(b.get("fresh")));
  }

  @Test
  void forgettingASpaceDeletesItsAliasesAndScrubsHistories() throws Exception {
    await(a.create("one", A));
    await(a.create("two", A));
    await(a.create("three", B));
    await(a.switchTo("three", null, C));
    await(a.setBuilding("three", A));
    await(a.setBuilding("four", A));
    assertEquals(List.of("one", "two"), await(a.forgetSpace("shop", "items_a")).stream().sorted().toList());
    assertEquals(Optional.empty(), await(b.get("one")));
    Alias three = await(b.get("three")).orElseThrow();
    assertNull(three.building());
    assertEquals(List.of(B), three.history());
    assertEquals(Optional.empty(), await(b.get("four")));
    assertNull(a.local().resolve("one"));
    seenBy(b, "one", null);
    seenBy(b, "three", C);
    await(a.forgetSpace("shop", "items_b"));
    assertEquals(List.of(), await(b.get("three")).orElseThrow().history());
    assertEquals(List.of(), await(a.forgetSpace("shop", "nothing")));
  }

  @Test
  void theChangeFeedReachesTheOtherNode() throws Exception {
    List<AliasChange> heard = new CopyOnWriteArrayList<>();
    Runnable stop = b.onChange(heard::add);
    await(a.create("live", A));
    await(a.switchTo("live", A, B));
    await(a.delete("live"));
    Await.until("the deletion on the other node's feed", Duration.ofSeconds(10),
        () -> heard.stream().anyMatch(c -> c.alias() == null && c.name().equals("live")));
    stop.run();
    assertTrue(heard.stream().anyMatch(c -> c.alias() != null && B.equals(c.alias().serving())), heard.toString());
    for (int i = 1; i < heard.size(); i++) {
      assertTrue(heard.get(i).revision() > heard.get(i - 1).revision(), "revisions grow: " + heard);
    }
  }

  @Test
  void concurrentSwitchersFromOneTargetHaveExactlyOneWinner() throws Exception {
    await(a.create("live", A));
    int n = 8;
    List<Future<Alias>> tries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      AliasStore s = i % 2 == 0 ? a : b;
      tries.add(s.switchTo("live", A, new AliasTarget("shop", "next_" + i)));
    }
    await(Future.join(tries).otherwiseEmpty());
    List<Alias> won = tries.stream().filter(Future::succeeded).map(Future::result).toList();
    assertEquals(1, won.size(), "exactly one compare-and-set from A wins");
    for (Future<Alias> f : tries) {
      if (f.failed()) {
        assertEquals(409, assertInstanceOf(ApiException.class, f.cause()).status());
      }
    }
    assertEquals(won.getFirst().serving(), await(b.get("live")).orElseThrow().serving());
    assertEquals(List.of(A), await(b.get("live")).orElseThrow().history());
  }

  @Test
  void compareAndSetLosesNoUpdateUnderContention() throws Exception {
    await(a.create("counter", new AliasTarget("c", "v0")));
    long start = await(a.get("counter")).orElseThrow().revision();
    int workers = 6;
    int each = 15;
    AtomicInteger conflicts = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    CountDownLatch go = new CountDownLatch(1);
    List<java.util.concurrent.Future<Integer>> done = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      AliasStore s = w % 2 == 0 ? a : b;
      done.add(pool.submit(() -> {
        go.await();
        int won = 0;
        while (won < each) {
          // Read, then switch to the next number only if nobody moved it meanwhile.
          AliasTarget cur = await(s.get("counter")).orElseThrow().serving();
          AliasTarget next = new AliasTarget("c", "v" + (Integer.parseInt(cur.space().substring(1)) + 1));
          try {
            await(s.switchTo("counter", cur, next));
            won++;
          } catch (ApiException e) {
            assertEquals(409, e.status(), e.reason());
            conflicts.incrementAndGet();
          }
        }
        return won;
      }));
    }
    go.countDown();
    int total = 0;
    for (var f : done) {
      total += f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
    Alias end = await(a.get("counter")).orElseThrow();
    assertEquals(workers * each, total);
    assertEquals(new AliasTarget("c", "v" + total), end.serving(), "every successful switch counted once ("
        + conflicts.get() + " conflicts)");
    assertEquals(start + total, end.revision(), "one revision per switch");
    seenBy(b, "counter", end.serving());
    seenBy(a, "counter", end.serving());
  }

  @Test
  void syncBringsTheLocalCopyUpToARevision() throws Exception {
    Alias x = await(a.create("live", A));
    await(b.sync(x.revision()));
    assertTrue(b.local().revision() >= x.revision());
    assertEquals(A, b.local().resolve("live"));
    assertTrue(a.health().connected(), a.health().detail());
    assertFalse(a.describe().isEmpty());
  }
}
