package io.vecgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/vecgate admin} as a user runs it: a standalone service started from the packaged jar
 * with an admin token, and every admin command a separate process joining its Hazelcast cluster as
 * a lite member — token refused and accepted, two rebuilds from a file followed to success,
 * spaces, alias switch and rollback, gc dropping the version nothing needs, nodes, reader warm,
 * compact, and the write endpoint's admin routes behind the Bearer token.
 */
class AdminIT {

  private static final String TOKEN = "it-" + UUID.randomUUID();
  private static final int DIM = 4;

  @TempDir Path tmp;
  private NodeProcess standalone;
  private String clusterName;
  private int clusterPort;

  /** One admin command's outcome. */
  record Run(int exit, String out, String err) {
    JsonNode json() throws IOException {
      return Http.JSON.readTree(out);
    }

    @Override
    public String toString() {
      return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (standalone != null) {
      standalone.close();
    }
  }

  /** {@code bin/vecgate admin <args>} against the test's cluster, with {@code token} in the environment (null: none). */
  Run admin(String token, String... args) throws Exception {
    Path root = Path.of(System.getProperty("vecgate.jar")).toAbsolutePath().getParent().getParent().getParent();
    List<String> cmd = new ArrayList<>(List.of(root.resolve("bin/vecgate").toString(), "admin",
        "--cluster-members", "127.0.0.1:" + clusterPort, "--cluster-name", clusterName,
        "--cluster-port", String.valueOf(clusterPort + 1), "--timeout", "20s"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    // The jar under test as packaged (no rebuild by bin/vecgate), and the class-data archive in the test's directory.
    pb.environment().put("VECGATE_JAR", Path.of(System.getProperty("vecgate.jar")).toAbsolutePath().toString());
    pb.environment().put("VECGATE_ADMIN_CDS", tmp.resolve("admin.jsa").toString());
    pb.environment().remove("VECGATE_ADMIN_TOKEN");
    if (token != null) {
      pb.environment().put("VECGATE_ADMIN_TOKEN", token);
    }
    // Files of their own: two admin commands may run at once.
    long n = System.nanoTime();
    Path out = tmp.resolve("admin-out-" + n + ".txt");
    Path err = tmp.resolve("admin-err-" + n + ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "admin " + String.join(" ", args) + " did not finish");
    Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    System.out.println("AdminIT: admin " + String.join(" ", args) + " -> " + r);
    return r;
  }

  @Test
  void adminCommandsOverTheEventBus() throws Exception {
    clusterName = "it-admin-" + UUID.randomUUID();
    clusterPort = NodeProcess.freeClusterPort();
    int read = NodeProcess.freePort();
    int write = NodeProcess.freePort();
    Path logs = Files.createDirectories(Path.of(System.getProperty("vecgate.jar")).getParent().resolve("it-logs"));
    standalone = NodeProcess.start("standalone", logs, "--data-dir", tmp.resolve("data").toString(),
        "--read-port", String.valueOf(read), "--write-port", String.valueOf(write), "--cluster-name", clusterName,
        "--cluster-port", String.valueOf(clusterPort), "--cluster-members", "127.0.0.1:" + clusterPort,
        "--admin-token", TOKEN, "--refresh-interval", "300ms", "--quiet-period", "500ms", "--flat-below", "100",
        "--log-format", "text");
    Http w = new Http("http://127.0.0.1:" + write);
    Http r = new Http("http://127.0.0.1:" + read);
    Standalone.waitFor("the standalone service to be ready", Duration.ofSeconds(60), () -> {
      try {
        return w.get("/health/ready").status() == 200;
      } catch (RuntimeException notYet) {
        return false;
      }
    });
    assertEquals(200, w.withToken(TOKEN).put("/db/_create", "{\"name\": \"shop\"}").status());
    Path job = job(800);

    // The token: missing (401) and wrong (403) are refused with exit code 1, naming the token.
    Run none = admin(null, "nodes");
    assertEquals(1, none.exit(), none::toString);
    assertTrue(none.err().contains("401 token_required"), none::toString);
    Run wrong = admin("not-the-token", "gc");
    assertEquals(1, wrong.exit(), wrong::toString);
    assertTrue(wrong.err().contains("403 token_invalid"), wrong::toString);

    // Two rebuilds followed to success: one line per phase (not a terminal), the outcome, exit 0.
    Run first = admin(TOKEN, "rebuild", "start", job.toString());
    assertEquals(0, first.exit(), first::toString);
    assertTrue(first.out().contains("phase load"), first::toString);
    assertTrue(first.out().contains("phase switch"), first::toString);
    assertTrue(first.out().contains("succeeded: alias items -> shop/items_v1"), first::toString);
    Run second = admin(TOKEN, "rebuild", "start", job.toString(), "--poll", "200");
    assertEquals(0, second.exit(), second::toString);
    assertTrue(second.out().contains("succeeded: alias items -> shop/items_v2"), second::toString);

    // spaces: both versions, the alias on the newest.
    JsonNode spaces = admin(TOKEN, "spaces", "--json").json();
    assertEquals(List.of("items_v1", "items_v2"), names(spaces.path("spaces")));
    assertEquals("items_v2", spaces.path("aliases").get(0).path("space").asText(), spaces::toString);
    assertEquals(800, spaces.path("spaces").get(1).path("doc_num").asInt(), spaces::toString);

    // alias switch and rollback, seen by the read endpoint.
    Run sw = admin(TOKEN, "alias", "switch", "items", "shop", "items_v1");
    assertEquals(0, sw.exit(), sw::toString);
    assertTrue(sw.out().matches("(?s)ALIAS +SERVING +BUILDING +HISTORY\nitems +shop/items_v1 +- +shop/items_v2\n"), sw::toString);
    assertEquals("items_v1", r.get("/alias/items").json().path("data").path("space").asText());
    Run back = admin(TOKEN, "alias", "rollback", "items");
    assertEquals(0, back.exit(), back::toString);
    assertEquals("items_v2", r.get("/alias/items").json().path("data").path("space").asText());

    // gc: the rollback left items_v1 unwanted (not served, not in the history): the writer drops it.
    Run gc = admin(TOKEN, "gc");
    assertEquals(0, gc.exit(), gc::toString);
    assertTrue(gc.out().contains("writer: dropped shop/items_v1"), gc::toString);
    assertEquals(List.of("items_v2"), names(w.get("/space/shop/_list").json().path("data")));
    Run gcAgain = admin(TOKEN, "gc");
    assertTrue(gcAgain.out().contains("writer: no unused rebuild version"), gcAgain::toString);

    // nodes: the standalone node and its reader, with endpoints, the version served, heap.
    JsonNode nodes = admin(TOKEN, "nodes", "--json").json().path("nodes");
    assertEquals(2, nodes.size(), nodes::toString);
    JsonNode reader = null;
    for (JsonNode n : nodes) {
      assertTrue(n.path("heap_max").asLong() > 0, n::toString);
      if (n.path("role").asText().equals("reader")) {
        reader = n;
      } else {
        assertEquals("standalone", n.path("role").asText(), n::toString);
        assertEquals("http://127.0.0.1:" + read, n.path("endpoints").path("read").asText(), n::toString);
      }
    }
    assertTrue(reader != null, nodes::toString);
    String served = null;
    for (JsonNode v : reader.path("versions")) {
      if (v.asText().startsWith("shop/items_v2@")) {
        served = v.asText();
      }
    }
    assertTrue(served != null, reader::toString);
    assertTrue(reader.path("mapped_bytes").asLong() > 0, reader::toString);

    // reader warm of the served version; an unknown version is refused (404) with exit 1.
    String readerId = reader.path("node_id").asText();
    Run warm = admin(TOKEN, "reader", "warm", readerId, served, "--queries", "10");
    assertEquals(0, warm.exit(), warm::toString);
    assertTrue(warm.out().startsWith(readerId + ": warmed " + served + " with 10 queries"), warm::toString);
    Run missing = admin(TOKEN, "reader", "warm", readerId, "shop/items_v2@999");
    assertEquals(1, missing.exit(), missing::toString);
    assertTrue(missing.err().contains("404 version_not_held"), missing::toString);

    // compact, as _forcemerge.
    Run compact = admin(TOKEN, "compact", "shop", "items_v2");
    assertEquals(0, compact.exit(), compact::toString);
    assertTrue(compact.out().startsWith("shop/items_v2: compacting"), compact::toString);

    // The write endpoint's admin routes need the token as a Bearer token.
    assertEquals(401, w.get("/_jobs").status());
    Http.Reply jobs = bearer(write, "GET", "/_jobs", TOKEN);
    assertEquals(200, jobs.status(), jobs::toString);
    assertEquals(2, jobs.json().path("jobs").size(), jobs::toString);
    assertEquals(403, bearer(write, "GET", "/_jobs", "nope").status());
    assertEquals(401, w.post("/_gc", null).status());

    // backup of the version the alias serves, verified; restore as a new version, the alias moved to it.
    Path bk = tmp.resolve("bk");
    Run backup = admin(TOKEN, "backup", "--db", "shop", "--alias", "items", "--to", bk.toString());
    assertEquals(0, backup.exit(), backup::toString);
    assertTrue(backup.out().startsWith("backed up shop/items_v2@") && backup.out().contains("800 documents")
        && backup.out().endsWith("verified\n"), backup::toString);
    Run restore = admin(TOKEN, "restore", "--from", bk.toString(), "--db", "shop", "--alias", "items");
    assertEquals(0, restore.exit(), restore::toString);
    assertTrue(restore.out().contains("succeeded: alias items -> shop/items_v3"), restore::toString);
    assertEquals(800, w.get("/space/shop/items_v3").json().path("data").path("doc_num").asInt());
    Run copy = admin(TOKEN, "restore", "--from", bk.toString(), "--db", "shop", "--space", "items_copy");
    assertEquals(0, copy.exit(), copy::toString);
    assertTrue(copy.out().startsWith("restored " + bk + " as shop/items_copy@") && copy.out().contains("800 documents"),
        copy::toString);
    Run noName = admin(TOKEN, "restore", "--from", bk.toString(), "--db", "shop");
    assertEquals(2, noName.exit(), noName::toString);
    Run again = admin(TOKEN, "backup", "--db", "shop", "--alias", "items", "--to", bk.toString());
    assertEquals(1, again.exit(), again::toString);
    assertTrue(again.err().contains("is not an empty directory"), again::toString);
  }

  /**
   * A manual switch or rollback waits for the readers: refused (409, naming the reader) while the
   * reader does not serve the target, over HTTP and from {@code admin alias}; {@code --wait} and
   * {@code ?wait=} wait until it does; {@code --force} and {@code ?force=true} switch anyway, and
   * the writer logs a WARNING saying so.
   */
  @Test
  void aliasSwitchAndRollbackWaitForTheReaders() throws Exception {
    clusterName = "it-admin-switch-" + UUID.randomUUID();
    clusterPort = NodeProcess.freeClusterPort();
    int read = NodeProcess.freePort();
    int write = NodeProcess.freePort();
    Path logs = Files.createDirectories(Path.of(System.getProperty("vecgate.jar")).getParent().resolve("it-logs"));
    standalone = NodeProcess.start("standalone", logs, "--data-dir", tmp.resolve("data").toString(),
        "--read-port", String.valueOf(read), "--write-port", String.valueOf(write), "--cluster-name", clusterName,
        "--cluster-port", String.valueOf(clusterPort), "--cluster-members", "127.0.0.1:" + clusterPort,
        "--admin-token", TOKEN, "--refresh-interval", "300ms", "--log-format", "text");
    // The admin token opens every route (this deployment has only that one).
    Http w = new Http("http://127.0.0.1:" + write, TOKEN);
    Http r = new Http("http://127.0.0.1:" + read, TOKEN);
    Standalone.waitFor("the standalone service to be ready", Duration.ofSeconds(60), () -> {
      try {
        return w.get("/health/ready").status() == 200;
      } catch (RuntimeException notYet) {
        return false;
      }
    });
    assertEquals(200, w.put("/db/_create", "{\"name\": \"shop\"}").status());
    String space = "{\"partition_num\": 2, \"engine\": {\"retrieval_type\": \"FLAT\", \"retrieval_param\": "
        + "{\"metric_type\": \"L2\"}}, \"properties\": {\"vec\": {\"type\": \"vector\", \"dimension\": 2}}}";
    for (String name : List.of("a", "b")) {
      assertEquals(200, w.put("/space/shop/_create", "{\"name\": \"" + name + "\", " + space.substring(1)).status());
      assertEquals(201, w.post("/shop/" + name + "/1?refresh=true", "{\"vec\": {\"feature\": [1, 0]}}").status());
    }
    assertEquals(200, w.post("/alias/items/dbs/shop/spaces/a", null).status());
    String readerId = r.get("/_cluster/nodes").json().path("readers").get(0).path("node_id").asText();
    Standalone.waitFor("the reader to serve shop/b", Duration.ofSeconds(20), () -> {
      for (JsonNode n : r.get("/_cluster/nodes").json().path("readers")) {
        if (n.toString().contains("shop/b")) {
          return true;
        }
      }
      return false;
    });
    long bVersion = w.get("/space/shop/b").json().path("data").path("version").asLong();
    String b = "shop/b@" + bVersion;

    // The reader released b: a switch to it is refused, naming the reader, over HTTP and the bus.
    assertEquals(0, admin(TOKEN, "reader", "release", readerId, b).exit());
    Standalone.waitFor("the writer to see the release", Duration.ofSeconds(10),
        () -> w.put("/alias/items/dbs/shop/spaces/b", null).status() == 409);
    Http.Reply refused = w.put("/alias/items/dbs/shop/spaces/b", null);
    assertTrue(refused.body().contains("readers_not_ready_exception") && refused.body().contains("[" + readerId + "]"),
        refused::toString);
    Run cli = admin(TOKEN, "alias", "switch", "items", "shop", "b");
    assertEquals(1, cli.exit(), cli::toString);
    assertTrue(cli.err().contains("409 readers_not_ready_exception") && cli.err().contains(readerId), cli::toString);
    assertEquals("a", r.get("/alias/items").json().path("data").path("space").asText());
    assertEquals(400, w.put("/alias/items/dbs/shop/spaces/b?wait=soon", null).status());
    Http.Reply late = w.put("/alias/items/dbs/shop/spaces/b?wait=500ms", null);
    assertEquals(409, late.status(), late::toString);
    assertTrue(late.body().contains("within 500 ms"), late::toString);

    // --wait: the switch waits until the reader loads b again.
    java.util.concurrent.CompletableFuture<Run> waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return admin(TOKEN, "alias", "switch", "items", "shop", "b", "--wait=60s");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(6000); // the admin process joins the cluster and sends the switch
    assertFalse(waiting.isDone(), "still waiting for the reader");
    assertEquals("a", r.get("/alias/items").json().path("data").path("space").asText());
    assertEquals(0, admin(TOKEN, "reader", "load", readerId, b).exit());
    Run waited = waiting.get(2, TimeUnit.MINUTES);
    assertEquals(0, waited.exit(), waited::toString);
    assertEquals("b", r.get("/alias/items").json().path("data").path("space").asText());

    // ?force=true: a rollback to a released a is made anyway, with a WARNING in the writer's log.
    long aVersion = w.get("/space/shop/a").json().path("data").path("version").asLong();
    assertEquals(0, admin(TOKEN, "reader", "release", readerId, "shop/a@" + aVersion).exit());
    Standalone.waitFor("the writer to see the release", Duration.ofSeconds(10),
        () -> w.post("/alias/items/_rollback", null).status() == 409);
    Http.Reply forced = w.post("/alias/items/_rollback?force=true", null);
    assertEquals(200, forced.status(), forced::toString);
    assertEquals("a", r.get("/alias/items").json().path("data").path("space").asText());
    String log = Files.readString(standalone.log);
    assertTrue(log.contains("rollback of alias items to shop/a forced (force=true) although readers [" + readerId + "]"),
        "the WARNING of the forced rollback is logged");
  }

  private static Http.Reply bearer(int port, String method, String path, String token) throws Exception {
    java.net.http.HttpClient c = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<String> resp = c.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + port + path)).method(method,
            java.net.http.HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + token).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    return new Http.Reply(resp.statusCode(), resp.body(), Http.JSON.readTree(resp.body()));
  }

  private static List<String> names(JsonNode spaces) {
    List<String> out = new ArrayList<>();
    spaces.forEach(s -> out.add(s.path("name").asText()));
    out.sort(null);
    return out;
  }

  /** A rebuild job file reading {@code n} NDJSON documents. */
  private Path job(int n) throws IOException {
    Random rnd = new Random(7);
    StringBuilder docs = new StringBuilder();
    for (int i = 0; i < n; i++) {
      docs.append("{\"_id\": \"d").append(i).append("\", \"price\": ").append(i).append(", \"vec\": {\"feature\": [");
      for (int d = 0; d < DIM; d++) {
        docs.append(d == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", rnd.nextFloat()));
      }
      docs.append("]}}\n");
    }
    Path source = Files.writeString(tmp.resolve("items.ndjson"), docs, StandardCharsets.UTF_8);
    String body = "{\"db\": \"shop\", \"alias\": \"items\", \"source\": {\"type\": \"file\", \"path\": \"" + source
        + "\"}, \"space\": {\"name\": \"items\", \"partition_num\": 2, \"engine\": {\"retrieval_type\": \"IVFFLAT\", "
        + "\"retrieval_param\": {\"metric_type\": \"L2\", \"ncentroids\": 4, \"nprobe\": 4}}, \"properties\": {\"vec\": "
        + "{\"type\": \"vector\", \"dimension\": " + DIM + "}, \"price\": {\"type\": \"float\", \"index\": true}}}, "
        + "\"warmup_queries\": 10}";
    return Files.writeString(tmp.resolve("rebuild.json"), body);
  }
}
