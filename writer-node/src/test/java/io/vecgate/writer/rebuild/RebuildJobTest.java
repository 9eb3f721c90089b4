package io.vecgate.writer.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.space.Document;
import io.vecgate.space.SpaceSchema;
import io.vecgate.space.SpaceSchemas;
import io.vecgate.writer.TestSpaces;
import io.vecgate.writer.rebuild.source.DocumentSource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The steps of {@link RebuildJob} over in-memory stand-ins of its three ports (the writer's
 * spaces, the alias store, the readers); the real ones are exercised by the integration tests.
 */
class RebuildJobTest {

  /** Spaces as sets of ids; a published version counts the distinct ids loaded. */
  static final class Spaces implements RebuildTarget {
    final Map<String, Set<String>> docs = new TreeMap<>();
    final Map<String, Long> published = new HashMap<>();
    final List<String> log = new ArrayList<>();

    @Override
    public Future<List<String>> spaces(String db) {
      return Future.succeededFuture(List.copyOf(docs.keySet()));
    }

    @Override
    public Future<Long> count(String db, String space) {
      return Future.succeededFuture(published.containsKey(space) ? (long) docs.get(space).size() : 0L);
    }

    @Override
    public Future<SpaceSchema> create(String db, ObjectNode body) {
      String name = body.path("name").asText();
      log.add("create " + name);
      docs.put(name, new HashSet<>());
      return Future.succeededFuture(SpaceSchemas.parse(db, body));
    }

    @Override
    public Future<Void> load(String db, String space, List<Document> batch) {
      batch.forEach(d -> docs.get(space).add(d.id()));
      return Future.succeededFuture();
    }

    @Override
    public Future<Long> publish(String db, String space, java.util.function.BooleanSupplier cancelled) {
      log.add("publish " + space);
      published.put(space, 1L);
      return Future.succeededFuture(1L);
    }

    @Override
    public Future<Void> drop(String db, String space) {
      if (docs.remove(space) != null) {
        log.add("drop " + space);
      }
      published.remove(space);
      return Future.succeededFuture();
    }

    /** A served space holding {@code n} documents. */
    void serving(String space, int n) {
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < n; i++) {
        ids.add("x" + i);
      }
      docs.put(space, ids);
      published.put(space, 1L);
    }
  }

  static final class Aliases implements AliasTargets {
    final Map<String, String> serving = new HashMap<>();
    final Map<String, String> building = new HashMap<>();
    final List<String> buildingSeen = new ArrayList<>();

    @Override
    public Future<String> serving(String db, String alias) {
      return Future.succeededFuture(serving.get(alias));
    }

    @Override
    public Future<Void> markBuilding(String db, String alias, String space) {
      building.put(alias, space);
      buildingSeen.add(space);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> clearBuilding(String db, String alias) {
      building.remove(alias);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> switchFrom(String db, String alias, String expected, String space) {
      String now = serving.get(alias);
      if (!java.util.Objects.equals(now, expected)) {
        return Future.failedFuture(ApiException.conflict("alias_conflict", "alias " + alias + " serves " + now
            + ", not " + expected));
      }
      serving.put(alias, space);
      if (space.equals(building.get(alias))) {
        building.remove(alias);
      }
      return Future.succeededFuture();
    }

    @Override
    public Future<AliasState> state(String db, String alias) {
      return Future.succeededFuture(new AliasState(serving.get(alias), building.get(alias), List.of()));
    }

    @Override
    public Future<Set<String>> served(String db) {
      return Future.succeededFuture(new HashSet<>(serving.values()));
    }
  }

  /** {@code n} documents with ids d0.. (every id twice when {@code duplicates}), in batches. */
  static final class Rows implements DocumentSource {
    final int n;
    final boolean duplicates;
    Promise<Void> gate;
    boolean closed;

    Rows(int n, boolean duplicates) {
      this.n = n;
      this.duplicates = duplicates;
    }

    @Override
    public Future<Long> count() {
      return Future.succeededFuture((long) n);
    }

    @Override
    public Future<Long> stream(int batchSize, BatchSink sink) {
      return next(0, batchSize, sink);
    }

    private Future<Long> next(int from, int batchSize, BatchSink sink) {
      if (from >= n) {
        return Future.succeededFuture((long) n);
      }
      List<Document> batch = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + batchSize); i++) {
        batch.add(new Document("d" + (duplicates ? i / 2 : i), new float[] {i, 0, 0, 0}, Map.of()));
      }
      Future<Void> wait = from > 0 && gate != null ? gate.future() : Future.succeededFuture();
      return wait.compose(v -> sink.accept(batch)).compose(v -> next(from + batchSize, batchSize, sink));
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  final Spaces spaces = new Spaces();
  final Aliases aliases = new Aliases();
  final List<String> alarms = new ArrayList<>();
  int readersAwaited;

  RebuildRequest request(String checks) {
    return RebuildRequest.parse(TestSpaces.parse("{\"db\": \"shop\", \"alias\": \"items\", "
        + "\"source\": {\"type\": \"file\", \"path\": \"/unused.ndjson\"}, \"space\": " + TestSpaces.body("items", 4)
        + (checks == null ? "" : ", \"checks\": " + checks) + ", \"warmup_queries\": 7}"));
  }

  RebuildJob job(RebuildRequest r, DocumentSource source) {
    ReaderFleet fleet = (db, space, version, warmup, timeout) -> {
      assertEquals(7, warmup);
      readersAwaited++;
      return Future.succeededFuture(2);
    };
    return new RebuildJob(r, new JobStatus("j1", "shop", "items", Instant.now()), source, spaces, aliases, fleet,
        new RebuildJob.Settings(100, Duration.ofSeconds(5), 1), new RebuildJob.Events() {
          @Override
          public void alarm(JobStatus job, String check, String message) {
            alarms.add(check);
          }

          @Override
          public Future<Void> changed(JobStatus job) {
        return Future.succeededFuture();
      }
        });
  }

  static JobStatus await(Future<JobStatus> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void firstBuildCreatesVersionOneAndPointsTheAliasAtIt() throws Exception {
    Rows rows = new Rows(250, false);
    JobStatus s = await(job(request(null), rows).run());
    assertEquals(JobState.SUCCEEDED, s.state(), s.error());
    assertEquals("items_v1", aliases.serving.get("items"));
    assertTrue(aliases.building.isEmpty());
    assertEquals(List.of("items_v1"), aliases.buildingSeen);
    assertEquals(250, spaces.docs.get("items_v1").size());
    assertEquals(1, readersAwaited);
    assertTrue(rows.closed);
    var json = s.toJson();
    assertEquals("succeeded", json.path("state").asText());
    assertEquals(250, json.path("progress").path("rows").asLong());
    assertEquals(100.0, json.path("progress").path("percent").asDouble());
    assertEquals(250, json.path("counts").path("new").asLong());
    for (Phase p : Phase.values()) {
      assertTrue(json.path("timings_ms").has(p.apiName()), p + " timed: " + json);
    }
  }

  @Test
  void laterBuildsKeepOnePreviousVersionAndDropOlderOnes() throws Exception {
    spaces.serving("items_v1", 100);
    aliases.serving.put("items", "items_v1");
    assertEquals(JobState.SUCCEEDED, await(job(request("{\"max_drop_percent\": 10}"), new Rows(95, false)).run()).state());
    assertEquals("items_v2", aliases.serving.get("items"));
    assertTrue(spaces.docs.containsKey("items_v1"), "kept for rollback");
    assertEquals(JobState.SUCCEEDED, await(job(request(null), new Rows(90, false)).run()).state());
    assertEquals("items_v3", aliases.serving.get("items"));
    assertEquals(Set.of("items_v2", "items_v3"), spaces.docs.keySet());
  }

  @Test
  void aLeftoverOfTheNextNameIsDroppedFirst() throws Exception {
    spaces.serving("items_v1", 10);
    aliases.serving.put("items", "items_v1");
    spaces.docs.put("items_v2", new HashSet<>(Set.of("stale")));
    assertEquals(JobState.SUCCEEDED, await(job(request(null), new Rows(10, false)).run()).state());
    assertFalse(spaces.docs.get("items_v2").contains("stale"));
    assertTrue(spaces.log.indexOf("drop items_v2") < spaces.log.indexOf("create items_v2"), spaces.log.toString());
  }

  @Test
  void aFailedPrecheckAlarmsAndChangesNothing() throws Exception {
    spaces.serving("items_v1", 100);
    aliases.serving.put("items", "items_v1");
    JobStatus s = await(job(request("{\"min_count\": 50}"), new Rows(40, false)).run());
    assertEquals(JobState.FAILED, s.state());
    assertEquals(List.of("min_count"), alarms);
    assertTrue(s.error().contains("below checks.min_count 50"), s.error());
    assertEquals(Phase.PRECHECK, s.phase());
    assertEquals("items_v1", aliases.serving.get("items"));
    assertTrue(aliases.buildingSeen.isEmpty());
    assertEquals(Set.of("items_v1"), spaces.docs.keySet());

    alarms.clear();
    s = await(job(request("{\"max_drop_percent\": 5}"), new Rows(90, false)).run());
    assertEquals(JobState.FAILED, s.state());
    assertEquals(List.of("max_drop_percent"), alarms);
    assertTrue(s.error().contains("10.0% fewer than the 100 of the serving space items_v1"), s.error());
  }

  @Test
  void aShortfallAfterTheBuildDropsTheNewSpaceAndKeepsTheAlias() throws Exception {
    spaces.serving("items_v1", 100);
    aliases.serving.put("items", "items_v1");
    JobStatus s = await(job(request(null), new Rows(200, true)).run());
    assertEquals(JobState.FAILED, s.state());
    assertEquals(List.of("shortfall"), alarms);
    assertEquals(Phase.POSTCHECK, s.phase());
    assertTrue(s.error().contains("holds 100 documents but 200 were loaded"), s.error());
    assertEquals("items_v1", aliases.serving.get("items"));
    assertTrue(aliases.building.isEmpty(), "key2 cleared");
    assertEquals(Set.of("items_v1"), spaces.docs.keySet());
  }

  @Test
  void cancelDuringTheLoadCleansUpAndCancelAfterTheEndIsRefused() throws Exception {
    Rows rows = new Rows(1000, false);
    rows.gate = Promise.promise();
    RebuildJob job = job(request(null), rows);
    Future<JobStatus> running = job.run();
    assertEquals(Phase.LOAD, job.status().phase());
    job.cancel();
    rows.gate.complete();
    JobStatus s = await(running);
    assertEquals(JobState.CANCELLED, s.state());
    assertTrue(s.error().contains("cancelled while loading, after 100 rows"), s.error());
    assertNull(aliases.serving.get("items"));
    assertTrue(spaces.docs.isEmpty());
    assertTrue(aliases.building.isEmpty());
    ApiException e = assertThrows(ApiException.class, job::cancel);
    assertEquals(409, e.status());
  }

  @Test
  void aSwitchRacedByAnotherChangeFailsAndDropsTheNewSpace() throws Exception {
    spaces.serving("items_v1", 10);
    aliases.serving.put("items", "items_v1");
    ReaderFleet racing = (db, space, version, warmup, timeout) -> {
      aliases.serving.put("items", "other");
      return Future.succeededFuture(1);
    };
    RebuildJob job = new RebuildJob(request(null), new JobStatus("j2", "shop", "items", Instant.now()),
        new Rows(10, false), spaces, aliases, racing, RebuildJob.Settings.defaults(), new RebuildJob.Events() {
          @Override
          public void alarm(JobStatus j, String check, String message) {}

          @Override
          public Future<Void> changed(JobStatus j) {
        return Future.succeededFuture();
      }
        });
    JobStatus s = await(job.run());
    assertEquals(JobState.FAILED, s.state());
    assertTrue(s.error().contains("serves other, not items_v1"), s.error());
    assertEquals("other", aliases.serving.get("items"));
    assertFalse(spaces.docs.containsKey("items_v2"));
  }

  @Test
  void statusSurvivesItsJsonRoundTrip() throws Exception {
    JobStatus s = await(job(request(null), new Rows(30, false)).run());
    assertEquals(s.toJson(), JobStatus.fromJson(s.toJson()).toJson());
  }
}
