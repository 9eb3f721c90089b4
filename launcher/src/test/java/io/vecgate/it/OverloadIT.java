package io.vecgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgate.gateway.GatewayConfig;
import io.vecgate.gateway.readers.RoutingConfig;
import io.vecgate.writer.WriterConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An overloaded gateway sheds load instead of queueing it: with a queue of one outstanding
 * request per reader and many concurrent clients, every search is answered quickly, either 200
 * or 429 with {@code Retry-After} and a JSON error naming the limit (503 only when no reader can
 * take it), never a timeout or another 5xx; and every request admitted to the reader is accounted
 * for.
 */
class OverloadIT {

  static final int CLIENTS = 24;
  static final long LOAD_MILLIS = 3_000;
  static final int NQ = 64;

  @TempDir Path data;

  /** One answer as a client saw it. */
  record Answer(int status, long millis, String retryAfter, String body) {}

  @Test
  void aTinyQueueLimitAnswers429WithRetryAfterQuicklyInsteadOfQueueing() throws Exception {
    float[][] v = StandaloneApiIT.vectors(7, StandaloneApiIT.N);
    GatewayConfig gc = GatewayConfig.defaults().withRouting(RoutingConfig.defaults().withMaxOutstandingPerReader(1));
    WriterConfig wc = new WriterConfig(data, Duration.ofMillis(200), 100_000, 3, 4, 64L << 20, 10_000);
    try (Standalone s = Standalone.start(wc, List.of(List.of()), gc)) {
      StandaloneApiIT.setUp(s, v);
      StandaloneApiIT.awaitCount(s, "items", StandaloneApiIT.N);
      // NQ query vectors per search, so that a search keeps the reader busy for a while.
      float[][] queries = StandaloneApiIT.vectors(8, NQ);
      StringBuilder feature = new StringBuilder("[");
      for (float[] q : queries) {
        String one = StandaloneApiIT.vec(q);
        feature.append(feature.length() == 1 ? "" : ",").append(one, 1, one.length() - 1);
      }
      String body = "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": " + feature.append(']')
          + "}]}, \"size\": 10}";
      List<String> expectedFirst = StandaloneApiIT.bruteForce(v, queries[0], 10, i -> true);
      URI uri = URI.create("http://127.0.0.1:" + s.gateway.readPort() + "/shop/items/_search");

      ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOAD_MILLIS);
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        clients.add(Thread.ofPlatform().start(() -> {
          try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            while (System.nanoTime() < end) {
              long t0 = System.nanoTime();
              HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                  .POST(HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json").build(),
                  HttpResponse.BodyHandlers.ofString());
              answers.add(new Answer(r.statusCode(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                  r.headers().firstValue("retry-after").orElse(null), r.body()));
              if (r.statusCode() == 200) {
                JsonNode first = Http.JSON.readTree(r.body()).get(0); // nq > 1: one answer per query
                if (!expectedFirst.equals(StandaloneApiIT.ids(first))) {
                  wrong.add(r.body());
                }
              }
            }
          } catch (Exception e) {
            wrong.add("client failed: " + e);
          }
        }));
      }
      for (Thread t : clients) {
        t.join(TimeUnit.SECONDS.toMillis(90));
      }

      Map<Integer, Integer> byStatus = new TreeMap<>();
      long slowest = 0;
      long slowest429 = 0;
      for (Answer a : answers) {
        byStatus.merge(a.status(), 1, Integer::sum);
        slowest = Math.max(slowest, a.millis());
        assertTrue(a.status() == 200 || a.status() == 429 || a.status() == 503, () -> "unexpected " + a);
        if (a.status() != 200) {
          assertEquals("1", a.retryAfter(), () -> "Retry-After of " + a);
          JsonNode error = Http.JSON.readTree(a.body()).path("error");
          if (a.status() == 429) {
            slowest429 = Math.max(slowest429, a.millis());
            assertEquals("too_many_requests", error.path("type").asText(), a::toString);
            assertTrue(error.path("reason").asText().contains("reader-max-outstanding = 1"), a::toString);
          } else {
            assertEquals("unavailable_exception", error.path("type").asText(), a::toString);
          }
        }
      }
      answers.stream().filter(a -> a.status() == 429).findFirst()
          .ifPresent(a -> System.out.println("OverloadIT: a 429: Retry-After " + a.retryAfter() + ", " + a.body()));
      String summary = "answers by status " + byStatus + ", slowest " + slowest + " ms, slowest 429 " + slowest429 + " ms";
      System.out.println("OverloadIT: " + summary);
      assertTrue(wrong.isEmpty(), () -> "wrong answers or failed clients: " + wrong.peek());
      assertTrue(byStatus.getOrDefault(200, 0) > 0, summary);
      assertTrue(byStatus.getOrDefault(429, 0) > 0, summary);
      // Shed, not queued: nothing waits anywhere near the 30 s search timeout.
      assertTrue(slowest < 10_000, summary);

      // Every request the reader admitted is accounted for, and nothing is left outstanding.
      JsonNode queue = s.read.get("/_cluster/nodes").json().path("readers").get(0).path("queue");
      assertEquals(0, queue.path("outstanding").asInt(), queue::toString);
      assertEquals(queue.path("admitted").asLong(), queue.path("succeeded").asLong() + queue.path("dropped").asLong()
          + queue.path("ignored").asLong(), queue::toString);
      assertEquals(0, queue.path("dropped").asLong(), queue::toString);
      assertTrue(queue.path("rejected").asLong() >= byStatus.getOrDefault(429, 0), queue::toString);
      String metrics = s.read.get("/metrics").body();
      assertTrue(metrics.contains("vecgate_search_shed_total{status=\"429\"}"), "shed counter on /metrics");
      assertTrue(metrics.contains("vecgate_search_seconds_count{outcome=\"shed\"}"), "shed outcome on /metrics");

      // No reader serves a space that has nothing published: 503, with Retry-After as well.
      StandaloneApiIT.ok(s.write.put("/space/shop/_create", StandaloneApiIT.spaceBody("empty")));
      HttpResponse<String> r;
      try (HttpClient http = HttpClient.newHttpClient()) {
        r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.gateway.readPort() + "/shop/empty/_search"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": "
                + StandaloneApiIT.vec(queries[0]) + "}]}}")).build(), HttpResponse.BodyHandlers.ofString());
      }
      assertEquals(503, r.statusCode(), r.body());
      assertEquals("1", r.headers().firstValue("retry-after").orElse(null));
      assertTrue(r.body().contains("no live reader serves space 'empty' of db 'shop'"), r.body());
    }
  }
}
