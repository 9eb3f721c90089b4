package io.vecgate.it;

import static io.vecgate.it.RebuildIT.PG;
import static io.vecgate.it.RebuildIT.concat;
import static io.vecgate.it.RebuildIT.servedBy;
import static io.vecgate.it.StandaloneApiIT.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgate.coordination.alias.testkit.RedisServer;
import io.vecgate.it.RebuildIT.SearchLoad;
import io.vecgate.writer.rebuild.PhasePause;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer killed with SIGKILL in every phase of a rebuild, and what its restart makes of it:
 * a writer, a reader and a gateway as separate JVMs, aliases in a Redis of the test's own, the
 * source a table in the local PostgreSQL. The writer is started with the test-only
 * {@value PhasePause#PROPERTY} pause point, the test waits for the pause in its log and sends
 * {@code kill -9}; the next writer (paused at the next point) recovers the job at start. After
 * every restart: the alias serves the old version or the new one (the new one exactly when the
 * kill came after the compare-and-set), whole (the count of the source it was built from); no
 * building key is left; no space is left that the alias does not serve or keep for rollback; and
 * searches on the alias through the gateway never failed, during the kills or after.
 */
class RebuildCrashIT {

  /** Where each writer is killed, in the order of the phases; the last two come after the switch. */
  static final List<String> KILL_POINTS = List.of("precheck:after", "mark_building:after", "create:after",
      "load:after", "build:after", "warm:after", "postcheck:after", "switch:before", "switch:after", "cleanup:before");
  static final int ROWS = 2000;
  /** Rows added to the source before each rebuild, so that the old and the new version differ in count. */
  static final int MORE = 50;

  @TempDir Path tmp;
  Vertx vertx;
  Pool pg;
  String table;
  RedisServer redis;
  final List<NodeProcess> nodes = new ArrayList<>();
  int rows;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    pg = PgBuilder.pool().connectingTo(PG).using(vertx).build();
    table = "vg_crash_" + Long.toHexString(System.nanoTime());
    sql("CREATE TABLE " + table + " (id bigint PRIMARY KEY, vec real[] NOT NULL, price real)");
    addRows(ROWS);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (NodeProcess n : nodes) {
      n.close();
    }
    if (redis != null) {
      redis.close();
    }
    sql("DROP TABLE IF EXISTS " + table);
    RebuildIT.await(pg.close());
    RebuildIT.await(vertx.close());
  }

  void addRows(int n) throws Exception {
    sql("INSERT INTO " + table + " SELECT i, ARRAY(SELECT random()::real FROM generate_series(1, " + RebuildIT.DIM
        + ") WHERE i > 0), i % 100 FROM generate_series(" + (rows + 1) + ", " + (rows + n) + ") i");
    rows += n;
  }

  void sql(String statement) throws Exception {
    RebuildIT.await(pg.query(statement).execute());
  }

  /** One rebuild killed at a point: what the alias served and what the job built, with their sources' counts. */
  record Killed(String point, String jobId, String old, long oldCount, String built, long builtCount) {
    boolean afterSwitch() {
      return point.equals("switch:after") || point.startsWith("cleanup");
    }
  }

  @Test
  void aWriterKilledInEveryPhaseRecoversToOneWholeVersion() throws Exception {
    long t0 = System.nanoTime();
    redis = RedisServer.start(Files.createDirectories(tmp.resolve("redis")), true);
    Path data = Files.createDirectories(tmp.resolve("data"));
    Path logs = Files.createDirectories(Path.of("target", "it-logs", "RebuildCrashIT-" + System.currentTimeMillis()));
    int readPort = NodeProcess.freePort();
    int writePort = NodeProcess.freePort();
    String[] common = {"--data-dir", data.toString(), "--cluster-name", "it-crash-" + UUID.randomUUID(),
        "--cluster-port", String.valueOf(NodeProcess.freeClusterPort()),
        "--cluster-members", "127.0.0.1", "--log-format", "text"};
    String[] store = {"--alias-store", redis.uri()};
    int writerHttp = NodeProcess.freePort();
    URI writerNode = URI.create("http://127.0.0.1:" + writerHttp + "/health/ready");
    String[] writerArgs = concat(concat(common, store), "--http-port", String.valueOf(writerHttp), "--refresh-interval", "300ms", "--quiet-period", "500ms",
        "--flat-below", "100", "--rebuild-timeout", "2m", "--node-id", "writer-crash");
    start("reader", logs, List.of(), concat(common, "--http-port", String.valueOf(NodeProcess.freePort()),
        "--node-id", "reader-1", "--warmup-queries", "5", "--release-grace", "500ms"));
    start("gateway", logs, List.of(), concat(concat(common, store), "--read-port", String.valueOf(readPort),
        "--write-port", String.valueOf(writePort), "--node-id", "gateway-crash"));
    NodeProcess writer = start("writer", logs, List.of(), writerArgs);
    Http read = new Http("http://127.0.0.1:" + readPort);
    Http write = new Http("http://127.0.0.1:" + writePort);
    Standalone.waitFor("the cluster to be ready", Duration.ofSeconds(120), () -> {
      try {
        return read.get("/health/ready").status() == 200 && read.get("/_cluster/nodes").json().path("readers").size() == 1
            && write.get("/db/_list").status() == 200;
      } catch (RuntimeException notYet) {
        return false;
      }
    });
    ok(write.put("/db/_create", "{\"name\": \"shop\"}"));
    JsonNode first = RebuildIT.runJob(write, rebuild());
    assertEquals("succeeded", first.path("state").asText(), first::toString);
    String serving = first.path("space").asText();
    long servingCount = rows;
    long setUpMillis = (System.nanoTime() - t0) / 1_000_000;

    List<String> report = new ArrayList<>();
    try (SearchLoad load = new SearchLoad(read, 1)) {
      Killed pending = null;
      // Each writer recovers the job its predecessor was killed in, then runs the next one to its pause.
      for (int i = 0; i <= KILL_POINTS.size(); i++) {
        long k0 = System.nanoTime();
        String point = i < KILL_POINTS.size() ? KILL_POINTS.get(i) : null;
        writer.kill();
        writer = start("writer", logs, point == null ? List.of() : List.of("-D" + PhasePause.PROPERTY + "=" + point),
            writerArgs);
        awaitWriter(writerNode, write);
        if (pending != null) {
          JsonNode job = awaitSettled(write, pending.jobId());
          checkRecovered(write, read, pending, job);
          if (pending.afterSwitch()) {
            serving = pending.built();
            servingCount = pending.builtCount();
          }
          report.add(String.format("%-20s job %-9s alias %s (%d docs)", pending.point(), job.path("state").asText(),
              serving, servingCount));
        }
        if (point == null) {
          break;
        }
        addRows(MORE);
        String id = ok(write.post("/_jobs/rebuild", rebuild())).json().path("job_id").asText();
        awaitPause(writer, point, id);
        JsonNode paused = ok(write.get("/_jobs/" + id)).json();
        assertEquals("running", paused.path("state").asText(), paused::toString);
        pending = new Killed(point, id, serving, servingCount, paused.path("space").asText(), rows);
        report.add(String.format("%-20s restart + run to the pause: %d ms", point, (System.nanoTime() - k0) / 1_000_000));
      }
      Thread.sleep(500);
      load.stop();
      System.out.println("RebuildCrashIT: set-up " + setUpMillis + " ms, all " + (System.nanoTime() - t0) / 1_000_000
          + " ms; per kill point:\n  "
          + String.join("\n  ", report) + "\n  searches " + load.answers.size() + ", failed " + load.failures.size());
      assertEquals(0, load.failures.size(), () -> "failed searches: " + load.failures);
      assertTrue(load.answers.size() > 50, "searches ran throughout: " + load.answers.size());
    }
    for (NodeProcess n : nodes) {
      if (n.role.equals("writer") && n != writer) {
        continue;
      }
      assertTrue(n.alive(), n::death);
    }
  }

  /** What a restart must leave: one whole version served, no key2, no orphan, the job ended with the truth. */
  void checkRecovered(Http write, Http read, Killed k, JsonNode job) throws InterruptedException {
    String want = k.afterSwitch() ? k.built() : k.old();
    long count = k.afterSwitch() ? k.builtCount() : k.oldCount();
    String at = "killed at " + k.point() + ": " + job;
    assertEquals(k.afterSwitch() ? "succeeded" : "failed", job.path("state").asText(), at);
    assertTrue(job.path("alarms").toString().contains("interrupted"), at);
    JsonNode alias = ok(write.get("/alias/items")).json().path("data");
    assertEquals(want, alias.path("space").asText(), at + "; alias " + alias);
    assertFalse(alias.has("building") && !alias.path("building").isNull(), () -> "key2 left: " + alias + "; " + at);
    JsonNode described = ok(write.get("/space/shop/" + want)).json().path("data");
    long docs = 0;
    for (JsonNode p : described.path("partitions")) {
      docs += p.path("doc_num").asLong();
    }
    assertEquals(count, docs, "the served version is whole; " + at);
    Set<String> kept = new HashSet<>();
    kept.add(want);
    alias.path("history").forEach(h -> kept.add(h.path("space").asText()));
    Set<String> spaces = new HashSet<>();
    ok(write.get("/db/shop")).json().path("data").path("spaces").forEach(s -> spaces.add(s.asText()));
    assertTrue(kept.containsAll(spaces), () -> "orphan spaces " + spaces + " beside what the alias serves or keeps "
        + kept + "; " + at);
    if (!k.afterSwitch()) {
      assertFalse(spaces.contains(k.built()), "the half-built space is dropped; " + at);
    }
    Standalone.waitFor("searches on the alias to reach " + want, Duration.ofSeconds(10),
        () -> servedBy(read).equals(want));
  }

  NodeProcess start(String role, Path logs, List<String> jvm, String... args) throws Exception {
    NodeProcess p = NodeProcess.start(role, logs, jvm, args);
    nodes.add(p);
    return p;
  }

  /**
   * The writer is ready on its own health port, then answers through the gateway (it recovered its
   * jobs before taking requests). Asking the gateway first could send a request to the killed
   * writer's event-bus address before the cluster noticed it gone, and wait out its timeout.
   */
  static void awaitWriter(URI writerHealth, Http write) throws InterruptedException {
    Standalone.waitFor("the writer to be up", Duration.ofSeconds(120), () -> {
      try {
        return ready(writerHealth) && write.get("/_jobs").status() == 200;
      } catch (RuntimeException notYet) {
        return false;
      }
    });
  }

  private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * One short health probe: a request that reaches a node's port in its first milliseconds can go
   * unanswered (Vert.x's HTTP metrics fail on it), so each probe gives up after 2 s and the next one asks again.
   */
  static boolean ready(URI health) {
    try {
      return PROBE.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static void awaitPause(NodeProcess writer, String point, String id) throws InterruptedException {
    String marker = PhasePause.MARKER + point + " job " + id;
    Standalone.waitFor("job " + id + " to pause at " + point, Duration.ofMinutes(2), () -> {
      try {
        assertTrue(writer.alive(), writer::death);
        return Files.readString(writer.log).contains(marker);
      } catch (java.io.IOException e) {
        return false;
      }
    });
  }

  static JsonNode awaitSettled(Http write, String id) throws InterruptedException {
    JsonNode[] last = new JsonNode[1];
    Standalone.waitFor("job " + id + " to be settled", Duration.ofSeconds(60), () -> {
      last[0] = ok(write.get("/_jobs/" + id)).json();
      return !last[0].path("state").asText().equals("running");
    });
    return last[0];
  }

  String rebuild() {
    return RebuildIT.rebuild("{\"type\": \"postgres\", \"uri\": \"" + PG + "\", \"table\": \"" + table + "\"}",
        "{\"min_count\": 1000, \"max_drop_percent\": 10}");
  }
}
