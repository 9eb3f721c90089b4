package io.vecgate.writer.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.coordination.alias.Alias;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.alias.AliasStores;
import io.vecgate.coordination.alias.AliasTarget;
import io.vecgate.files.JsonFileFormat;
import io.vecgate.writer.rebuild.RebuildJobTest.Rows;
import io.vecgate.writer.rebuild.RebuildJobTest.Spaces;
import io.vecgate.writer.rebuild.RebuildRecovery.Decision;
import io.vecgate.writer.rebuild.RebuildRecovery.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recovery decision of a rebuild the writer did not finish ({@link RebuildRecovery#decide}):
 * every phase against every state the alias store can be in, and {@link RebuildJobs#recover}
 * carrying it out over the writer's real alias store (the in-process table of the Hazelcast store).
 */
class RebuildRecoveryTest {

  static final String OLD = "items_v1";
  static final String NEW = "items_v2";

  /** The alias store states a crash can leave, and a few only a hand-made change can. */
  enum Store {
    NO_ALIAS(AliasState.ABSENT),
    /** A first build: key2 set, nothing served yet. */
    ONLY_KEY2(new AliasState(null, NEW, List.of())),
    OLD_SERVING(new AliasState(OLD, null, List.of())),
    OLD_SERVING_KEY2_NEW(new AliasState(OLD, NEW, List.of())),
    OLD_SERVING_KEY2_OTHER(new AliasState(OLD, "items_v7", List.of())),
    /** After the compare-and-set (it clears key2 in the same step). */
    NEW_SERVING(new AliasState(NEW, null, List.of(OLD))),
    /** After the compare-and-set of a first build, before key2 was cleared. */
    NEW_SERVING_KEY2_NEW(new AliasState(NEW, NEW, List.of())),
    /** Switched to the new space, then rolled or switched on by hand. */
    OTHER_SERVING_NEW_IN_HISTORY(new AliasState("items_v3", null, List.of(NEW, OLD))),
    OTHER_SERVING(new AliasState("items_v3", null, List.of(OLD))),
    OTHER_DB_SERVING(new AliasState("other/" + NEW, null, List.of()));

    final AliasState state;

    Store(AliasState state) {
      this.state = state;
    }
  }

  /**
   * The table of docs/internals.md, row by row: a phase and a store state give the outcome and the
   * changes (d = drop the new space, k = clear key2, c = clean up older versions).
   */
  static final String[] TABLE = {
      // phase          store                          outcome            changes
      "PRECHECK        OLD_SERVING                    NOT_SWITCHED       -",
      "PRECHECK        NO_ALIAS                       NOT_SWITCHED       -",
      "MARK_BUILDING   OLD_SERVING                    NOT_SWITCHED       -",
      "MARK_BUILDING   OLD_SERVING_KEY2_NEW           NOT_SWITCHED       k",
      "MARK_BUILDING   ONLY_KEY2                      NOT_SWITCHED       k",
      "CREATE          OLD_SERVING_KEY2_NEW           NOT_SWITCHED       dk",
      "CREATE          ONLY_KEY2                      NOT_SWITCHED       dk",
      "LOAD            OLD_SERVING_KEY2_NEW           NOT_SWITCHED       dk",
      "BUILD           OLD_SERVING_KEY2_NEW           NOT_SWITCHED       dk",
      "WARM            OLD_SERVING_KEY2_NEW           NOT_SWITCHED       dk",
      "POSTCHECK       OLD_SERVING_KEY2_NEW           NOT_SWITCHED       dk",
      "LOAD            OLD_SERVING_KEY2_OTHER         NOT_SWITCHED       d",
      "SWITCH          OLD_SERVING_KEY2_NEW           NOT_SWITCHED       dk",
      "SWITCH          ONLY_KEY2                      NOT_SWITCHED       dk",
      "SWITCH          NEW_SERVING                    SWITCHED           c",
      "SWITCH          NEW_SERVING_KEY2_NEW           SWITCHED           kc",
      "SWITCH          OTHER_SERVING                  NOT_SWITCHED       d",
      "SWITCH          OTHER_SERVING_NEW_IN_HISTORY   SWITCHED           c",
      "CLEANUP         NEW_SERVING                    SWITCHED           c",
      "CLEANUP         OTHER_SERVING                  SWITCHED           c",
      "CLEANUP         OLD_SERVING                    SWITCHED           c",
      // The bug this replaces: a job file one phase behind a switch that happened never drops what the alias serves.
      "WARM            NEW_SERVING                    SWITCHED_BY_HAND   -",
      "POSTCHECK       NEW_SERVING                    SWITCHED_BY_HAND   -",
      "LOAD            NEW_SERVING_KEY2_NEW           SWITCHED_BY_HAND   k",
      "LOAD            OTHER_DB_SERVING               NOT_SWITCHED       d",
  };

  @Test
  void theTableOfTheDocs() {
    for (String row : TABLE) {
      String[] f = row.trim().split("\\s+");
      Phase phase = Phase.valueOf(f[0]);
      Store store = Store.valueOf(f[1]);
      Decision d = RebuildRecovery.decide(phase, NEW, store.state, NEW.equals(store.state.serving()));
      String changes = (d.dropNew() ? "d" : "") + (d.clearBuilding() ? "k" : "") + (d.cleanup() ? "c" : "");
      assertEquals(f[2] + " " + f[3], d.outcome() + " " + (changes.isEmpty() ? "-" : changes), row);
    }
  }

  @Test
  void everyPhaseAgainstEveryStoreStateKeepsTheRules() {
    int cases = 0;
    for (Phase phase : Phase.values()) {
      for (Store store : Store.values()) {
        for (boolean elsewhere : new boolean[] {false, true}) {
          AliasState a = store.state;
          boolean servesNew = NEW.equals(a.serving());
          if (servesNew && !elsewhere) {
            continue; // the alias itself serving the new space is an alias serving it
          }
          Decision d = RebuildRecovery.decide(phase, NEW, a, elsewhere);
          String at = phase + " " + store + (elsewhere ? " (another alias serves the new space)" : "");
          cases++;
          // Never drop a space an alias serves, nor one the job cannot have created yet.
          if (servesNew || elsewhere || phase.compareTo(Phase.CREATE) < 0) {
            assertFalse(d.dropNew(), at);
          }
          // key2 is cleared exactly when it names the new space.
          assertEquals(NEW.equals(a.building()), d.clearBuilding(), at);
          // Switched only once the job had recorded its switch; the store says whether it happened.
          boolean switched = phase.compareTo(Phase.SWITCH) >= 0
              && (servesNew || phase == Phase.CLEANUP || a.history().contains(NEW));
          assertEquals(switched, d.outcome() == Outcome.SWITCHED, at);
          assertEquals(switched, d.cleanup(), at);
          if (servesNew && phase.compareTo(Phase.SWITCH) < 0) {
            assertEquals(Outcome.SWITCHED_BY_HAND, d.outcome(), at);
          }
          // Not switched and nothing serves it: the half-built space goes (no orphan).
          if (d.outcome() == Outcome.NOT_SWITCHED && !elsewhere && phase.compareTo(Phase.CREATE) >= 0) {
            assertTrue(d.dropNew(), at);
          }
        }
      }
    }
    assertEquals(Phase.values().length * (Store.values().length * 2 - 2), cases);
  }

  @Test
  void aJobThatHadNotNamedItsSpaceChangesNothing() {
    for (Phase p : Phase.values()) {
      Decision d = RebuildRecovery.decide(p, null, Store.OLD_SERVING_KEY2_NEW.state, false);
      assertEquals(new Decision(Outcome.NOT_SWITCHED, false, false, false), d, p.toString());
    }
  }

  @Test
  void olderVersionsBeyondTheKeptOnesAreDroppedButNeverAServedOne() {
    List<String> spaces = List.of("items_v1", "items_v2", "items_v3", "items_v4", "other_v1", "items");
    assertEquals(List.of("items_v2", "items_v1"), RebuildVersions.toDrop(spaces, "items_v4", 1, Set.of()));
    assertEquals(List.of("items_v2"), RebuildVersions.toDrop(spaces, "items_v4", 1, Set.of("items_v1")));
    assertEquals(List.of(), RebuildVersions.toDrop(spaces, "items_v4", 3, Set.of()));
  }

  // ---- RebuildJobs.recover over the real alias store ----

  @TempDir Path dir;
  final Vertx vertx = Vertx.vertx();
  final Spaces spaces = new Spaces();
  final List<String> alarms = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  RebuildJobs jobs(AliasStore store) {
    StoreAliasTargets aliases = new StoreAliasTargets(store);
    RebuildJobs.Factory factory = (request, status, events) -> new RebuildJob(request, status, new Rows(5, false), spaces,
        aliases, (db, space, version, warmup, timeout) -> Future.succeededFuture(1),
        new RebuildJob.Settings(10, Duration.ofSeconds(5), 1), events);
    return new RebuildJobs(vertx, dir.resolve("jobs"), factory, new RebuildJob.Events() {
      @Override
      public void alarm(JobStatus job, String check, String message) {
        alarms.add(check + ": " + message);
      }

      @Override
      public Future<Void> changed(JobStatus job) {
        return Future.succeededFuture();
      }
    }, spaces, aliases, 1);
  }

  /** A job file as a writer killed in {@code phase} leaves it. */
  void jobFile(String id, Phase phase) throws Exception {
    JobStatus s = new JobStatus(id, "shop", "items", Instant.now());
    s.target(NEW, OLD);
    s.enter(phase);
    JsonFileFormat.write(dir.resolve("jobs").resolve(id + ".json"), JsonFileFormat.JOB,
        s.toJson().toString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void killedRightAfterTheSwitchWithTheFileOnePhaseBehindTheAliasKeepsItsSpace() throws Exception {
    AliasStore store = await(AliasStores.open(vertx, AliasStoreConfig.defaults()));
    spaces.serving("items_v0", 5);
    spaces.serving(OLD, 5);
    spaces.serving(NEW, 5);
    await(store.create("items", new AliasTarget("shop", OLD)));
    await(store.switchTo("items", null, new AliasTarget("shop", NEW)));
    jobFile("rebuild-a", Phase.POSTCHECK);

    RebuildJobs jobs = jobs(store);
    await(jobs.recover());
    JobStatus back = jobs.get("rebuild-a");
    assertEquals(JobState.FAILED, back.state(), "the job never reached its switch");
    assertTrue(spaces.docs.containsKey(NEW), "the space the alias serves stays");
    assertEquals(new AliasTarget("shop", NEW), await(store.get("items")).orElseThrow().serving());
    assertTrue(back.error().contains("the alias serves its new space"), back.error());
    assertEquals(1, alarms.size(), alarms::toString);
  }

  @Test
  void killedInTheSwitchAfterTheCompareAndSetFinishesTheJob() throws Exception {
    AliasStore store = await(AliasStores.open(vertx, AliasStoreConfig.defaults()));
    spaces.serving(OLD, 5);
    spaces.serving(NEW, 5);
    await(store.create("items", new AliasTarget("shop", OLD)));
    await(store.setBuilding("items", new AliasTarget("shop", NEW)));
    await(store.switchTo("items", new AliasTarget("shop", OLD), new AliasTarget("shop", NEW)));
    jobFile("rebuild-b", Phase.SWITCH);

    RebuildJobs jobs = jobs(store);
    await(jobs.recover());
    JobStatus back = jobs.get("rebuild-b");
    assertEquals(JobState.SUCCEEDED, back.state());
    Alias a = await(store.get("items")).orElseThrow();
    assertEquals(new AliasTarget("shop", NEW), a.serving());
    assertNull(a.building());
    assertEquals(new HashSet<>(List.of(OLD, NEW)), spaces.docs.keySet(), "v1 kept for rollback");
    assertEquals("interrupted", back.alarms().getFirst().check());
    assertTrue(back.alarms().getFirst().message().contains("after its alias switch: the job is finished at restart"),
        back.alarms().toString());
  }

  @Test
  void killedInTheSwitchBeforeTheCompareAndSetDropsTheNewSpaceAndClearsKey2() throws Exception {
    AliasStore store = await(AliasStores.open(vertx, AliasStoreConfig.defaults()));
    spaces.serving(OLD, 5);
    spaces.serving(NEW, 5);
    await(store.create("items", new AliasTarget("shop", OLD)));
    await(store.setBuilding("items", new AliasTarget("shop", NEW)));
    jobFile("rebuild-c", Phase.SWITCH);

    RebuildJobs jobs = jobs(store);
    await(jobs.recover());
    JobStatus back = jobs.get("rebuild-c");
    assertEquals(JobState.FAILED, back.state());
    assertTrue(back.error().contains("the writer stopped during phase switch"), back.error());
    assertTrue(back.error().contains(NEW + " dropped") && back.error().contains("key2 cleared"), back.error());
    Alias a = await(store.get("items")).orElseThrow();
    assertEquals(new AliasTarget("shop", OLD), a.serving());
    assertNull(a.building());
    assertEquals(new HashSet<>(List.of(OLD)), spaces.docs.keySet());
  }

  @Test
  void aNewSpaceAnotherAliasServesIsNeverDropped() throws Exception {
    AliasStore store = await(AliasStores.open(vertx, AliasStoreConfig.defaults()));
    spaces.serving(OLD, 5);
    spaces.serving(NEW, 5);
    await(store.create("items", new AliasTarget("shop", OLD)));
    await(store.create("pinned", new AliasTarget("shop", NEW)));
    jobFile("rebuild-d", Phase.LOAD);

    RebuildJobs jobs = jobs(store);
    await(jobs.recover());
    assertEquals(JobState.FAILED, jobs.get("rebuild-d").state());
    assertTrue(spaces.docs.containsKey(NEW));
    assertEquals(Optional.of(new AliasTarget("shop", NEW)), await(store.get("pinned")).map(Alias::serving));
  }
}
