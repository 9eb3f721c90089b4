package io.vecgate.it;

import static io.vecgate.it.StandaloneApiIT.ids;
import static io.vecgate.it.StandaloneApiIT.ok;
import static io.vecgate.it.StandaloneApiIT.vec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgate.engine.partition.Partitioner;
import io.vecgate.it.Http.Reply;
import io.vecgate.writer.WriterConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A space with two vector fields over real HTTP against the standalone service: create, bulk,
 * refresh, search one field, both with boosts, with filters and score bounds, nq = 2, vectors in
 * answers and by id, a restart that keeps it all, and bad input naming the field. The space is
 * IVF_FLAT with segments large enough to be indexed, so the second field's index orders its
 * vectors its own way (a remapped field); nprobe covers every list and {@code is_brute_search}
 * is exact, so answers are compared with a brute-force oracle of the documented semantics
 * (README, "Scores").
 */
class MultiVectorIT {

  static final int TITLE = 6;
  static final int IMAGE = 4;
  static final int N = 400;
  static final int PARTITIONS = 2;

  @TempDir Path data;

  static final String SPACE = """
      {"name": "multi", "partition_num": 2,
       "engine": {"retrieval_type": "IVFFLAT", "retrieval_param": {"metric_type": "L2", "ncentroids": 4, "nprobe": 4}},
       "properties": {"title": {"type": "vector", "dimension": 6}, "price": {"type": "float", "index": true},
                      "image": {"type": "vector", "dimension": 4}, "brand": {"type": "keyword", "index": true}}}""";

  static float[][] vectors(long seed, int n, int dim) {
    Random r = new Random(seed);
    float[][] v = new float[n][dim];
    for (float[] row : v) {
      for (int j = 0; j < dim; j++) {
        row[j] = r.nextFloat();
      }
    }
    return v;
  }

  final float[][] titles = vectors(1, N, TITLE);
  final float[][] images = vectors(2, N, IMAGE);
  final Partitioner partitioner = Partitioner.of("murmur3", PARTITIONS);

  String doc(int i) {
    return "{\"price\": " + (i % 50) + ", \"brand\": \"b" + (i % 3) + "\", \"title\": {\"feature\": " + vec(titles[i])
        + "}, \"image\": {\"feature\": " + vec(images[i]) + "}}";
  }

  String bulk() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < N; i++) {
      sb.append("{\"index\": {\"_id\": \"d").append(i).append("\"}}\n").append(doc(i)).append('\n');
    }
    return sb.toString();
  }

  static double l2(float[] a, float[] b) {
    return StandaloneApiIT.l2(a, b);
  }

  /** One query.sum entry of the oracle: the field's vectors, the query and the boost. */
  record Entry(String field, float[][] stored, float[] query, double boost) {}

  /**
   * The documented semantics by brute force: per partition, the union of each entry's {@code k}
   * nearest allowed documents by its field, ranked by the weighted sum of squared L2 distances;
   * the {@code k} best of the partitions' best.
   */
  List<String> oracle(List<Entry> entries, int k, IntPredicate allowed) {
    List<Integer> best = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      final int part = p;
      List<Integer> docs = IntStream.range(0, N).filter(allowed)
          .filter(i -> partitioner.partition("d" + i) == part).boxed().toList();
      Set<Integer> union = new HashSet<>();
      for (Entry e : entries) {
        // Ties go to the smaller seq, which follows the bulk order here.
        docs.stream().sorted(Comparator.comparingDouble((Integer i) -> l2(e.stored()[i], e.query()))
            .thenComparingInt(i -> i)).limit(k).forEach(union::add);
      }
      union.stream().sorted(byCombined(entries)).limit(k).forEach(best::add);
    }
    return best.stream().sorted(byCombined(entries)).limit(k).map(i -> "d" + i).toList();
  }

  static Comparator<Integer> byCombined(List<Entry> entries) {
    return Comparator.comparingDouble((Integer i) -> combined(entries, i)).thenComparingInt(i -> i);
  }

  static double combined(List<Entry> entries, int i) {
    double sum = 0;
    for (Entry e : entries) {
      sum += e.boost() * l2(e.stored()[i], e.query());
    }
    return sum;
  }

  static String entry(String field, float[] feature, String extra) {
    return "{\"field\": \"" + field + "\", \"feature\": " + vec(feature) + extra + "}";
  }

  static String search(String sum, String rest) {
    return "{\"query\": {\"sum\": [" + sum + "]" + rest + "}";
  }

  static int row(JsonNode hit) {
    return Integer.parseInt(hit.path("_id").asText().substring(1));
  }

  @Test
  void createBulkSearchOneAndBothFieldsFiltersBatchesVectorsAndRestart() throws Exception {
    WriterConfig wc = new WriterConfig(data, Duration.ofMillis(200), 100_000, 3, 4, 64L << 20, 50);
    float[] qt = vectors(10, 1, TITLE)[0];
    float[] qi = vectors(11, 1, IMAGE)[0];
    String both = search(entry("title", qt, ", \"boost\": 2") + ", " + entry("image", qi, ", \"boost\": 0.5"),
        "}, \"size\": 10, \"is_brute_search\": 1");
    List<String> bothBefore;
    try (Standalone s = Standalone.start(wc, List.of(List.of()), true)) {
      ok(s.write.put("/db/_create", "{\"name\": \"shop\"}"));
      Reply created = ok(s.write.put("/space/shop/_create", SPACE));
      assertEquals(6, created.json().path("data").path("properties").path("title").path("dimension").asInt(), created::body);
      Reply b = ok(s.write.post("/shop/multi/_bulk", bulk()));
      assertFalse(b.json().path("errors").asBoolean(), b::body);
      ok(s.write.post("/shop/multi/_refresh", null));
      JsonNode desc = ok(s.read.get("/space/shop/multi")).json().path("data");
      assertEquals(N, desc.path("doc_num").asInt(), desc::toString);
      // IVF segments (with a remapped image field) once a partition's documents are in one segment.
      Standalone.waitFor("IVF segments", Duration.ofSeconds(60), () -> s.read.get("/space/shop/multi").json()
          .path("data").path("index_state").asText().equals("indexed"));

      // One field: the plain k nearest by that field.
      Reply one = ok(s.read.post("/shop/multi/_search", search(entry("image", qi, ""), "}, \"size\": 10")));
      assertEquals(oracle(List.of(new Entry("image", images, qi, 1)), 10, i -> true), ids(one.json()), one::body);
      JsonNode first = one.json().path("hits").path("hits").get(0);
      assertEquals(l2(images[row(first)], qi), first.path("_score").asDouble(), 1e-4, one::body);

      // Both fields with boosts: the weighted sum over the union of the per-field candidates.
      Reply r = ok(s.read.post("/shop/multi/_search", both));
      List<Entry> entries = List.of(new Entry("title", titles, qt, 2), new Entry("image", images, qi, 0.5));
      bothBefore = ids(r.json());
      assertEquals(oracle(entries, 10, i -> true), bothBefore, r::body);
      for (JsonNode h : r.json().path("hits").path("hits")) {
        assertEquals(combined(entries, row(h)), h.path("_score").asDouble(), 1e-4, r::body);
      }
      // The index path (nprobe covers every list) answers the same.
      Reply ann = ok(s.read.post("/shop/multi/_search", both.replace(", \"is_brute_search\": 1", "")));
      assertEquals(bothBefore, ids(ann.json()), ann::body);

      // Filters apply to every field's candidates.
      Reply filtered = ok(s.read.post("/shop/multi/_search", search(entry("title", qt, "") + ", " + entry("image", qi, ""),
          ", \"filter\": [{\"range\": {\"price\": {\"gte\": 10, \"lte\": 30}}}, {\"term\": {\"brand\": [\"b1\"]}}]}, "
              + "\"size\": 8, \"fields\": [\"price\"]")));
      List<Entry> plain = List.of(new Entry("title", titles, qt, 1), new Entry("image", images, qi, 1));
      assertEquals(oracle(plain, 8, i -> i % 50 >= 10 && i % 50 <= 30 && i % 3 == 1), ids(filtered.json()), filtered::body);
      for (JsonNode h : filtered.json().path("hits").path("hits")) {
        assertEquals(List.of("price"), StandaloneApiIT.iterator(h.path("_source").fieldNames()));
      }

      // Bounds apply to each field's own score, after the top k: here the image distance.
      List<String> top = oracle(plain, 10, i -> true);
      double[] sorted = top.stream().mapToDouble(id -> l2(images[Integer.parseInt(id.substring(1))], qi)).sorted()
          .toArray();
      double cut = (sorted[4] + sorted[5]) / 2;
      Reply bounded = ok(s.read.post("/shop/multi/_search", search(entry("title", qt, "") + ", "
          + entry("image", qi, ", \"symbol\": \"<=\", \"value\": " + cut), "}, \"size\": 10")));
      List<String> expected = top.stream().filter(id -> l2(images[Integer.parseInt(id.substring(1))], qi) <= cut).toList();
      assertEquals(expected, ids(bounded.json()), bounded::body);
      assertEquals(5, expected.size());

      // nq = 2: each entry holds two vectors; answer i combines the i-th of each.
      float[] qt2 = vectors(12, 1, TITLE)[0];
      float[] qi2 = vectors(13, 1, IMAGE)[0];
      Reply batch = ok(s.read.post("/shop/multi/_search", search(entry("title", concat(qt, qt2), "") + ", "
          + entry("image", concat(qi, qi2), ""), "}, \"size\": 5")));
      assertTrue(batch.json().isArray(), batch::body);
      assertEquals(oracle(plain, 5, i -> true), ids(batch.json().get(0)));
      assertEquals(oracle(List.of(new Entry("title", titles, qt2, 1), new Entry("image", images, qi2, 1)), 5, i -> true),
          ids(batch.json().get(1)));

      // vector_value returns every vector field; a projection may name one.
      Reply withVectors = ok(s.read.post("/shop/multi/_search", search(entry("title", titles[7], "") + ", "
          + entry("image", images[7], ""), "}, \"size\": 1, \"vector_value\": true")));
      JsonNode src = withVectors.json().path("hits").path("hits").get(0).path("_source");
      assertEquals("d7", withVectors.json().path("hits").path("hits").get(0).path("_id").asText());
      assertFeature(titles[7], src.path("title"));
      assertFeature(images[7], src.path("image"));
      assertEquals(7 % 50, src.path("price").asInt());
      Reply projected = ok(s.read.post("/shop/multi/_search", search(entry("image", images[7], ""),
          "}, \"size\": 1, \"fields\": [\"image\"]")));
      JsonNode psrc = projected.json().path("hits").path("hits").get(0).path("_source");
      assertEquals(List.of("image"), StandaloneApiIT.iterator(psrc.fieldNames()), projected::body);
      assertFeature(images[7], psrc.path("image"));

      // Get by id, with and without the vectors.
      JsonNode doc = ok(s.read.get("/shop/multi/d9?vector_value=true")).json().path("_source");
      assertFeature(titles[9], doc.path("title"));
      assertFeature(images[9], doc.path("image"));
      assertFalse(ok(s.read.get("/shop/multi/d9")).json().path("_source").has("image"));

      badInput(s);
    }

    // Restart: the two fields' segments, and the answers, are all there.
    try (Standalone s = Standalone.start(wc, List.of(List.of()), true)) {
      Standalone.waitFor("the space to be served again", Duration.ofSeconds(30),
          () -> s.read.post("/shop/multi/_search", both).status() == 200);
      assertEquals(bothBefore, ids(ok(s.read.post("/shop/multi/_search", both)).json()));
      assertFeature(images[9], ok(s.read.get("/shop/multi/d9?vector_value=true")).json().path("_source").path("image"));
      // And writes go on: an upsert with new vectors for both fields.
      ok(s.write.post("/shop/multi/d0?refresh=true", "{\"title\": {\"feature\": " + vec(qt) + "}, \"image\": {\"feature\": "
          + vec(qi) + "}}"));
      Reply r = ok(s.read.post("/shop/multi/_search", both.replace("\"size\": 10", "\"size\": 1")));
      assertEquals(List.of("d0"), ids(r.json()), r::body);
      assertEquals(0.0, r.json().path("hits").path("hits").get(0).path("_score").asDouble(), 1e-6);
    }
  }

  /** Wrong dimension of the second field, a missing field, unknown or repeated fields in query.sum: 400s that store nothing. */
  void badInput(Standalone s) {
    String wrongDim = "{\"title\": {\"feature\": " + vec(titles[0]) + "}, \"image\": {\"feature\": [1, 2, 3]}}";
    Reply r = s.write.post("/shop/multi/x1", wrongDim);
    assertEquals(400, r.status(), r::body);
    assertTrue(reason(r).contains("image.feature") && reason(r).contains("4"), r::body);
    Reply missing = s.write.post("/shop/multi/x1", "{\"title\": {\"feature\": " + vec(titles[0]) + "}}");
    assertEquals(400, missing.status(), missing::body);
    assertTrue(reason(missing).startsWith("image: missing; expected {\"feature\": [4 numbers]}"), missing::body);
    Reply bulk = ok(s.write.post("/shop/multi/_bulk", "{\"index\": {\"_id\": \"x2\"}}\n" + wrongDim + "\n"
        + "{\"index\": {\"_id\": \"x3\"}}\n{\"image\": {\"feature\": " + vec(images[0]) + "}}\n"));
    assertTrue(bulk.json().path("errors").asBoolean(), bulk::body);
    assertTrue(bulk.json().path("items").get(0).path("index").path("error").path("reason").asText().contains("image.feature"),
        bulk::body);
    assertTrue(bulk.json().path("items").get(1).path("index").path("error").path("reason").asText()
        .contains("line 4.title: missing"), bulk::body);

    Reply unknown = s.read.post("/shop/multi/_search", search(entry("title", titles[0], "") + ", "
        + "{\"field\": \"picture\", \"feature\": [1, 2, 3, 4]}", "}"));
    assertEquals(400, unknown.status(), unknown::body);
    assertEquals("query.sum[1].field: expected one of the vector fields [title, image], got 'picture'", reason(unknown));
    Reply twice = s.read.post("/shop/multi/_search", search(entry("image", images[0], "") + ", "
        + entry("image", images[1], ""), "}"));
    assertEquals(400, twice.status(), twice::body);
    assertTrue(reason(twice).contains("'image' is already searched by query.sum[0]"), twice::body);
    Reply nq = s.read.post("/shop/multi/_search", search(entry("title", titles[0], "") + ", "
        + entry("image", concat(images[0], images[1]), ""), "}"));
    assertEquals(400, nq.status(), nq::body);
    assertTrue(reason(nq).startsWith("query.sum[1].feature: expected 1 query vector of 4 numbers"), nq::body);
    Reply dim = s.read.post("/shop/multi/_search", search(entry("image", titles[0], ""), "}"));
    assertEquals(400, dim.status(), dim::body);
    assertTrue(reason(dim).contains("query.sum[0].feature: expected a multiple of 4 numbers"), dim::body);
    Reply nsub = s.write.put("/space/shop/_create", SPACE.replace("\"multi\"", "\"pq\"").replace("IVFFLAT", "IVFPQ")
        .replace("\"nprobe\": 4", "\"nprobe\": 4, \"nsubvector\": 3"));
    assertEquals(400, nsub.status(), nsub::body);
    assertTrue(reason(nsub).contains("image has 4"), nsub::body);

    ok(s.write.post("/shop/multi/_refresh", null));
    assertEquals(404, s.read.get("/shop/multi/x1").status());
    assertEquals(404, s.read.get("/shop/multi/x2").status());
    assertEquals(N, s.read.get("/space/shop/multi").json().path("data").path("doc_num").asInt());
  }

  static String reason(Reply r) {
    return r.json().path("error").path("reason").asText();
  }

  static void assertFeature(float[] expected, JsonNode field) {
    JsonNode f = field.path("feature");
    assertEquals(expected.length, f.size(), field::toString);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], (float) f.get(i).asDouble(), 1e-6, field::toString);
    }
  }

  static float[] concat(float[] a, float[] b) {
    float[] out = new float[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
