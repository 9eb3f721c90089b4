package io.vecgate.it;

import static io.vecgate.it.StandaloneApiIT.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgate.coordination.alias.testkit.RedisCli;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/local-cluster.sh} as a user runs it, on ports other than the defaults and a data
 * directory of the test's (all through its environment variables), with the local Redis (a random
 * key prefix) and PostgreSQL: it refuses to start with a port taken or Redis down, saying which;
 * {@code up} starts a gateway, a writer and two readers and waits until they are ready; a space
 * is created, loaded and searched, an alias is built by {@code /_jobs/rebuild} from a PostgreSQL
 * table; {@code status} shows the four ready; {@code down} stops them gracefully (the readers'
 * heartbeat keys are deleted on the way).
 */
class LocalClusterIT {

  static final String PG = "postgresql://postgres@127.0.0.1:5432/test";

  @TempDir Path tmp;
  final Map<String, String> env = new HashMap<>();
  final String prefix = "vgit-lc-" + UUID.randomUUID().toString().substring(0, 8);
  Path script;
  String table;
  Vertx vertx;
  Pool pg;

  record Run(int exit, String out) {
    @Override
    public String toString() {
      return "exit " + exit + ":\n" + out;
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    if (script != null) {
      run("down"); // whatever is left
    }
    if (pg != null) {
      await(pg.query("DROP TABLE IF EXISTS " + table).execute());
      await(pg.close());
    }
    if (vertx != null) {
      await(vertx.close());
    }
    RedisCli.deleteKeys(6379, prefix + ":*");
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** {@code n} consecutive free loopback ports. */
  static int freeRange(int n) throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
      boolean free = true;
      for (int i = 0; i < n && free; i++) {
        try (ServerSocket s = new ServerSocket(base + i, 1, InetAddress.getLoopbackAddress())) {
          s.setReuseAddress(true);
        } catch (IOException taken) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no " + n + " consecutive free ports");
  }

  /** Whether {@code pid} runs (a zombie does not). */
  static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException gone) {
      return false;
    }
  }

  Run run(String command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(4, TimeUnit.MINUTES), "local-cluster.sh " + command + " did not finish: " + out);
    System.out.println("LocalClusterIT: local-cluster.sh " + command + " -> exit " + p.exitValue() + "\n" + out);
    return new Run(p.exitValue(), out);
  }

  @Test
  void upServesRequestsAndRebuildsStatusShowsItDownStopsIt() throws Exception {
    Path root = Path.of(System.getProperty("vecgate.jar")).toAbsolutePath().getParent().getParent().getParent();
    script = root.resolve("scripts/local-cluster.sh");
    Path data = tmp.resolve("data");
    int base = freeRange(12); // one range, so that no two ports of the test coincide
    int read = base;
    int writer = base + 2;
    int readers = base + 3;
    int grpc = base + 5;
    int cluster = base + 7;
    int noRedis = base + 11;
    env.putAll(Map.of("DATA_DIR", data.toString(), "READ_PORT", String.valueOf(read), "WRITE_PORT", String.valueOf(read + 1),
        "WRITER_PORT", String.valueOf(writer), "READER_PORT", String.valueOf(readers), "GRPC_PORT", String.valueOf(grpc),
        "CLUSTER_PORT", String.valueOf(cluster), "CLUSTER_NAME", "it-lc-" + UUID.randomUUID(), "ALIAS_KEY_PREFIX", prefix,
        "PG_URI", PG));
    env.put("STOP_GRACE", "30");
    env.put("MILVUS_PORT", String.valueOf(NodeProcess.freePort()));
    // The jar under test, as packaged: bin/vecgate must not rebuild it while other tests use it.
    env.put("VECGATE_JAR", Path.of(System.getProperty("vecgate.jar")).toAbsolutePath().toString());

    // Refused before anything starts: Redis down, then a port taken; each named.
    env.put("REDIS_URL", "redis://127.0.0.1:" + noRedis);
    Run down = run("up");
    assertNotEquals(0, down.exit(), down::toString);
    assertTrue(down.out().contains("Redis at redis://127.0.0.1:" + noRedis + " does not answer PING"), down::toString);
    env.remove("REDIS_URL");
    try (ServerSocket taken = new ServerSocket(read + 1, 1, InetAddress.getLoopbackAddress())) {
      Run busy = run("up");
      assertNotEquals(0, busy.exit(), busy::toString);
      assertTrue(busy.out().contains("already in use on 127.0.0.1: " + (read + 1) + " (write-endpoint)"), busy::toString);
    }
    assertEquals(3, run("status").exit(), "nothing runs");

    Run up = run("up");
    assertEquals(0, up.exit(), up::toString);
    assertTrue(up.out().contains("read endpoint    http://127.0.0.1:" + read), up::toString);
    assertTrue(up.out().contains("write endpoint   http://127.0.0.1:" + (read + 1)), up::toString);
    List<Long> pids = new ArrayList<>();
    for (String n : List.of("gateway", "writer", "reader-1", "reader-2")) {
      pids.add(Long.parseLong(Files.readString(data.resolve("local-cluster/" + n + ".pid")).trim()));
      assertTrue(Files.size(data.resolve("local-cluster/" + n + ".log")) > 0, n + " logs");
    }
    Run again = run("up");
    assertNotEquals(0, again.exit());
    assertTrue(again.out().contains("already running"), again::toString);

    Http r = new Http("http://127.0.0.1:" + read);
    Http w = new Http("http://127.0.0.1:" + (read + 1));
    // Both readers routed to, alive by their Redis heartbeats (counted once the gateway has seen
    // Redis for a grace of 3 s) and their cluster membership.
    Standalone.waitFor("both readers' heartbeats alive", Duration.ofSeconds(20), () -> {
      JsonNode all = r.get("/_cluster/nodes").json().path("readers");
      int alive = 0;
      for (JsonNode n : all) {
        alive += "alive".equals(n.path("redis_heartbeat").path("state").asText()) ? 1 : 0;
      }
      return alive == 2;
    });
    JsonNode nodes = r.get("/_cluster/nodes").json().path("readers");
    assertEquals(2, nodes.size(), nodes::toString);
    for (JsonNode n : nodes) {
      assertEquals("up", n.path("state").asText(), n::toString);
      assertEquals(prefix + ":reader:" + n.path("node_id").asText(), n.path("redis_heartbeat").path("key").asText());
      assertEquals("present", n.path("member").path("state").asText(), n::toString);
    }

    ok(w.put("/db/_create", "{\"name\": \"shop\"}"));
    ok(w.put("/space/shop/_create", "{\"name\": \"items\", \"partition_num\": 2, \"engine\": {\"retrieval_type\": \"FLAT\", "
        + "\"retrieval_param\": {\"metric_type\": \"L2\"}}, \"properties\": {\"vec\": {\"type\": \"vector\", \"dimension\": 4}}}"));
    StringBuilder bulk = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      bulk.append("{\"index\": {\"_id\": \"d").append(i).append("\"}}\n{\"vec\": {\"feature\": [").append(i).append(", 1, 0, ")
          .append(-i).append("]}}\n");
    }
    assertFalse(ok(w.post("/shop/items/_bulk?refresh=true", bulk.toString())).json().path("errors").asBoolean());
    JsonNode hits = ok(r.post("/shop/items/_search", "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": [7, 1, 0, -7]}]}, "
        + "\"size\": 3}")).json().path("hits").path("hits");
    assertEquals("d7", hits.path(0).path("_id").asText(), hits::toString);
    assertEquals(3, hits.size());

    // An alias built from a PostgreSQL table by a rebuild job, served by both readers.
    vertx = Vertx.vertx();
    pg = PgBuilder.pool().connectingTo(PG).using(vertx).build();
    table = "vg_lc_" + Long.toHexString(System.nanoTime());
    await(pg.query("CREATE TABLE " + table + " (id bigint PRIMARY KEY, vec real[] NOT NULL)").execute());
    await(pg.query("INSERT INTO " + table + " SELECT i, ARRAY[i, 1, 0, -i]::real[] FROM generate_series(1, 200) i").execute());
    String job = ok(w.post("/_jobs/rebuild", "{\"db\": \"shop\", \"alias\": \"catalog\", \"source\": {\"type\": \"postgres\", "
        + "\"uri\": \"" + PG + "\", \"table\": \"" + table + "\"}, \"space\": {\"name\": \"catalog\", \"partition_num\": 2, "
        + "\"partitioner\": \"modulo\", \"engine\": {\"retrieval_type\": \"FLAT\", \"retrieval_param\": {\"metric_type\": \"L2\"}}, "
        + "\"properties\": {\"vec\": {\"type\": \"vector\", \"dimension\": 4}}}, \"checks\": {\"min_count\": 100, "
        + "\"max_drop_percent\": 10}, \"warmup_queries\": 5}")).json().path("job_id").asText();
    JsonNode status = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      status = w.get("/_jobs/" + job).json();
      if (!"running".equals(status.path("state").asText())) {
        break;
      }
      Thread.sleep(200);
    }
    assertEquals("succeeded", status.path("state").asText(), String.valueOf(status));
    assertEquals(2, status.path("readers").asInt(), "both readers warmed it: " + status);
    JsonNode viaAlias = ok(r.post("/shop/catalog/_search", "{\"query\": {\"sum\": [{\"field\": \"vec\", "
        + "\"feature\": [42, 1, 0, -42]}]}, \"size\": 1}")).json().path("hits").path("hits").path(0);
    assertEquals("42", viaAlias.path("_id").asText(), viaAlias::toString);
    assertEquals("catalog_v1", viaAlias.path("_type").asText(), viaAlias::toString);

    Run st = run("status");
    assertEquals(0, st.exit(), st::toString);
    for (String n : List.of("gateway", "writer", "reader-1", "reader-2")) {
      assertTrue(st.out().lines().anyMatch(l -> l.startsWith(n + " ") && l.contains(" ready ")), n + " ready in\n" + st.out());
    }

    Run stopped = run("down");
    assertEquals(0, stopped.exit(), stopped::toString);
    assertFalse(stopped.out().contains("SIGKILL"), "every process stopped on SIGTERM: " + stopped.out());
    for (long pid : pids) {
      // Gone, or a zombie that init has not reaped yet (the script's processes are not the test's children).
      Standalone.waitFor("pid " + pid + " to be gone", Duration.ofSeconds(10), () -> !running(pid));
    }
    assertEquals("0", RedisCli.call(6379, "EXISTS", prefix + ":reader:reader-1", prefix + ":reader:reader-2"),
        "a graceful stop deletes the readers' heartbeat keys");
    assertEquals(3, run("status").exit());
    assertEquals(0, run("down").exit(), "down when nothing runs is fine");
  }
}
