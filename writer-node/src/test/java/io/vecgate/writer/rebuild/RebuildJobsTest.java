package io.vecgate.writer.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.files.JsonFileFormat;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.writer.TestSpaces;
import io.vecgate.writer.rebuild.RebuildJobTest.Aliases;
import io.vecgate.writer.rebuild.RebuildJobTest.Rows;
import io.vecgate.writer.rebuild.RebuildJobTest.Spaces;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RebuildJobsTest {

  @TempDir Path dir;
  final Vertx vertx = Vertx.vertx();
  final Spaces spaces = new Spaces();
  final Aliases aliases = new Aliases();
  Promise<Integer> readers = Promise.promise();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  RebuildJobs jobs() {
    ReaderFleet fleet = (db, space, version, warmup, timeout) -> readers.future();
    RebuildJobs.Factory factory = (request, status, events) -> new RebuildJob(request, status, new Rows(50, false), spaces,
        aliases, fleet, new RebuildJob.Settings(10, Duration.ofSeconds(5), 1), events);
    return new RebuildJobs(vertx, dir.resolve("jobs"), factory, new RebuildJob.Events() {
      @Override
      public void alarm(JobStatus job, String check, String message) {}

      @Override
      public Future<Void> changed(JobStatus job) {
        return Future.succeededFuture();
      }
    }, spaces, aliases);
  }

  static RebuildRequest request(String alias) {
    return RebuildRequest.parse(TestSpaces.parse("{\"db\": \"shop\", \"alias\": \"" + alias + "\", "
        + "\"source\": {\"type\": \"file\", \"path\": \"/x.fvecs\"}, \"space\": " + TestSpaces.body("items", 4) + "}"));
  }

  static void waitFor(BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < end, "timed out");
      Thread.sleep(10);
    }
  }

  @Test
  void oneRunningJobPerAliasListedAndCancellable() throws Exception {
    RebuildJobs jobs = jobs();
    JobStatus first = jobs.start(request("items"));
    waitFor(() -> first.phase() == Phase.WARM);
    ApiException busy = assertThrows(ApiException.class, () -> jobs.start(request("items")));
    assertEquals(409, busy.status());
    assertTrue(busy.reason().contains(first.id()), busy.reason());
    JobStatus other = jobs.start(request("others"));
    assertEquals(2, jobs.list().size());
    assertEquals(other.id(), jobs.list().get(0).id(), "newest first");
    jobs.cancel(first.id());
    jobs.cancel(other.id());
    readers.complete(1);
    waitFor(() -> first.state().ended() && other.state().ended());
    assertEquals(JobState.CANCELLED, first.state());
    assertTrue(spaces.docs.isEmpty());
    assertThrows(ApiException.class, () -> jobs.cancel(first.id()));
    assertEquals(404, assertThrows(ApiException.class, () -> jobs.get("nope")).status());
    waitFor(() -> Files.exists(dir.resolve("jobs").resolve(first.id() + ".json")));
  }

  @Test
  void aJobRunningWhenTheWriterStoppedIsFailedAndCleanedAtStart() throws Exception {
    JobStatus s = new JobStatus("rebuild-old", "shop", "items", Instant.now());
    s.target("items_v2", "items_v1");
    s.enter(Phase.MARK_BUILDING);
    s.enter(Phase.CREATE);
    s.enter(Phase.LOAD);
    Files.createDirectories(dir.resolve("jobs"));
    Files.writeString(dir.resolve("jobs").resolve("rebuild-old.json"), s.toJson().toString());
    spaces.serving("items_v1", 5);
    spaces.docs.put("items_v2", new HashSet<>());
    aliases.serving.put("items", "items_v1");
    aliases.building.put("items", "items_v2");

    RebuildJobs jobs = jobs();
    jobs.recover().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    JobStatus back = jobs.get("rebuild-old");
    assertEquals(JobState.FAILED, back.state());
    assertTrue(back.error().contains("the writer stopped during phase load"), back.error());
    assertFalse(spaces.docs.containsKey("items_v2"));
    assertEquals("items_v1", aliases.serving.get("items"));
    assertTrue(aliases.building.isEmpty());
    String saved = Files.readString(dir.resolve("jobs").resolve("rebuild-old.json"));
    assertTrue(saved.contains("\"state\":\"failed\""), saved);
    // The job's alias is free again.
    readers.complete(1);
    JobStatus next = jobs.start(request("items"));
    waitFor(() -> next.state().ended());
    assertEquals(JobState.SUCCEEDED, next.state(), next.error());
    assertEquals("items_v2", aliases.serving.get("items"));
  }
  @Test
  void jobFilesOfEveryReleasedVersionOpenAndADamagedOneIsSkipped() throws Exception {
    Path jobsDir = Files.createDirectories(dir.resolve("jobs"));
    for (String[] f : new String[][] {{"job-v1.json", "rebuild-mbq1x2-3fa9c0d1"}, {"job-v2.json", "rebuild-mbq1x3-3fa9c0d2"}}) {
      try (InputStream in = getClass().getResourceAsStream("/datafiles/" + f[0])) {
        Files.copy(in, jobsDir.resolve(f[1] + ".json"));
      }
    }
    byte[] damaged = Files.readAllBytes(jobsDir.resolve("rebuild-mbq1x3-3fa9c0d2.json"));
    damaged[damaged.length - 20] ^= 0x01;
    Path bad = jobsDir.resolve("rebuild-bad.json");
    Files.write(bad, damaged);

    RebuildJobs jobs = jobs();
    jobs.recover().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(Set.of("rebuild-mbq1x2-3fa9c0d1", "rebuild-mbq1x3-3fa9c0d2"),
        jobs.list().stream().map(JobStatus::id).collect(Collectors.toSet()));
    for (JobStatus s : jobs.list()) {
      assertEquals(JobState.SUCCEEDED, s.state());
      assertEquals("items_v2", s.space());
      assertEquals(2, s.version());
      assertEquals(1, s.alarms().size());
    }
    assertTrue(Files.exists(bad), "a damaged job file is left for the operator");
  }

  /** The phase the job file on disk holds (read the way recovery reads it). */
  String phaseOnDisk(String id) {
    try {
      return JsonFileFormat.read(dir.resolve("jobs").resolve(id + ".json"), JsonFileFormat.JOB,
          (v, body) -> body.path("phase").asText());
    } catch (java.io.IOException e) {
      return "unreadable: " + e;
    }
  }

  String stateOnDisk(String id) {
    try {
      return JsonFileFormat.read(dir.resolve("jobs").resolve(id + ".json"), JsonFileFormat.JOB,
          (v, body) -> body.path("state").asText());
    } catch (java.io.IOException e) {
      return "unreadable: " + e;
    }
  }

  @Test
  void everyPhaseIsDurableBeforeItsSideEffectsStart() throws Exception {
    List<String> seen = new ArrayList<>();
    String[] id = {null};
    AliasTargets watched = new AliasTargets() {
      public Future<String> serving(String db, String alias) {
        return aliases.serving(db, alias);
      }

      public Future<Void> markBuilding(String db, String alias, String space) {
        seen.add("key2 " + phaseOnDisk(id[0]));
        return aliases.markBuilding(db, alias, space);
      }

      public Future<Void> clearBuilding(String db, String alias) {
        return aliases.clearBuilding(db, alias);
      }

      public Future<Void> switchFrom(String db, String alias, String expected, String space) {
        seen.add("cas " + phaseOnDisk(id[0]));
        return aliases.switchFrom(db, alias, expected, space);
      }

      public Future<AliasState> state(String db, String alias) {
        return aliases.state(db, alias);
      }

      public Future<Set<String>> served(String db) {
        return aliases.served(db);
      }
    };
    RebuildTarget target = new RebuildTarget() {
      public Future<List<String>> spaces(String db) {
        seen.add("list " + phaseOnDisk(id[0]));
        return spaces.spaces(db);
      }

      public Future<Long> count(String db, String space) {
        return spaces.count(db, space);
      }

      public Future<io.vecgate.space.SpaceSchema> create(String db, com.fasterxml.jackson.databind.node.ObjectNode body) {
        seen.add("create " + phaseOnDisk(id[0]));
        return spaces.create(db, body);
      }

      public Future<Void> load(String db, String space, List<io.vecgate.space.Document> batch) {
        seen.add("load " + phaseOnDisk(id[0]));
        return spaces.load(db, space, batch);
      }

      public Future<Long> publish(String db, String space, BooleanSupplier cancelled) {
        seen.add("publish " + phaseOnDisk(id[0]));
        return spaces.publish(db, space, cancelled);
      }

      public Future<Void> drop(String db, String space) {
        return spaces.drop(db, space);
      }
    };
    readers.complete(1);
    ReaderFleet fleet = (db, space, version, warmup, timeout) -> {
      seen.add("warm " + phaseOnDisk(id[0]));
      return readers.future();
    };
    RebuildJobs.Factory factory = (request, status, events) -> {
      id[0] = status.id();
      return new RebuildJob(request, status, new Rows(20, false), target, watched, fleet,
          new RebuildJob.Settings(10, Duration.ofSeconds(5), 1), events);
    };
    RebuildJobs jobs = new RebuildJobs(vertx, dir.resolve("jobs"), factory, new RebuildJob.Events() {
      @Override
      public void alarm(JobStatus job, String check, String message) {}

      @Override
      public Future<Void> changed(JobStatus job) {
        return Future.succeededFuture();
      }
    }, target, watched, 1);
    JobStatus s = jobs.start(request("items"));
    waitFor(() -> s.state().ended());
    assertEquals(JobState.SUCCEEDED, s.state(), s.error());
    assertEquals(List.of("key2 mark_building", "create create", "load load", "load load", "publish build", "warm warm",
        "cas switch", "list cleanup"), seen);
    waitFor(() -> stateOnDisk(s.id()).equals("succeeded"));
  }
}
