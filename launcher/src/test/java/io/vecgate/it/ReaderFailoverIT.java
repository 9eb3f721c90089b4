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
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover under load, with real processes: a standalone node (gateway, writer and a reader the
 * gateway reaches over gRPC) and a second reader process. While three clients search through the
 * gateway, the second reader is killed with kill -9: no search fails (calls lost with it are
 * retried on the other reader), the gateway evicts it within two heartbeats (long before its
 * state messages would expire), and once restarted on the same port it is reconnected, taken
 * back and searched again.
 */
class ReaderFailoverIT {

  static final int INTERVAL_MS = 400;
  static final int TIMEOUT_MS = 300;
  static final int CLIENTS = 3;

  /** Kept when the test fails: the nodes' logs are in {@code logs/}. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path tmp;

  @Test
  void aReaderKilledUnderLoadCostsNoSearchIsEvictedWithinTwoHeartbeatsAndIsUsedAgainAfterItsRestart() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    int readPort = NodeProcess.freePort();
    int writePort = NodeProcess.freePort();
    int readerGrpc = NodeProcess.freePort();
    String[] common = {"--data-dir", data.toString(), "--cluster-name", "failover-" + ProcessHandle.current().pid(),
        "--cluster-port", "5851", "--cluster-members", "127.0.0.1", "--log-format", "text"};
    List<NodeProcess> nodes = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> clients = new ArrayList<>();
    long t0 = System.nanoTime();
    try {
      nodes.add(NodeProcess.start("standalone", logs, FourProcessIT.concat(common, "--node-id", "sa",
          "--read-port", String.valueOf(readPort), "--write-port", String.valueOf(writePort),
          "--in-process-readers", "false", "--heartbeat-interval", INTERVAL_MS + "ms",
          "--heartbeat-timeout", TIMEOUT_MS + "ms", "--refresh-interval", "300ms", "--warmup-queries", "5",
          "--release-grace", "500ms")));
      String[] readerArgs = FourProcessIT.concat(common, "--node-id", "reader-b", "--grpc-port", String.valueOf(readerGrpc),
          "--http-port", String.valueOf(NodeProcess.freePort()), "--warmup-queries", "5", "--release-grace", "500ms");
      NodeProcess readerB = NodeProcess.start("reader", logs, readerArgs);
      nodes.add(readerB);
      Http read = new Http("http://127.0.0.1:" + readPort);
      Http write = new Http("http://127.0.0.1:" + writePort);
      Standalone.waitFor("the gateway to be ready", Duration.ofSeconds(90), () -> {
        try {
          return read.get("/health/ready").status() == 200;
        } catch (RuntimeException notYet) {
          return false;
        }
      });

      phase(t0, "gateway ready");
      float[][] v = StandaloneApiIT.vectors(21, StandaloneApiIT.N);
      StandaloneApiIT.ok(write.put("/db/_create", "{\"name\": \"shop\"}"));
      StandaloneApiIT.ok(write.put("/space/shop/_create", StandaloneApiIT.spaceBody("items")));
      assertFalse(StandaloneApiIT.ok(write.post("/shop/items/_bulk", StandaloneApiIT.bulk(v, 0, StandaloneApiIT.N)))
          .json().path("errors").asBoolean());
      FourProcessIT.awaitCount(read, StandaloneApiIT.N);
      Standalone.waitFor("both readers up and holding the space", Duration.ofSeconds(60),
          () -> up(read, "sa-reader") && up(read, "reader-b"));

      phase(t0, "both readers serve the space");
      // Three clients search, each with a 5 ms pause between searches (a bounded load that leaves
      // the 2-core machine room to restart a JVM); every answer must be right.
      float[][] queries = StandaloneApiIT.vectors(22, 16);
      List<List<String>> expected = new ArrayList<>();
      for (float[] q : queries) {
        expected.add(StandaloneApiIT.bruteForce(v, q, 10, i -> true));
      }
      AtomicLong ok = new AtomicLong();
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      for (int c = 0; c < CLIENTS; c++) {
        int seed = c;
        clients.add(Thread.ofPlatform().start(() -> {
          Http http = new Http("http://127.0.0.1:" + readPort);
          for (int i = seed; !stop.get(); i++) {
            int qi = i % queries.length;
            try {
              Reply r = http.post("/shop/items/_search", "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": "
                  + StandaloneApiIT.vec(queries[qi]) + "}]}, \"size\": 10}");
              if (r.status() != 200 || !expected.get(qi).equals(StandaloneApiIT.ids(r.json()))) {
                failures.add(r.toString());
              } else {
                ok.incrementAndGet();
              }
            } catch (RuntimeException e) {
              failures.add(e.toString());
            }
            try {
              Thread.sleep(5);
            } catch (InterruptedException e) {
              return;
            }
          }
        }));
      }
      Standalone.waitFor("reader-b to answer searches", Duration.ofSeconds(20), () -> succeeded(read, "reader-b") > 0);

      phase(t0, "load running, reader-b answering");
      JsonNode before = reader(read, "reader-b").path("heartbeat");
      readerB.kill();
      long killedAt = System.nanoTime();
      Standalone.waitFor("reader-b to be evicted", Duration.ofSeconds(10),
          () -> "evicted".equals(reader(read, "reader-b").path("state").asText()));
      long seenAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      JsonNode hb = reader(read, "reader-b").path("heartbeat");
      long silentMs = hb.path("last_eviction_after_silent_ms").asLong();
      // Evicted by the gateway's own clock within two heartbeat rounds of its last answer (the
      // second round's pings bounded by the timeout), with slack for a busy 2-core machine; the
      // state-message expiry (3 s) plays no part.
      assertTrue(silentMs <= 2L * INTERVAL_MS + TIMEOUT_MS + 500, "evicted after " + silentMs + " ms of silence; " + hb);
      assertEquals(before.path("evictions").asInt() + 1, hb.path("evictions").asInt(), hb::toString);
      System.out.println("ReaderFailoverIT: reader-b evicted " + silentMs + " ms after its last answer; seen by the test "
          + seenAfterMs + " ms after the kill");

      TimeUnit.MILLISECONDS.sleep(1000); // load on the one reader left
      long beforeRestart = succeeded(read, "reader-b");
      readerB.restart();
      phase(t0, "reader-b restarted");
      Standalone.waitFor("the restarted reader-b to answer searches again", Duration.ofSeconds(60),
          () -> up(read, "reader-b") && succeeded(read, "reader-b") > beforeRestart);
      phase(t0, "reader-b answers again");
      TimeUnit.MILLISECONDS.sleep(300);
      stop.set(true);
      for (Thread t : clients) {
        t.join(TimeUnit.SECONDS.toMillis(60));
      }

      String nodesJson = read.get("/_cluster/nodes").body();
      System.out.println("ReaderFailoverIT: " + ok.get() + " searches answered, " + failures.size() + " failed; "
          + retries(read) + "; nodes " + nodesJson);
      assertTrue(failures.isEmpty(), () -> failures.size() + " searches failed, e.g. " + failures.peek());
      assertTrue(ok.get() > 0);
      // Counted in /_cluster/nodes and in the gateway's Prometheus meters alike. (Before the kill
      // both should be 0; a busy machine may make heartbeats late, so compare to then.)
      JsonNode b = reader(read, "reader-b").path("heartbeat");
      assertTrue(b.path("evictions").asInt() >= before.path("evictions").asInt() + 1, b::toString);
      assertTrue(b.path("returns").asInt() >= before.path("returns").asInt() + 1, b::toString);
      String metrics = read.get("/metrics").body();
      assertEquals(b.path("evictions").asDouble(), counter(metrics, "vecgate_reader_evictions_total\\{reader=\"reader-b\"\\}"), 0.0);
      assertEquals(b.path("returns").asDouble(), counter(metrics, "vecgate_reader_returns_total\\{reader=\"reader-b\"\\}"), 0.0);
      assertEquals(0.0, counter(metrics, "vecgate_reader_evictions_total\\{reader=\"sa-reader\"\\}"), 0.0);
      for (NodeProcess n : nodes) {
        assertTrue(n.alive(), n::death);
      }
    } finally {
      stop.set(true);
      for (Thread t : clients) {
        t.join(TimeUnit.SECONDS.toMillis(60));
      }
      for (NodeProcess n : nodes) {
        n.close();
      }
    }
  }

  private static void phase(long t0, String what) {
    System.out.println("ReaderFailoverIT: " + what + " at " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
  }

  static JsonNode reader(Http read, String nodeId) {
    for (JsonNode r : read.get("/_cluster/nodes").json().path("readers")) {
      if (r.path("node_id").asText().equals(nodeId)) {
        return r;
      }
    }
    return Http.JSON.createObjectNode();
  }

  static boolean up(Http read, String nodeId) {
    JsonNode r = reader(read, nodeId);
    if (!"up".equals(r.path("state").asText())) {
      return false;
    }
    for (JsonNode v : r.path("versions")) {
      if (v.asText().startsWith("shop/items@")) {
        return true;
      }
    }
    return false;
  }

  static long succeeded(Http read, String nodeId) {
    return reader(read, nodeId).path("queue").path("succeeded").asLong();
  }

  static String retries(Http read) {
    String metrics = read.get("/metrics").body();
    return "retries ok " + counter(metrics, "vecgate_search_retries_total\\{outcome=\"ok\"\\}") + ", failed "
        + counter(metrics, "vecgate_search_retries_total\\{outcome=\"failed\"\\}");
  }

  /** The value of a Prometheus sample, 0 when absent. */
  static double counter(String metrics, String nameAndLabels) {
    Matcher m = Pattern.compile("(?m)^" + nameAndLabels + " ([0-9.eE+-]+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
  }
}
