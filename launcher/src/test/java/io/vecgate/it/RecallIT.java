package io.vecgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgate.bench.Recall;
import io.vecgate.bench.data.Texmex;
import io.vecgate.engine.index.BuiltIndex;
import io.vecgate.engine.index.IndexParams;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.index.Indexes;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import io.vecgate.it.Http.Reply;
import io.vecgate.writer.WriterConfig;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recall through the service equals the engine's for the same parameters, on the shared real
 * dataset (Fashion-MNIST, 35 000 x 784, L2) against its exact ground truth: the base goes in
 * through {@code _bulk}, one refresh seals it, the quiet compaction indexes it into one IVF_FLAT
 * segment, and the 1 000 queries go through {@code _search}; the engine builds the same index from
 * the same rows in the test.
 */
class RecallIT {

  static final Path DATA = datasets().resolve("fashion-mnist-784-euclidean");

  /**
   * The shared datasets: {@code -Dvecgate.datasets} (the pom sets it to {@code ../shared/datasets}
   * beside the checkout), {@code VECGATE_DATASETS}, or the workplace's {@code /work/shared/datasets}.
   */
  static Path datasets() {
    java.util.List<String> candidates = new java.util.ArrayList<>();
    candidates.add(System.getProperty("vecgate.datasets"));
    candidates.add(System.getenv("VECGATE_DATASETS"));
    candidates.add("/work/shared/datasets");
    for (String c : candidates) {
      if (c != null && java.nio.file.Files.isDirectory(Path.of(c, "fashion-mnist-784-euclidean"))) {
        return Path.of(c);
      }
    }
    throw new AssertionError("the shared Fashion-MNIST dataset is not in any of " + candidates
        + "; set VECGATE_DATASETS to the folder holding fashion-mnist-784-euclidean");
  }

  @TempDir Path dir;

  @Test
  void serviceRecallEqualsEngineRecallOnFashionMnist() throws Exception {
    float[][] base = Texmex.readFvecsArrays(DATA.resolve("base.fvecs"), Integer.MAX_VALUE);
    float[][] queries = Texmex.readFvecsArrays(DATA.resolve("query.fvecs"), 300);
    int[][] truth = Texmex.readIvecs(DATA.resolve("groundtruth.ivecs"), queries.length);
    int k = 10;
    int nprobe = 8;

    // Refresh only on request, so the whole base becomes one segment, built as the engine builds it
    // by the quiet compaction (seals are FLAT).
    WriterConfig wc = new WriterConfig(dir, Duration.ofHours(1), 1_000_000, 3, 4, 256L << 20, 10_000);
    try (Standalone s = Standalone.start(wc, java.util.List.of(java.util.List.of()), true)) {
      Http read = s.read;
      Http write = s.write;
      StandaloneApiIT.ok(write.put("/db/_create", "{\"name\": \"fm\"}"));
      StandaloneApiIT.ok(write.put("/space/fm/_create", """
          {"name": "images", "partition_num": 1,
           "engine": {"retrieval_type": "IVFFLAT", "retrieval_param": {"metric_type": "L2", "ncentroids": 256, "nprobe": 8}},
           "properties": {"vec": {"type": "vector", "dimension": 784}}}"""));
      for (int from = 0; from < base.length; from += 1000) {
        Reply r = StandaloneApiIT.ok(write.post("/fm/images/_bulk", ndjson(base, from, Math.min(base.length, from + 1000))));
        assertFalse(r.body().contains("\"errors\":true"), () -> r.body().substring(0, 300));
      }
      StandaloneApiIT.ok(write.post("/fm/images/_refresh", null));
      JsonNode desc = write.get("/space/fm/images").json().path("data");
      assertEquals(base.length, desc.path("doc_num").asInt(), desc::toString);
      // Searchable now (exactly, FLAT); the IVF index follows once the space is quiet.
      Standalone.waitFor("the quiet space to be indexed", Duration.ofMinutes(10),
          () -> write.get("/space/fm/images").json().path("data").path("index_state").asText().equals("indexed"));
      desc = write.get("/space/fm/images").json().path("data");
      assertEquals("IVF_FLAT", desc.at("/partitions/0/segments/0/index").asText(), desc::toString);
      assertEquals(1, desc.at("/partitions/0/segments").size(), desc::toString);
      // Answers once the readers serve the indexed version.
      StandaloneApiIT.ok(write.post("/fm/images/_refresh", null));

      int[][] service = new int[queries.length][];
      for (int i = 0; i < queries.length; i++) {
        String body = "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": " + StandaloneApiIT.vec(queries[i])
            + "}]}, \"size\": " + k + ", \"retrieval_param\": {\"nprobe\": " + nprobe + "}, \"fields\": []}";
        final int qi = i;
        Standalone.waitFor("the version to be served", Duration.ofSeconds(60),
            () -> read.post("/fm/images/_search", body).status() == 200);
        JsonNode hits = read.post("/fm/images/_search", body).json().path("hits").path("hits");
        service[qi] = new int[k];
        for (int j = 0; j < k; j++) {
          service[qi][j] = j < hits.size() ? Integer.parseInt(hits.get(j).path("_id").asText()) : -1;
        }
      }

      int[][] engine = new int[queries.length][];
      try (Arena arena = Arena.ofShared()) {
        FloatVectors vectors = FloatVectors.copyOf(base, arena);
        BuiltIndex built = Indexes.build(IndexType.IVF_FLAT, Metric.L2, vectors, new IndexParams(java.util.Map.of("nlist", "256")), arena);
        for (int i = 0; i < queries.length; i++) {
          Neighbors n = built.index().search(queries[i], k, SearchParams.DEFAULTS.withNprobe(nprobe), null);
          engine[i] = new int[k];
          for (int j = 0; j < k; j++) {
            engine[i][j] = j < n.size() ? built.order()[n.ordinal(j)] : -1;
          }
        }
      }
      double serviceRecall = Recall.at(service, truth, k);
      double engineRecall = Recall.at(engine, truth, k);
      System.out.printf("recall@%d nprobe=%d: service %.4f, engine %.4f%n", k, nprobe, serviceRecall, engineRecall);
      assertTrue(engineRecall > 0.9, "engine recall " + engineRecall);
      assertEquals(engineRecall, serviceRecall, 1e-9);
    }
  }

  static String ndjson(float[][] rows, int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append("{\"index\": {\"_id\": \"").append(i).append("\"}}\n{\"vec\": {\"feature\": ")
          .append(StandaloneApiIT.vec(rows[i])).append("}}\n");
    }
    return sb.toString();
  }
}
