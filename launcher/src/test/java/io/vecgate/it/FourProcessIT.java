package io.vecgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgate.it.Http.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distributed layout on one machine: a gateway, a writer and two readers as four JVMs that
 * join through Hazelcast on loopback and share one data directory. Writes through the gateway
 * reach both readers; a writer killed with kill -9 after acknowledging writes loses none of them.
 */
class FourProcessIT {

  @TempDir Path tmp;

  @Test
  void gatewayWriterAndTwoReadersServeTheApiAndSurviveAWriterKill() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    String cluster = "it-" + ProcessHandle.current().pid();
    int clusterPort = 5801;
    int readPort = NodeProcess.freePort();
    int writePort = NodeProcess.freePort();
    String[] common = {"--data-dir", data.toString(), "--cluster-name", cluster, "--cluster-port", String.valueOf(clusterPort),
        "--cluster-members", "127.0.0.1", "--log-format", "text"};
    List<NodeProcess> nodes = new ArrayList<>();
    List<Http> nodeEndpoints = new ArrayList<>();
    try {
      int writerHttp = NodeProcess.freePort();
      nodeEndpoints.add(new Http("http://127.0.0.1:" + writerHttp));
      NodeProcess writer = NodeProcess.start("writer", logs, concat(common, "--http-port", String.valueOf(writerHttp),
          "--refresh-interval", "300ms", "--node-id", "writer-it"));
      nodes.add(writer);
      for (int i = 1; i <= 2; i++) {
        int readerHttp = NodeProcess.freePort();
        nodeEndpoints.add(new Http("http://127.0.0.1:" + readerHttp));
        nodes.add(NodeProcess.start("reader", logs, concat(common, "--http-port", String.valueOf(readerHttp),
            "--node-id", "reader-" + i, "--warmup-queries", "5", "--release-grace", "500ms")));
      }
      nodes.add(NodeProcess.start("gateway", logs, concat(common, "--read-port", String.valueOf(readPort),
          "--write-port", String.valueOf(writePort), "--node-id", "gateway-it")));
      Http read = new Http("http://127.0.0.1:" + readPort);
      Http write = new Http("http://127.0.0.1:" + writePort);
      Standalone.waitFor("the gateway to see the writer's catalog", Duration.ofSeconds(90), () -> {
        try {
          return read.get("/health/ready").status() == 200;
        } catch (RuntimeException notYet) {
          return false;
        }
      });

      float[][] v = StandaloneApiIT.vectors(3, StandaloneApiIT.N);
      StandaloneApiIT.ok(write.put("/db/_create", "{\"name\": \"shop\"}"));
      StandaloneApiIT.ok(write.put("/space/shop/_create", StandaloneApiIT.spaceBody("items")));
      Reply b = StandaloneApiIT.ok(write.post("/shop/items/_bulk", StandaloneApiIT.bulk(v, 0, 200)));
      assertFalse(b.json().path("errors").asBoolean(), b::body);
      awaitCount(read, 200);
      Standalone.waitFor("both readers to hold the space", Duration.ofSeconds(30), () -> {
        JsonNode readers = read.get("/_cluster/nodes").json().path("readers");
        int holding = 0;
        for (JsonNode r : readers) {
          for (JsonNode ver : r.path("versions")) {
            holding += ver.asText().startsWith("shop/items@") ? 1 : 0;
          }
        }
        return readers.size() == 2 && holding >= 2;
      });
      // Searches spread over both readers and all answer exactly.
      float[] q = StandaloneApiIT.vectors(11, 1)[0];
      String search = "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": " + StandaloneApiIT.vec(q)
          + "}]}, \"size\": 10, \"online_log_level\": \"debug\"}";
      List<String> expected = StandaloneApiIT.bruteForce(java.util.Arrays.copyOf(v, 200), q, 10, i -> true);
      for (int i = 0; i < 20; i++) {
        Reply r = StandaloneApiIT.ok(read.post("/shop/items/_search", search));
        assertEquals(expected, StandaloneApiIT.ids(r.json()), r::body);
      }
      // An alias made through the writer process is in the cluster's alias table: the gateway process resolves it.
      StandaloneApiIT.ok(write.post("/alias/live/dbs/shop/spaces/items", null));
      assertEquals(expected, StandaloneApiIT.ids(StandaloneApiIT.ok(read.post("/shop/live/_search", search)).json()));

      // 100 more documents acknowledged, then the writer dies before it could seal them.
      Reply more = StandaloneApiIT.ok(write.post("/shop/items/_bulk", StandaloneApiIT.bulk(v, 200, 300)));
      assertFalse(more.json().path("errors").asBoolean(), more::body);
      writer.kill();
      writer.restart();
      awaitCount(read, 300);
      Set<String> ids = new HashSet<>();
      for (int i = 200; i < 300; i++) {
        Reply d = read.get("/shop/items/d" + i);
        assertEquals(200, d.status(), d::body);
        ids.add(d.json().path("_id").asText());
      }
      assertEquals(100, ids.size());

      // The alias outlived the writer (the other members kept the table); the restarted writer switches it.
      assertEquals("items", StandaloneApiIT.ok(read.get("/alias/live")).json().path("data").path("space").asText());
      StandaloneApiIT.ok(write.put("/space/shop/_create", StandaloneApiIT.spaceBody("items2")));
      Reply switched = StandaloneApiIT.ok(write.put("/alias/live/dbs/shop/spaces/items2", null));
      assertEquals("items", switched.json().path("data").path("history").get(0).path("space").asText(), switched::body);
      assertEquals("items2", StandaloneApiIT.ok(read.get("/alias/live")).json().path("data").path("space").asText());
      assertTrue(Files.readString(data.resolve("aliases.json")).contains("shop/items2"), "the writer's copy of the aliases");

      for (NodeProcess n : nodes) {
        assertTrue(n.alive(), n::death);
      }
      // Every node serves its health and Prometheus metrics.
      for (Http node : nodeEndpoints) {
        Standalone.waitFor("a node to be ready", Duration.ofSeconds(30), () -> node.get("/health/ready").status() == 200);
        assertEquals(200, node.get("/health/live").status());
        assertTrue(node.get("/metrics").body().contains("jvm_memory_used_bytes"));
      }
      // The restarted writer has answered nothing yet, maybe: ask it something first.
      StandaloneApiIT.ok(write.get("/space/shop/items"));
      assertTrue(nodeEndpoints.get(0).get("/metrics").body().contains("vecgate_writer_requests_total{op=\"space.get\""));
      assertTrue(read.get("/metrics").body().contains("vecgate_search_seconds_count"));
      // Graceful stop: SIGTERM runs the shutdown hook (finish in-flight work, leave the cluster) and the JVM
      // exits with 143 (128 + SIGTERM) rather than being killed after the 60 s grace.
      for (int i = nodes.size() - 1; i >= 0; i--) {
        NodeProcess n = nodes.get(i);
        int code = n.stop();
        assertTrue(code == 143 || code == 0, n.role + " exited with " + code + "; see " + n.log);
      }
    } finally {
      for (NodeProcess n : nodes) {
        n.close();
      }
    }
  }

  static void awaitCount(Http read, int count) throws InterruptedException {
    String body = "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": " + StandaloneApiIT.vec(new float[StandaloneApiIT.DIM])
        + "}]}, \"size\": 1000}";
    Standalone.waitFor(count + " documents searchable", Duration.ofSeconds(60), () -> {
      Reply r = read.post("/shop/items/_search", body);
      return r.status() == 200 && r.json().path("hits").path("total").asInt() == count;
    });
  }

  static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
