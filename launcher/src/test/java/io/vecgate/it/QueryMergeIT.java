package io.vecgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.gateway.GatewayConfig;
import io.vecgate.it.Http.Reply;
import io.vecgate.reader.search.merge.MergeSettings;
import io.vecgate.writer.WriterConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Query merging through the whole service: the same documents in two standalone services, one
 * whose reader merges searches (called over gRPC) and one whose reader does not (called in
 * process); concurrent searches of mixed k, nq, nprobe, quick, filters and projections answer
 * exactly alike (ids, scores, sources), and the debug output shows batches of several requests
 * on the merging reader only.
 */
class QueryMergeIT {

  static final int DIM = 16;
  static final int N = 6000;
  static final int CLIENTS = 24;

  @TempDir Path dataOn;
  @TempDir Path dataOff;

  @Test
  void mergedSearchesAnswerExactlyAsUnmergedOnes() throws Exception {
    float[][] docs = vectors(3, N);
    WriterConfig on = new WriterConfig(dataOn, Duration.ofMillis(200), 100_000, 3, 4, 64L << 20, 100);
    WriterConfig off = new WriterConfig(dataOff, Duration.ofMillis(200), 100_000, 3, 4, 64L << 20, 100);
    try (Standalone merging = Standalone.start(on, List.of(List.of()), GatewayConfig.defaults().withInProcessReaders(false),
        AliasStoreConfig.defaults(), MergeSettings.DEFAULTS);
         Standalone alone = Standalone.start(off, List.of(List.of()), GatewayConfig.defaults(),
             AliasStoreConfig.defaults(), MergeSettings.OFF)) {
      for (Standalone s : List.of(merging, alone)) {
        load(s, docs);
      }
      List<String> bodies = bodies(new Random(11));
      List<JsonNode> expected = new ArrayList<>();
      for (String b : bodies) {
        Reply r = alone.read.post("/shop/items/_search", b);
        assertEquals(200, r.status(), r::body);
        expected.add(r.json());
        for (JsonNode batch : batches(r.json())) {
          assertEquals(1, batch.path("requests").asInt(), "merging off: every search alone; " + r.body());
        }
      }
      AtomicInteger mergedAnswers = new AtomicInteger();
      ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
      AtomicInteger next = new AtomicInteger();
      int rounds = 6;
      try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          done.add(clients.submit(() -> {
            for (int i = next.getAndIncrement(); i < rounds * bodies.size(); i = next.getAndIncrement()) {
              int q = i % bodies.size();
              Reply r = merging.read.post("/shop/items/_search", bodies.get(q));
              if (r.status() != 200) {
                wrong.add("search " + q + ": " + r);
                continue;
              }
              for (JsonNode batch : batches(r.json())) {
                if (batch.path("requests").asInt() > 1) {
                  mergedAnswers.incrementAndGet();
                }
              }
              if (!strip(r.json()).equals(strip(expected.get(q)))) {
                wrong.add("search " + q + " " + bodies.get(q) + "\nmerged: " + strip(r.json()) + "\nalone:  "
                    + strip(expected.get(q)));
              }
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      }
      System.out.printf("QueryMergeIT: %d of %d reader answers ran in a merged batch%n", mergedAnswers.get(),
          rounds * bodies.size());
      assertTrue(wrong.isEmpty(), wrong.size() + " answers differ; first: " + wrong.peek());
      assertTrue(mergedAnswers.get() > 0, "no search ran merged with another (" + rounds * bodies.size() + " searches from "
          + CLIENTS + " clients)");
    }
  }

  /** One db and an IVF_SQ8 space of two partitions holding {@code docs}, indexed. */
  static void load(Standalone s, float[][] docs) throws InterruptedException {
    StandaloneApiIT.ok(s.write.put("/db/_create", "{\"name\": \"shop\"}"));
    StandaloneApiIT.ok(s.write.put("/space/shop/_create", """
        {"name": "items", "partition_num": 2, "partitioner": "modulo",
         "engine": {"retrieval_type": "IVFSQ8", "retrieval_param": {"metric_type": "L2", "ncentroids": 16, "nprobe": 4}},
         "properties": {"vec": {"type": "vector", "dimension": %d},
                        "price": {"type": "float", "index": true},
                        "brand": {"type": "keyword", "index": true}}}""".formatted(DIM)));
    StringBuilder bulk = new StringBuilder();
    for (int i = 0; i < docs.length; i++) {
      bulk.append("{\"index\": {\"_id\": \"").append(i).append("\"}}\n");
      bulk.append("{\"price\": ").append(i % 50).append(", \"brand\": \"b").append(i % 3).append("\", \"vec\": {\"feature\": ")
          .append(StandaloneApiIT.vec(docs[i])).append("}}\n");
    }
    Reply b = StandaloneApiIT.ok(s.write.post("/shop/items/_bulk", bulk.toString()));
    assertTrue(!b.json().path("errors").asBoolean(), b::body);
    StandaloneApiIT.ok(s.write.post("/shop/items/_forcemerge", null));
    Standalone.waitFor("the space indexed", Duration.ofSeconds(60),
        () -> s.write.get("/space/shop/items").json().path("data").path("index_state").asText().equals("indexed"));
    // Answers once the readers serve the indexed version.
    StandaloneApiIT.ok(s.write.post("/shop/items/_refresh", null));
  }

  /** Searches of every shape: several share their parameters (and so merge), others differ in one. */
  static List<String> bodies(Random rnd) {
    List<String> out = new ArrayList<>();
    int[] ks = {1, 3, 10, 10, 25, 100, 250};
    for (int i = 0; i < 70; i++) {
      int nq = i % 5 == 4 ? 2 : 1;
      StringBuilder feature = new StringBuilder();
      for (int j = 0; j < nq; j++) {
        String one = StandaloneApiIT.vec(vectors(rnd.nextLong(), 1)[0]);
        feature.append(j == 0 ? "" : ",").append(one, 1, one.length() - 1);
      }
      StringBuilder b = new StringBuilder("{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": [").append(feature)
          .append("]}]");
      // Half of them plain (the same key, so they merge), the others in four other shapes.
      switch (i % 8) {
        case 1 -> b.append(", \"filter\": [{\"range\": {\"price\": {\"gte\": 10, \"lte\": 30}}}]");
        case 2 -> b.append(", \"filter\": [{\"term\": {\"brand\": [\"b1\"], \"operator\": \"not\"}}]");
        default -> { }
      }
      b.append("}, \"size\": ").append(ks[i % ks.length]).append(", \"online_log_level\": \"debug\"");
      switch (i % 9) {
        case 1 -> b.append(", \"retrieval_param\": {\"nprobe\": 8}");
        case 2 -> b.append(", \"quick\": true");
        case 3 -> b.append(", \"fields\": [\"price\"], \"l2_sqrt\": true");
        default -> { }
      }
      out.add(b.append('}').toString());
    }
    return out;
  }

  static float[][] vectors(long seed, int n) {
    Random r = new Random(seed);
    float[][] v = new float[n][DIM];
    for (float[] row : v) {
      for (int j = 0; j < DIM; j++) {
        row[j] = (float) r.nextGaussian();
      }
    }
    return v;
  }

  /** The {@code batches} of a reply (an array of replies for nq > 1). */
  static List<JsonNode> batches(JsonNode reply) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode one : reply.isArray() ? reply : List.of(reply)) {
      one.path("batches").forEach(out::add);
    }
    return out;
  }

  /** The reply without what varies from run to run: times and batches. */
  static JsonNode strip(JsonNode reply) {
    JsonNode copy = reply.deepCopy();
    for (JsonNode one : copy.isArray() ? (ArrayNode) copy : List.of(copy)) {
      ((ObjectNode) one).remove(List.of("took", "timing_us", "batches"));
    }
    return copy;
  }
}
