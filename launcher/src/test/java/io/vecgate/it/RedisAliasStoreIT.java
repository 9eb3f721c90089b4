package io.vecgate.it;

import static io.vecgate.it.StandaloneApiIT.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgate.coordination.alias.testkit.RedisServer;
import io.vecgate.it.Http.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/vecgate standalone --alias-store redis://…} as a separate JVM: the alias API end to
 * end with the aliases in Redis (the keys of the design, read back with redis-cli) across a
 * restart of the service; then, on a Redis of the test's own, Redis stopped during searches
 * (searches through the alias go on, alias changes and drops fail at once with 503 naming the
 * store, {@code /health/ready} says degraded) and started again (the service reconnects by itself).
 */
class RedisAliasStoreIT {

  static final String SHARED = "redis://127.0.0.1:6379";

  @TempDir Path tmp;

  /** A standalone process on free ports, its own cluster name, and the given alias store. */
  record Service(NodeProcess process, Http read, Http write) {}

  Service start(Path data, String store, String prefix) throws Exception {
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    int readPort = NodeProcess.freePort();
    int writePort = NodeProcess.freePort();
    NodeProcess p = NodeProcess.start("standalone", logs, "--data-dir", data.toString(), "--read-port",
        String.valueOf(readPort), "--write-port", String.valueOf(writePort), "--cluster-name",
        "it-redis-" + UUID.randomUUID(), "--cluster-port", String.valueOf(NodeProcess.freeClusterPort()),
        "--cluster-members", "127.0.0.1", "--log-format", "text", "--refresh-interval", "200ms",
        "--alias-store", store, "--alias-key-prefix", prefix, "--warmup-queries", "5", "--release-grace", "300ms");
    Service s = new Service(p, new Http("http://127.0.0.1:" + readPort), new Http("http://127.0.0.1:" + writePort));
    Standalone.waitFor("standalone to be ready", Duration.ofSeconds(90), () -> {
      assertTrue(p.alive(), p::death);
      try {
        return s.read.get("/health/ready").status() == 200;
      } catch (RuntimeException notYet) {
        return false;
      }
    });
    return s;
  }

  static void space(Service s, String name, String idPrefix, int n) {
    ok(s.write.put("/space/shop/_create", StandaloneApiIT.spaceBody(name)));
    float[][] v = StandaloneApiIT.vectors(name.hashCode(), n);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append("{\"index\": {\"_id\": \"").append(idPrefix).append(i).append("\"}}\n")
          .append("{\"price\": 1, \"brand\": \"b\", \"stock\": ").append(i).append(", \"vec\": {\"feature\": ")
          .append(StandaloneApiIT.vec(v[i])).append("}}\n");
    }
    Reply b = ok(s.write.post("/shop/" + name + "/_bulk?refresh=true", sb.toString()));
    assertFalse(b.json().path("errors").asBoolean(), b::body);
  }

  static final String ALL = "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": "
      + StandaloneApiIT.vec(new float[StandaloneApiIT.DIM]) + "}]}, \"size\": 100}";

  /** The id prefix of every hit of a search through {@code name} (one letter per space). */
  static String servedBy(Service s, String name) {
    Reply r = ok(s.read.post("/shop/" + name + "/_search", ALL));
    List<String> ids = StandaloneApiIT.ids(r.json());
    assertFalse(ids.isEmpty(), r::body);
    String first = ids.getFirst().substring(0, 1);
    assertTrue(ids.stream().allMatch(id -> id.startsWith(first)), "hits from one space only: " + ids);
    return first;
  }

  @Test
  void standaloneKeepsItsAliasesInRedisAcrossARestart() throws Exception {
    String prefix = "vgit-" + UUID.randomUUID().toString().substring(0, 8);
    Path data = Files.createDirectories(tmp.resolve("data"));
    Service s = start(data, SHARED, prefix);
    try {
      ok(s.write.put("/db/_create", "{\"name\": \"shop\"}"));
      space(s, "items_v1", "a", 30);
      space(s, "items_v2", "b", 40);
      ok(s.write.post("/alias/items/dbs/shop/spaces/items_v1", null));
      assertEquals("a", servedBy(s, "items"));
      assertEquals("shop/items_v1", redis("GET", prefix + ":alias:items"));

      Reply switched = ok(s.write.put("/alias/items/dbs/shop/spaces/items_v2", null));
      assertEquals("items_v2", switched.json().path("data").path("space").asText());
      assertEquals("b", servedBy(s, "items"), "the answer comes once the gateway resolves the new target");
      assertEquals("shop/items_v2", redis("GET", prefix + ":alias:items"));
      assertEquals("shop/items_v1", redis("LINDEX", prefix + ":alias:items:history", "0"));
      assertEquals(200, s.read.get("/shop/items/b3").status());
      assertEquals(404, s.read.get("/shop/items/a3").status());

      assertEquals("items_v1", ok(s.write.post("/alias/items/_rollback", null)).json().path("data").path("space").asText());
      assertEquals("a", servedBy(s, "items"));
      ok(s.write.put("/alias/items/dbs/shop/spaces/items_v2", null));
      ok(s.write.post("/alias/spare/dbs/shop/spaces/items_v1", null));
      assertEquals(2, ok(s.read.get("/alias")).json().path("data").size());
      ok(s.write.delete("/alias/spare"));
      assertEquals("", redis("GET", prefix + ":alias:spare"));
      assertEquals(409, s.write.post("/alias/items/dbs/shop/spaces/items_v1", null).status());
      assertEquals(404, s.write.put("/alias/nope/dbs/shop/spaces/items_v1", null).status());

      // Restart: the aliases come back from Redis (the writer keeps no copy of them in this mode).
      assertTrue(List.of(0, 143).contains(s.process().stop()), "graceful stop; see " + s.process().log);
      assertFalse(Files.exists(data.resolve("aliases.json")));
      s = start(data, SHARED, prefix);
      JsonNode items = ok(s.read.get("/alias/items")).json().path("data");
      assertEquals("items_v2", items.path("space").asText(), items::toString);
      assertEquals("items_v1", items.path("history").get(0).path("space").asText(), items::toString);
      // Ready means the reader of the process serves the versions it found: the first search answers in full.
      Reply first = s.read.post("/shop/items/_search", ALL);
      assertEquals(200, first.status(), first::body);
      assertEquals(40, first.json().path("hits").path("total").asInt(), first::body);
      assertEquals("b", servedBy(s, "items"));
      // Dropping the space an alias serves deletes the alias, in Redis too.
      Reply dropped = ok(s.write.delete("/space/shop/items_v2"));
      assertEquals("items", dropped.json().path("data").path("aliases_deleted").get(0).asText(), dropped::body);
      assertEquals("", redis("GET", prefix + ":alias:items"));
      assertEquals(404, s.read.get("/alias/items").status());
    } finally {
      s.process().close();
      for (String k : redis("--scan", "--pattern", prefix + ":*").split("\n")) {
        if (!k.isBlank()) {
          redis("DEL", k.trim());
        }
      }
    }
  }

  @Test
  void redisStoppedDuringSearchesAndStartedAgain() throws Exception {
    Path redisDir = Files.createDirectories(tmp.resolve("redis"));
    try (RedisServer redis = RedisServer.start(redisDir, true)) {
      Path data = Files.createDirectories(tmp.resolve("data"));
      Service s = start(data, redis.uri(), "vecgate");
      try {
        ok(s.write.put("/db/_create", "{\"name\": \"shop\"}"));
        space(s, "items_v1", "a", 30);
        space(s, "items_v2", "b", 40);
        ok(s.write.post("/alias/items/dbs/shop/spaces/items_v1", null));
        assertEquals("ready", ok(s.read.get("/health/ready")).json().path("status").asText());

        redis.stop();
        Standalone.waitFor("the service to say degraded", Duration.ofSeconds(20),
            () -> "degraded".equals(s.read.get("/health/ready").json().path("status").asText()));
        Reply health = s.read.get("/health/ready");
        assertEquals(200, health.status(), "degraded still takes traffic");
        assertTrue(health.json().path("detail").asText().contains(redis.uri()), health::body);
        // Searches through the alias go on with the cached aliases, none fails.
        for (int i = 0; i < 50; i++) {
          assertEquals("a", servedBy(s, "items"));
        }
        assertEquals("items_v1", ok(s.read.get("/alias/items")).json().path("data").path("space").asText());
        // Changes fail at once, naming the store; nothing changes.
        long t0 = System.nanoTime();
        Reply refused = s.write.put("/alias/items/dbs/shop/spaces/items_v2", null);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(503, refused.status(), refused::body);
        assertEquals("alias_store_unavailable_exception", refused.json().path("error").path("type").asText());
        assertTrue(refused.json().path("error").path("reason").asText().contains(redis.uri()), refused::body);
        assertTrue(millis < 2000, "refused at once, not after a timeout: " + millis + " ms");
        assertEquals(503, s.write.post("/alias/other/dbs/shop/spaces/items_v2", null).status());
        Reply drop = s.write.delete("/space/shop/items_v1");
        assertEquals(503, drop.status(), "a drop would leave the alias pointing at nothing: " + drop.body());
        assertEquals(200, s.read.get("/space/shop/items_v1").status());
        assertEquals("a", servedBy(s, "items"));

        redis.start();
        Standalone.waitFor("the service to reconnect", Duration.ofSeconds(30),
            () -> "ready".equals(s.read.get("/health/ready").json().path("status").asText()));
        ok(s.write.put("/alias/items/dbs/shop/spaces/items_v2", null));
        assertEquals("b", servedBy(s, "items"));
        assertTrue(log(s).contains("reconnected"), "the reconnect is logged; see " + s.process().log);
      } finally {
        s.process().close();
      }
    }
  }

  static String log(Service s) throws IOException {
    return Files.readString(s.process().log, StandardCharsets.UTF_8);
  }

  static String redis(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", "6379", "--raw"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }
}
