package io.vecgate.it;

import static io.vecgate.it.StandaloneApiIT.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load shedding on the write endpoint, against a standalone process that holds at most two
 * document writes in flight: concurrent {@code _bulk} requests past the limit are answered 429
 * with {@code Retry-After}, every document of an accepted bulk is there afterwards and none of a
 * shed one (nothing half-applied), and {@code bench ingest} against the same limit loads every
 * row by honouring Retry-After.
 */
class WriteAdmissionIT {

  static final int DIM = 16;
  static final int CLIENTS = 12;
  static final int BULKS_PER_CLIENT = 6;
  static final int DOCS_PER_BULK = 400;

  @TempDir Path tmp;
  StandaloneProcess standalone;

  @AfterEach
  void tearDown() throws Exception {
    if (standalone != null) {
      standalone.close();
    }
  }

  record Sent(int client, int bulk, int status, String retryAfter, String body) {}

  @Test
  void bulksPastTheLimitAreShedWholeAndBenchIngestRetries() throws Exception {
    standalone = StandaloneProcess.start("WriteAdmissionIT", tmp.resolve("data"), "--max-inflight-writes", "2",
        "--write-retry-after", "1s", "--refresh-interval", "300ms");
    Http write = standalone.write();
    ok(write.put("/db/_create", "{\"name\": \"shop\"}"));
    ok(write.put("/space/shop/_create", "{\"name\": \"items\", \"partition_num\": 2, \"engine\": {\"retrieval_type\": "
        + "\"FLAT\", \"retrieval_param\": {\"metric_type\": \"L2\"}}, \"properties\": {\"vec\": {\"type\": \"vector\", "
        + "\"dimension\": " + DIM + "}}}"));

    // Every client sends its bulks back to back, without waiting: more than two are in flight.
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    List<Sent> sent = new ArrayList<>();
    try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
      List<Future<List<Sent>>> fs = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        fs.add(clients.submit(() -> {
          List<Sent> mine = new ArrayList<>();
          for (int b = 0; b < BULKS_PER_CLIENT; b++) {
            HttpRequest req = HttpRequest.newBuilder(URI.create(write.base() + "/shop/items/_bulk"))
                .timeout(Duration.ofSeconds(60)).header("content-type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(bulk(client, b))).build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            mine.add(new Sent(client, b, r.statusCode(), r.headers().firstValue("retry-after").orElse(null), r.body()));
          }
          return mine;
        }));
      }
      for (Future<List<Sent>> f : fs) {
        sent.addAll(f.get(3, TimeUnit.MINUTES));
      }
    }
    List<Sent> accepted = sent.stream().filter(s -> s.status() == 200).toList();
    List<Sent> shed = sent.stream().filter(s -> s.status() == 429).toList();
    System.out.printf("WriteAdmissionIT: %d bulks of %d documents from %d clients: %d accepted, %d shed%n",
        sent.size(), DOCS_PER_BULK, CLIENTS, accepted.size(), shed.size());
    assertEquals(sent.size(), accepted.size() + shed.size(), () -> "only 200 or 429: " + sent.stream()
        .filter(s -> s.status() != 200 && s.status() != 429).findFirst());
    assertTrue(!shed.isEmpty(), "some bulks were past the limit of 2 in flight");
    assertTrue(!accepted.isEmpty(), "some bulks were taken");
    for (Sent s : shed) {
      assertEquals("1", s.retryAfter(), s::toString);
      JsonNode error = Http.JSON.readTree(s.body()).path("error");
      assertEquals("too_many_requests", error.path("type").asText(), s::toString);
      assertTrue(error.path("reason").asText().contains("--max-inflight-writes"), s::toString);
    }
    for (Sent s : accepted) {
      assertTrue(s.body().contains("\"errors\":false"), s::toString);
    }

    // Every document of an accepted bulk is there, none of a shed one.
    ok(write.post("/shop/items/_refresh", null));
    Http read = standalone.read();
    Standalone.waitFor("the refreshed version to be searchable", Duration.ofSeconds(30), () -> {
      Reply n = count(read);
      return n != null && n.docs == (long) accepted.size() * DOCS_PER_BULK;
    });
    for (Sent s : shed.subList(0, Math.min(5, shed.size()))) {
      assertEquals(404, read.get("/shop/items/" + id(s.client(), s.bulk(), 0)).status(), s::toString);
      assertEquals(404, read.get("/shop/items/" + id(s.client(), s.bulk(), DOCS_PER_BULK - 1)).status(), s::toString);
    }
    for (Sent s : accepted.subList(0, Math.min(5, accepted.size()))) {
      assertEquals(200, read.get("/shop/items/" + id(s.client(), s.bulk(), DOCS_PER_BULK - 1)).status(), s::toString);
    }

    // bench ingest, eight connections against the limit of two: every row lands.
    Path base = MemoryBudgetIT.fvecs(tmp.resolve("base.fvecs"));
    Path root = Path.of(System.getProperty("vecgate.jar")).toAbsolutePath().getParent().getParent().getParent();
    ProcessBuilder pb = new ProcessBuilder(root.resolve("bin/vecgate").toString(), "bench", "ingest", "--url",
        write.base(), "--db", "shop", "--space", "ingested", "--base", base.toString(), "--create",
        "FLAT", "--batch", "100", "--concurrency", "8");
    pb.environment().put("VECGATE_JAR", Path.of(System.getProperty("vecgate.jar")).toAbsolutePath().toString());
    Path out = tmp.resolve("ingest.txt");
    Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "bench ingest did not finish");
    String printed = Files.readString(out);
    System.out.println("WriteAdmissionIT: bench ingest -> " + printed);
    assertEquals(0, p.exitValue(), printed);
    assertTrue(printed.matches("(?s).*\\d+ requests were shed .* and sent again.*"), printed);
    Standalone.waitFor("every ingested row searchable", Duration.ofSeconds(30), () -> read.get("/space/shop/ingested")
        .json().path("data").path("doc_num").asLong() == MemoryBudgetIT.ROWS);
  }

  record Reply(long docs) {}

  /** The space's document count as the write endpoint describes it, or null before it has one. */
  Reply count(Http read) {
    Http.Reply r = read.get("/space/shop/items");
    return r.status() == 200 ? new Reply(r.json().path("data").path("doc_num").asLong(-1)) : null;
  }

  static String id(int client, int bulk, int i) {
    return "c" + client + "-b" + bulk + "-" + i;
  }

  static String bulk(int client, int b) {
    Random random = new Random(client * 1000L + b);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < DOCS_PER_BULK; i++) {
      sb.append("{\"index\": {\"_id\": \"").append(id(client, b, i)).append("\"}}\n{\"vec\": {\"feature\": [");
      for (int d = 0; d < DIM; d++) {
        sb.append(d == 0 ? "" : ",").append(random.nextFloat());
      }
      sb.append("]}}\n");
    }
    return sb.toString();
  }
}
