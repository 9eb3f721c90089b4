package io.vecgate.it;

import static io.vecgate.it.StandaloneApiIT.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgate.coordination.alias.testkit.RedisServer;
import io.vecgate.it.Http.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blue/green rebuilds from PostgreSQL in the distributed layout: a writer, two readers and a
 * gateway as separate JVMs on loopback, aliases in a Redis of the test's own, the source a table
 * in the local PostgreSQL. A rebuild under continuous search load fails no search, every answer
 * comes from one version, and the switch reaches the searches within a second; a failed
 * pre-check, a failed post-check, a cancel and a writer killed mid-job each leave the alias where
 * it was; a rollback goes back; Redis stopped and started again during searches fails none.
 */
class RebuildIT {

  static final String READ_TOKEN = "it-read-" + UUID.randomUUID();
  static final String ADMIN_TOKEN = "it-admin-" + UUID.randomUUID();

  static final String PG = "postgresql://postgres@127.0.0.1:5432/test";
  static final int DIM = 8;
  static final int ROWS = 3000;

  @TempDir Path tmp;
  Vertx vertx;
  Pool pg;
  String table;
  RedisServer redis;
  final List<NodeProcess> nodes = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    pg = PgBuilder.pool().connectingTo(PG).using(vertx).build();
    table = "vg_rebuild_" + Long.toHexString(System.nanoTime());
    sql("CREATE TABLE " + table + " (id bigint PRIMARY KEY, vec real[] NOT NULL, price real)");
    insertRows(1, ROWS);
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
    await(pg.close());
    await(vertx.close());
  }

  void insertRows(int from, int to) throws Exception {
    sql("INSERT INTO " + table + " SELECT i, ARRAY(SELECT random()::real FROM generate_series(1, " + DIM
        + ") WHERE i > 0), i % 100 FROM generate_series(" + from + ", " + to + ") i");
  }

  void sql(String statement) throws Exception {
    await(pg.query(statement).execute());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void rebuildsFromPostgresUnderLoadAndEveryFailureLeavesTheAliasRight() throws Exception {
    redis = RedisServer.start(Files.createDirectories(tmp.resolve("redis")), true);
    Path data = Files.createDirectories(tmp.resolve("data"));
    // Logs outlive the test (target/it-logs) so that a failure can be read.
    Path logs = Files.createDirectories(Path.of("target", "it-logs", "RebuildIT-" + System.currentTimeMillis()));
    int readPort = NodeProcess.freePort();
    int writePort = NodeProcess.freePort();
    String[] common = {"--data-dir", data.toString(), "--cluster-name", "it-rebuild-" + UUID.randomUUID(),
        "--cluster-port", String.valueOf(NodeProcess.freeClusterPort()),
        "--cluster-members", "127.0.0.1", "--log-format", "text",
        // Every token set: the roles' own traffic (catalog, writes, gRPC searches, warm, version notices) carries them.
        "--read-token", READ_TOKEN, "--write-token", "it-write-" + UUID.randomUUID(), "--admin-token", ADMIN_TOKEN};
    // Readers never resolve aliases, so only the writer and the gateway open the store.
    String[] store = {"--alias-store", redis.uri()};
    int writerHttp = NodeProcess.freePort();
    NodeProcess writer = start("writer", logs, concat(concat(common, store), "--http-port", String.valueOf(writerHttp),
        "--refresh-interval", "300ms", "--quiet-period", "500ms", "--flat-below", "100", "--rebuild-timeout", "3m",
        "--node-id", "writer-it"));
    for (int i = 1; i <= 2; i++) {
      start("reader", logs, concat(common, "--http-port", String.valueOf(NodeProcess.freePort()),
          "--node-id", "reader-" + i, "--warmup-queries", "5", "--release-grace", "500ms"));
    }
    start("gateway", logs, concat(concat(common, store), "--read-port", String.valueOf(readPort), "--write-port",
        String.valueOf(writePort), "--node-id", "gateway-it"));
    Http read = new Http("http://127.0.0.1:" + readPort, READ_TOKEN);
    Http write = new Http("http://127.0.0.1:" + writePort, ADMIN_TOKEN);
    Http writerNode = new Http("http://127.0.0.1:" + writerHttp);
    Standalone.waitFor("the cluster to be ready", Duration.ofSeconds(120), () -> {
      try {
        return read.get("/health/ready").status() == 200 && read.get("/_cluster/nodes").json().path("readers").size() == 2;
      } catch (RuntimeException notYet) {
        return false;
      }
    });
    ok(write.put("/db/_create", "{\"name\": \"shop\"}"));

    // The first build makes the alias.
    JsonNode first = runJob(write, rebuild("{\"type\": \"postgres\", \"uri\": \"" + PG + "\", \"table\": \"" + table + "\"}",
        "{\"min_count\": 1000, \"max_drop_percent\": 10}"));
    assertEquals("succeeded", first.path("state").asText(), first::toString);
    assertEquals("items_v1", first.path("space").asText());
    assertEquals(ROWS, first.path("counts").path("new").asLong(), first::toString);
    assertEquals(2, first.path("readers").asInt(), "both readers warmed it: " + first);
    assertEquals("items_v1", servedBy(read));

    // A second build under continuous searches on the alias.
    insertRows(ROWS + 1, ROWS + 100);
    try (SearchLoad load = new SearchLoad(read, 2)) {
      Thread.sleep(500);
      String id = ok(write.post("/_jobs/rebuild", rebuild("{\"type\": \"postgres\", \"uri\": \"" + PG + "\", \"table\": \""
          + table + "\"}", "{\"min_count\": 1000, \"max_drop_percent\": 10}"))).json().path("job_id").asText();
      JsonNode second = awaitJob(write, id);
      long doneNanos = System.nanoTime();
      Thread.sleep(1500);
      load.stop();
      assertEquals("succeeded", second.path("state").asText(), second::toString);
      assertEquals("items_v2", second.path("space").asText());
      assertEquals(ROWS + 100, second.path("counts").path("new").asLong());
      for (String phase : List.of("precheck", "create", "load", "build", "warm", "postcheck", "switch", "cleanup")) {
        assertTrue(second.path("timings_ms").has(phase), phase + " timed: " + second);
      }
      assertEquals(0, load.failures.size(), () -> "failed searches: " + load.failures);
      assertTrue(load.answers.size() > 20, "searches ran throughout: " + load.answers.size());
      Set<String> seen = new HashSet<>();
      for (Answer a : load.answers) {
        assertEquals(1, a.spaces.size(), "one version per answer: " + a.spaces);
        seen.addAll(a.spaces);
        // The job reports success right after the switch; a second later every search sees it.
        if (a.startNanos > doneNanos + Duration.ofSeconds(1).toNanos()) {
          assertEquals(Set.of("items_v2"), a.spaces, "an old answer more than 1 s after the switch");
        }
      }
      assertEquals(Set.of("items_v1", "items_v2"), seen, "answers from before and after the switch");
    }

    // A failed pre-check: an alarm, and nothing changes.
    JsonNode pre = runJob(write, rebuild("{\"type\": \"postgres\", \"uri\": \"" + PG + "\", \"table\": \"" + table + "\"}",
        "{\"min_count\": 1000000}"));
    assertEquals("failed", pre.path("state").asText(), pre::toString);
    assertEquals("min_count", pre.path("alarms").get(0).path("check").asText(), pre::toString);
    assertAlias(write, read, "items_v2");
    assertTrue(writerNode.get("/metrics").body().contains("vecgate_rebuild_alarms_total{alias=\"items\",check=\"min_count\""));

    // A failed post-check: duplicate ids in the source leave the new space short.
    JsonNode post = runJob(write, rebuild("{\"type\": \"postgres\", \"uri\": \"" + PG + "\", \"query\": \"SELECT id, vec, "
        + "price FROM " + table + " UNION ALL SELECT id, vec, price FROM " + table + " WHERE id <= 500\"}", null));
    assertEquals("failed", post.path("state").asText(), post::toString);
    assertEquals("postcheck", post.path("phase").asText());
    assertEquals("shortfall", post.path("alarms").get(0).path("check").asText(), post::toString);
    assertAlias(write, read, "items_v2");
    assertEquals(404, write.get("/space/shop/items_v3").status(), "the partial version is dropped");

    // A cancel while loading (a source slowed down to 1 ms a row: the sleep refers to the row, or
    // PostgreSQL runs it once for the whole query).
    String slow = "{\"type\": \"postgres\", \"uri\": \"" + PG + "\", \"query\": \"SELECT id, vec, price FROM " + table
        + " CROSS JOIN LATERAL (SELECT pg_sleep(0.001) WHERE " + table + ".id IS NOT NULL) AS slow\"}";
    String cancelId = ok(write.post("/_jobs/rebuild", rebuild(slow, null))).json().path("job_id").asText();
    awaitPhase(write, cancelId, "load");
    assertEquals(202, write.delete("/_jobs/" + cancelId).status());
    JsonNode cancelled = awaitJob(write, cancelId);
    assertEquals("cancelled", cancelled.path("state").asText(), cancelled::toString);
    assertAlias(write, read, "items_v2");
    assertEquals(404, write.get("/space/shop/items_v3").status());

    // The writer killed mid-job: after its restart the job is failed and its partial version gone.
    String killedId = ok(write.post("/_jobs/rebuild", rebuild(slow, null))).json().path("job_id").asText();
    awaitPhase(write, killedId, "load");
    writer.kill();
    writer.restart();
    Standalone.waitFor("the writer to be back", Duration.ofSeconds(120), () -> {
      try {
        return write.get("/_jobs/" + killedId).status() == 200;
      } catch (RuntimeException notYet) {
        return false;
      }
    });
    JsonNode killed = ok(write.get("/_jobs/" + killedId)).json();
    assertEquals("failed", killed.path("state").asText(), killed::toString);
    assertTrue(killed.path("error").asText().contains("the writer stopped during phase load"), killed::toString);
    assertEquals(404, write.get("/space/shop/items_v3").status());
    assertAlias(write, read, "items_v2");
    JsonNode alias = ok(write.get("/alias/items")).json().path("data");
    assertFalse(alias.has("building"), () -> "key2 cleared: " + alias);

    // Rollback to the version kept for it.
    ok(write.post("/alias/items/_rollback", null));
    assertAlias(write, read, "items_v1");

    // Redis stopped and started again while searches run: none fails.
    try (SearchLoad load = new SearchLoad(read, 2)) {
      Thread.sleep(300);
      redis.stop();
      Thread.sleep(2000);
      Reply refused = write.post("/_jobs/rebuild", rebuild("{\"type\": \"postgres\", \"uri\": \"" + PG + "\", \"table\": \""
          + table + "\"}", null));
      assertEquals(503, refused.status(), refused::body);
      redis.start();
      Standalone.waitFor("the gateway to reconnect", Duration.ofSeconds(30),
          () -> "ready".equals(read.get("/health/ready").json().path("status").asText()));
      Thread.sleep(500);
      load.stop();
      assertEquals(0, load.failures.size(), () -> "failed searches: " + load.failures);
      assertTrue(load.answers.stream().allMatch(a -> a.spaces.equals(Set.of("items_v1"))));
    }
    for (NodeProcess n : nodes) {
      assertTrue(n.alive(), n::death);
    }
  }

  NodeProcess start(String role, Path logs, String... args) throws Exception {
    NodeProcess p = NodeProcess.start(role, logs, args);
    nodes.add(p);
    return p;
  }

  static String rebuild(String source, String checks) {
    return "{\"db\": \"shop\", \"alias\": \"items\", \"source\": " + source + ", \"space\": {\"name\": \"items\", "
        + "\"partition_num\": 2, \"partitioner\": \"modulo\", \"engine\": {\"retrieval_type\": \"IVFFLAT\", "
        + "\"retrieval_param\": {\"metric_type\": \"L2\", \"ncentroids\": 16, \"nprobe\": 16}}, \"properties\": "
        + "{\"vec\": {\"type\": \"vector\", \"dimension\": " + DIM + "}, \"price\": {\"type\": \"float\", \"index\": true}}}"
        + (checks == null ? "" : ", \"checks\": " + checks) + ", \"warmup_queries\": 20}";
  }

  static JsonNode runJob(Http write, String body) throws InterruptedException {
    Reply started = ok(write.post("/_jobs/rebuild", body));
    assertEquals(202, started.status(), started::body);
    return awaitJob(write, started.json().path("job_id").asText());
  }

  static JsonNode awaitJob(Http write, String id) throws InterruptedException {
    JsonNode[] last = new JsonNode[1];
    Standalone.waitFor("job " + id + " to end", Duration.ofMinutes(4), () -> {
      last[0] = ok(write.get("/_jobs/" + id)).json();
      return !last[0].path("state").asText().equals("running");
    });
    return last[0];
  }

  static void awaitPhase(Http write, String id, String phase) throws InterruptedException {
    Standalone.waitFor("job " + id + " to reach " + phase, Duration.ofMinutes(2), () -> {
      JsonNode j = ok(write.get("/_jobs/" + id)).json();
      assertEquals("running", j.path("state").asText(), j::toString);
      return j.path("phase").asText().equals(phase) && j.path("progress").path("rows").asLong() > 0;
    });
  }

  static final String QUERY = "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": "
      + StandaloneApiIT.vec(new float[DIM]) + "}]}, \"size\": 10}";

  /** The spaces (versions) the hits of one search through the alias came from. */
  static Set<String> spaces(Reply r) {
    Set<String> out = new HashSet<>();
    for (JsonNode h : r.json().path("hits").path("hits")) {
      out.add(h.path("_type").asText());
    }
    return out;
  }

  static String servedBy(Http read) {
    Set<String> s = spaces(ok(read.post("/shop/items/_search", QUERY)));
    assertEquals(1, s.size(), s::toString);
    return s.iterator().next();
  }

  static void assertAlias(Http write, Http read, String space) throws InterruptedException {
    assertEquals(space, ok(write.get("/alias/items")).json().path("data").path("space").asText());
    Standalone.waitFor("searches on the alias to reach " + space, Duration.ofSeconds(5),
        () -> servedBy(read).equals(space));
  }

  record Answer(long startNanos, Set<String> spaces) {}

  /** Searches on the alias from a few threads until stopped, keeping every answer and failure. */
  static final class SearchLoad implements AutoCloseable {
    final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    SearchLoad(Http read, int threads) {
      for (int t = 0; t < threads; t++) {
        Thread th = Thread.ofPlatform().daemon().start(() -> {
          while (running.get()) {
            long t0 = System.nanoTime();
            try {
              Reply r = read.post("/shop/items/_search", QUERY);
              if (r.status() != 200) {
                failures.add(r.status() + " " + r.body());
              } else {
                answers.add(new Answer(t0, spaces(r)));
              }
            } catch (RuntimeException e) {
              failures.add(String.valueOf(e));
            }
          }
        });
        this.threads.add(th);
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) {
        t.join(30_000);
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop();
    }
  }

  static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
