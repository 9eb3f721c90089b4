package io.vecgate.it;

import static io.vecgate.it.StandaloneApiIT.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgate.coordination.alias.testkit.RedisServer;
import io.vecgate.it.Http.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reader liveness with real processes, a real Redis (the test's own, so that it may stop it) and
 * Hazelcast: a standalone node (gateway, writer, and a reader it reaches over gRPC) and a second
 * reader process, both writing Redis heartbeats.
 * <ol>
 *   <li>Redis stopped under search load: the heartbeats are ignored (degraded, said in
 *       {@code /health/ready}), both readers keep answering, no search fails; Redis back: they
 *       count again.</li>
 *   <li>The second reader paused (SIGSTOP: it answers nothing, but its connections and its cluster
 *       membership stay): its heartbeat key expires and no search goes to it; resumed, it is used
 *       again.</li>
 *   <li>The second reader killed with kill -9 under search load: its cluster member is seen leaving
 *       within seconds, no search fails.</li>
 * </ol>
 */
class ReaderLivenessIT {

  static final int CLIENTS = 2;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path tmp;

  /** Searches from {@link #CLIENTS} threads, each answer checked against brute force. */
  static final class Load implements AutoCloseable {
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong ok = new AtomicLong();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    final List<Thread> threads = new ArrayList<>();

    Load(int readPort, float[][] queries, List<List<String>> expected) {
      for (int c = 0; c < CLIENTS; c++) {
        int seed = c;
        threads.add(Thread.ofPlatform().start(() -> {
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
              Thread.sleep(5);
            } catch (InterruptedException e) {
              return;
            } catch (RuntimeException e) {
              failures.add(e.toString());
            }
          }
        }));
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(60));
      }
      assertTrue(failures.isEmpty(), () -> failures.size() + " searches failed, e.g. " + failures.peek());
      assertTrue(ok.get() > 0, "no search answered");
    }
  }

  @Test
  void redisDownRoutesOnAPausedReadersKeyExpiresAKilledReadersMemberLeaves() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    String prefix = "vgit-live-" + UUID.randomUUID().toString().substring(0, 8);
    int readPort = NodeProcess.freePort();
    int writePort = NodeProcess.freePort();
    List<NodeProcess> nodes = new ArrayList<>();
    try (RedisServer redis = RedisServer.start(Files.createDirectories(tmp.resolve("redis")), true)) {
      String[] common = {"--data-dir", data.toString(), "--cluster-name", "it-live-" + UUID.randomUUID(),
          "--cluster-port", String.valueOf(NodeProcess.freeClusterPort()),
          "--cluster-members", "127.0.0.1", "--log-format", "text", "--alias-store", redis.uri(),
          "--alias-key-prefix", prefix, "--warmup-queries", "5", "--release-grace", "500ms"};
      nodes.add(NodeProcess.start("standalone", logs, FourProcessIT.concat(common, "--node-id", "sa",
          "--read-port", String.valueOf(readPort), "--write-port", String.valueOf(writePort),
          "--in-process-readers", "false", "--refresh-interval", "300ms", "--search-timeout", "10s")));
      NodeProcess readerB = NodeProcess.start("reader", logs, FourProcessIT.concat(common, "--node-id", "reader-b",
          "--http-port", String.valueOf(NodeProcess.freePort()), "--redis-heartbeat-ttl", "1s"));
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
      float[][] v = StandaloneApiIT.vectors(31, StandaloneApiIT.N);
      ok(write.put("/db/_create", "{\"name\": \"shop\"}"));
      ok(write.put("/space/shop/_create", StandaloneApiIT.spaceBody("items")));
      assertFalse(ok(write.post("/shop/items/_bulk", StandaloneApiIT.bulk(v, 0, StandaloneApiIT.N))).json()
          .path("errors").asBoolean());
      FourProcessIT.awaitCount(read, StandaloneApiIT.N);
      Standalone.waitFor("both readers up, holding the space, their heartbeats alive", Duration.ofSeconds(60),
          () -> ReaderFailoverIT.up(read, "sa-reader") && ReaderFailoverIT.up(read, "reader-b")
              && "alive".equals(heartbeat(read, "sa-reader")) && "alive".equals(heartbeat(read, "reader-b")));
      float[][] queries = StandaloneApiIT.vectors(32, 16);
      List<List<String>> expected = new ArrayList<>();
      for (float[] q : queries) {
        expected.add(StandaloneApiIT.bruteForce(v, q, 10, i -> true));
      }

      // 1. Redis stopped under load: heartbeats ignored, both readers still used, nothing fails.
      try (Load load = new Load(readPort, queries, expected)) {
        Standalone.waitFor("both readers to answer", Duration.ofSeconds(20),
            () -> ReaderFailoverIT.succeeded(read, "sa-reader") > 0 && ReaderFailoverIT.succeeded(read, "reader-b") > 0);
        redis.stop();
        Standalone.waitFor("the gateway to ignore the heartbeats", Duration.ofSeconds(15),
            () -> read.get("/health/ready").body().contains("ignored: unreachable"));
        JsonNode ready = read.get("/health/ready").json();
        assertEquals("degraded", ready.path("status").asText(), ready::toString);
        long a = ReaderFailoverIT.succeeded(read, "sa-reader");
        long b = ReaderFailoverIT.succeeded(read, "reader-b");
        Thread.sleep(2500); // longer than reader-b's 1 s TTL: no key can be read, none is held against it
        assertTrue(ReaderFailoverIT.succeeded(read, "sa-reader") > a && ReaderFailoverIT.succeeded(read, "reader-b") > b,
            "both readers kept answering while Redis was down: " + read.get("/_cluster/nodes").body());
        assertEquals(200, read.get("/health/ready").status());
        redis.start();
        Standalone.waitFor("the heartbeats to count again", Duration.ofSeconds(30),
            () -> "alive".equals(heartbeat(read, "sa-reader")) && "alive".equals(heartbeat(read, "reader-b"))
                && "ready".equals(read.get("/health/ready").json().path("status").asText()));
        System.out.println("ReaderLivenessIT: Redis down and back: " + load.ok.get() + " searches, "
            + load.failures.size() + " failed");
      }

      // 2. reader-b paused: its key expires (1 s TTL) and searches avoid it; resumed, it is back.
      long pausedAt = System.nanoTime();
      signal("STOP", readerB.pid());
      try {
        Standalone.waitFor("reader-b's heartbeat key to expire", Duration.ofSeconds(10),
            () -> "expired".equals(heartbeat(read, "reader-b")));
        System.out.println("ReaderLivenessIT: paused reader-b's heartbeat seen expired after "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pausedAt) + " ms");
        assertEquals("present", ReaderFailoverIT.reader(read, "reader-b").path("member").path("state").asText(),
            "still a cluster member: only the heartbeat says it is gone");
        long admitted = ReaderFailoverIT.reader(read, "reader-b").path("queue").path("admitted").asLong();
        for (int i = 0; i < 20; i++) {
          Reply r = read.post("/shop/items/_search", "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": "
              + StandaloneApiIT.vec(queries[i % queries.length]) + "}]}, \"size\": 10}");
          assertEquals(expected.get(i % queries.length), StandaloneApiIT.ids(ok(r).json()));
        }
        assertEquals(admitted, ReaderFailoverIT.reader(read, "reader-b").path("queue").path("admitted").asLong(),
            "no search went to the paused reader");
      } finally {
        signal("CONT", readerB.pid());
      }
      Standalone.waitFor("reader-b to be used again", Duration.ofSeconds(30),
          () -> "alive".equals(heartbeat(read, "reader-b")) && ReaderFailoverIT.up(read, "reader-b"));

      // 3. reader-b killed under load: its cluster member is gone within seconds, no search fails.
      try (Load load = new Load(readPort, queries, expected)) {
        Standalone.waitFor("reader-b to answer", Duration.ofSeconds(20),
            () -> ReaderFailoverIT.succeeded(read, "reader-b") > 0);
        readerB.kill();
        long killedAt = System.nanoTime();
        Standalone.waitFor("reader-b's member to leave", Duration.ofSeconds(10),
            () -> "left".equals(ReaderFailoverIT.reader(read, "reader-b").path("member").path("state").asText()));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        System.out.println("ReaderLivenessIT: killed reader-b's member seen leaving after " + ms + " ms");
        // Sooner than its state messages would expire (3 s); slack for a loaded 2-core machine.
        assertTrue(ms < 5000, "member left seen after " + ms + " ms");
        Thread.sleep(1000);
        System.out.println("ReaderLivenessIT: kill -9: " + load.ok.get() + " searches, " + load.failures.size() + " failed");
      }
      for (NodeProcess n : nodes.subList(0, 1)) {
        assertTrue(n.alive(), n::death);
      }
    } finally {
      for (NodeProcess n : nodes) {
        n.close();
      }
    }
  }

  static String heartbeat(Http read, String nodeId) {
    return ReaderFailoverIT.reader(read, nodeId).path("redis_heartbeat").path("state").asText();
  }

  static void signal(String sig, long pid) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + sig, String.valueOf(pid)).inheritIO().start();
    assertEquals(0, p.waitFor(), "kill -" + sig + " " + pid);
  }
}
