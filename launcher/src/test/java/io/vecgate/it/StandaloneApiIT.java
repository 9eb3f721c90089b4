package io.vecgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgate.it.Http.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Vearch API over real HTTP against the standalone service: dbs and spaces, single and bulk
 * writes, refresh, search against brute force, filters, projection, get, delete, upsert,
 * aliases, and a restart that keeps everything.
 */
class StandaloneApiIT {

  static final int DIM = 8;
  static final int N = 300;

  @TempDir Path data;

  static float[][] vectors(long seed, int n) {
    Random r = new Random(seed);
    float[][] v = new float[n][DIM];
    for (float[] row : v) {
      for (int j = 0; j < DIM; j++) {
        row[j] = r.nextFloat();
      }
    }
    return v;
  }

  static String vec(float[] v) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : ",").append(v[i]);
    }
    return sb.append(']').toString();
  }

  static String spaceBody(String name) {
    return """
        {"name": "%s", "partition_num": 3, "replica_num": 1,
         "engine": {"retrieval_type": "FLAT", "retrieval_param": {"metric_type": "L2"}},
         "properties": {"vec": {"type": "vector", "dimension": %d},
                        "price": {"type": "float", "index": true},
                        "brand": {"type": "keyword", "index": true},
                        "stock": {"type": "integer", "index": true}}}""".formatted(name, DIM);
  }

  static String bulk(float[][] v, int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append("{\"index\": {\"_id\": \"d").append(i).append("\"}}\n");
      sb.append("{\"price\": ").append(i % 50).append(", \"brand\": \"b").append(i % 3).append("\", \"stock\": ")
          .append(i).append(", \"vec\": {\"feature\": ").append(vec(v[i])).append("}}\n");
    }
    return sb.toString();
  }

  /** Ids of the exact top k by squared L2 among the rows {@code allowed}. */
  static List<String> bruteForce(float[][] v, float[] q, int k, java.util.function.IntPredicate allowed) {
    return IntStream.range(0, v.length).filter(allowed).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> l2(v[i], q)).thenComparing(i -> "d" + i))
        .limit(k).map(i -> "d" + i).toList();
  }

  static double l2(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      s += d * d;
    }
    return s;
  }

  static List<String> ids(JsonNode searchReply) {
    List<String> out = new ArrayList<>();
    searchReply.path("hits").path("hits").forEach(h -> out.add(h.path("_id").asText()));
    return out;
  }

  static Reply ok(Reply r) {
    assertTrue(r.status() >= 200 && r.status() < 300, () -> "expected success, got " + r);
    return r;
  }

  static void setUp(Standalone s, float[][] v) {
    ok(s.write.put("/db/_create", "{\"name\": \"shop\"}"));
    ok(s.write.put("/space/shop/_create", spaceBody("items")));
    Reply b = ok(s.write.post("/shop/items/_bulk", bulk(v, 0, N)));
    assertFalse(b.json().path("errors").asBoolean(), b::body);
    assertEquals(N, b.json().path("items").size());
    ok(s.write.post("/shop/items/_refresh", null));
  }

  /** Waits until a search sees {@code count} documents in all (via a large exact search). */
  static void awaitCount(Standalone s, String space, int count) throws InterruptedException {
    String body = "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": " + vec(new float[DIM]) + "}]}, \"size\": 1000}";
    Standalone.waitFor(count + " documents searchable in " + space, Duration.ofSeconds(30), () -> {
      Reply r = s.read.post("/shop/" + space + "/_search", body);
      return r.status() == 200 && r.json().path("hits").path("total").asInt() == count;
    });
  }

  @Test
  void writeSearchGetDeleteUpsertAliasAndRestart() throws Exception {
    float[][] v = vectors(42, N);
    try (Standalone s = Standalone.start(data)) {
      setUp(s, v);
      // _refresh answers once the readers serve the new version: no waiting after it.
      String all = "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": " + vec(new float[DIM]) + "}]}, \"size\": 1000}";
      assertEquals(N, ok(s.read.post("/shop/items/_search", all)).json().path("hits").path("total").asInt());
      // So does a write with ?refresh=true.
      ok(s.write.post("/shop/items/extra?refresh=true", "{\"price\": 1, \"brand\": \"x\", \"stock\": 1, \"vec\": {\"feature\": "
          + vec(v[0]) + "}}"));
      assertEquals(200, s.read.get("/shop/items/extra").status());
      assertEquals("deleted", ok(s.write.delete("/shop/items/extra?refresh=true")).json().path("result").asText());
      assertEquals(404, s.read.get("/shop/items/extra").status());

      // Exact search equals brute force, for several queries.
      float[][] queries = vectors(7, 5);
      for (float[] q : queries) {
        Reply r = ok(s.read.post("/shop/items/_search",
            "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": " + vec(q) + "}]}, \"size\": 10}"));
        assertEquals(bruteForce(v, q, 10, i -> true), ids(r.json()), r::body);
        JsonNode first = r.json().path("hits").path("hits").get(0);
        assertEquals("shop", first.path("_index").asText());
        assertTrue(first.path("_source").has("price"), r::body);
      }

      // curl -d sends its JSON as application/x-www-form-urlencoded: it is still JSON to us, however large.
      String padded = ("{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": " + vec(queries[0])
          + "}]}, \"size\": 10" + " ".repeat(200_000) + "}");
      Reply form = s.read.send("POST", "/shop/items/_search", padded, "application/x-www-form-urlencoded");
      assertEquals(bruteForce(v, queries[0], 10, i -> true), ids(ok(form).json()), form::body);

      // ?size= wins over the body; nq = 2 gives two result lists.
      float[] q0 = queries[0];
      Reply sized = ok(s.read.post("/shop/items/_search?size=3",
          "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": " + vec(q0) + "}]}, \"size\": 10}"));
      assertEquals(3, ids(sized.json()).size());
      float[] two = new float[2 * DIM];
      System.arraycopy(queries[0], 0, two, 0, DIM);
      System.arraycopy(queries[1], 0, two, DIM, DIM);
      Reply batch = ok(s.read.post("/shop/items/_search",
          "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": " + vec(two) + "}]}, \"size\": 5}"));
      assertTrue(batch.json().isArray(), batch::body);
      assertEquals(bruteForce(v, queries[1], 5, i -> true), ids(batch.json().get(1)));

      // Filters: range and term, with projection and sort.
      Reply filtered = ok(s.read.post("/shop/items/_search", """
          {"query": {"sum": [{"field": "vec", "feature": %s}],
                     "filter": [{"range": {"price": {"gte": 10, "lte": 20}}}, {"term": {"brand": ["b1"], "operator": "or"}}]},
           "size": 10, "fields": ["price"], "sort": [{"price": {"order": "desc"}}]}""".formatted(vec(q0))));
      List<String> expected = bruteForce(v, q0, 10, i -> i % 50 >= 10 && i % 50 <= 20 && i % 3 == 1);
      List<String> got = ids(filtered.json());
      assertEquals(new java.util.TreeSet<>(expected), new java.util.TreeSet<>(got), filtered::body);
      double last = Double.MAX_VALUE;
      for (JsonNode h : filtered.json().path("hits").path("hits")) {
        assertEquals(List.of("price"), iterator(h.path("_source").fieldNames()));
        assertTrue(h.path("_source").path("price").asDouble() <= last);
        last = h.path("_source").path("price").asDouble();
      }

      // is_brute_search, l2_sqrt, vector_value, min_score / symbol bounds and boost.
      Reply exact = ok(s.read.post("/shop/items/_search", "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": "
          + vec(q0) + ", \"boost\": 2}]}, \"size\": 3, \"is_brute_search\": 1, \"l2_sqrt\": true, \"vector_value\": true}"));
      JsonNode top = exact.json().path("hits").path("hits").get(0);
      int row = Integer.parseInt(top.path("_id").asText().substring(1));
      assertEquals(2 * Math.sqrt(l2(v[row], q0)), top.path("_score").asDouble(), 1e-4, exact::body);
      assertEquals(DIM, top.path("_source").path("vec").path("feature").size(), exact::body);
      assertEquals(v[row][0], (float) top.path("_source").path("vec").path("feature").get(0).asDouble(), 1e-6);
      // Half-way between the 2nd and 3rd scores (boosted twice above, not boosted below): two hits pass.
      JsonNode top3 = exact.json().path("hits").path("hits");
      double cut = (top3.get(1).path("_score").asDouble() + top3.get(2).path("_score").asDouble()) / 4;
      Reply bounded = ok(s.read.post("/shop/items/_search", "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": "
          + vec(q0) + ", \"symbol\": \"<=\", \"value\": " + cut + "}]}, \"size\": 3, \"l2_sqrt\": true}"));
      assertEquals(2, ids(bounded.json()).size(), bounded::body);

      // Get by id on the read endpoint; 405 on the write endpoint.
      Reply doc = ok(s.read.get("/shop/items/d5"));
      assertEquals(5, doc.json().path("_source").path("stock").asInt());
      assertEquals(404, s.read.get("/shop/items/nope").status());

      // Delete, upsert, single insert with a generated id.
      assertEquals("deleted", ok(s.write.delete("/shop/items/d0")).json().path("result").asText());
      ok(s.write.post("/shop/items/d1", "{\"price\": 99, \"brand\": \"b9\", \"stock\": 1, \"vec\": {\"feature\": "
          + vec(v[1]) + "}}"));
      Reply created = ok(s.write.post("/shop/items", "{\"price\": 1, \"brand\": \"new\", \"stock\": 7, \"vec\": {\"feature\": "
          + vec(queries[4]) + "}}"));
      String newId = created.json().path("_id").asText();
      assertFalse(newId.isEmpty(), created::body);
      ok(s.write.post("/shop/items/_refresh", null));
      awaitCount(s, "items", N);
      Standalone.waitFor("the upsert to be visible", Duration.ofSeconds(10),
          () -> s.read.get("/shop/items/d1").json().path("_source").path("brand").asText().equals("b9"));
      assertEquals(404, s.read.get("/shop/items/d0").status());
      Reply near = ok(s.read.post("/shop/items/_search",
          "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": " + vec(queries[4]) + "}]}, \"size\": 1}"));
      assertEquals(List.of(newId), ids(near.json()));

      // Aliases: create, use in place of the space (search, get, bulk, refresh), switch, roll back, list, delete.
      ok(s.write.put("/space/shop/_create", spaceBody("items2")));
      ok(s.write.post("/alias/live/dbs/shop/spaces/items", null));
      assertEquals("items", ok(s.write.get("/alias/live")).json().path("data").path("space").asText());
      Reply viaAlias = ok(s.read.post("/shop/live/_search",
          "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": " + vec(queries[2]) + "}]}, \"size\": 10}"));
      Reply direct = ok(s.read.post("/shop/items/_search",
          "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": " + vec(queries[2]) + "}]}, \"size\": 10}"));
      assertEquals(ids(direct.json()), ids(viaAlias.json()), viaAlias::body);
      assertEquals(10, ids(viaAlias.json()).size());
      assertEquals(5, ok(s.read.get("/shop/live/d5")).json().path("_source").path("stock").asInt());
      assertEquals(409, s.write.post("/alias/live/dbs/shop/spaces/items2", null).status());
      Reply noSpace = s.write.put("/alias/live/dbs/shop/spaces/nope", null);
      assertEquals(404, noSpace.status(), noSpace::body);
      assertTrue(noSpace.json().path("error").path("reason").asText().contains("nope"), noSpace::body);
      Reply switched = ok(s.write.put("/alias/live/dbs/shop/spaces/items2", null));
      assertEquals("items", switched.json().path("data").path("history").get(0).path("space").asText(), switched::body);
      // Answered once this gateway resolves the alias to its new target: no waiting.
      assertEquals("items2", ok(s.read.get("/alias/live")).json().path("data").path("space").asText());
      ok(s.write.post("/shop/live/_bulk", bulk(v, 0, 20)));
      ok(s.write.post("/shop/live/_refresh", null));
      assertEquals(200, s.read.get("/shop/live/d5").status());
      assertEquals(404, s.read.get("/shop/live/d25").status(), "d25 is in items, not in items2");
      assertEquals(200, s.read.get("/shop/items/d25").status());
      assertEquals(20, ok(s.read.post("/shop/live/_search", all)).json().path("hits").path("total").asInt());
      assertEquals(20, ok(s.read.get("/space/shop/items2")).json().path("data").path("doc_num").asInt());
      // Rollback goes back to items with the same atomic step; a second one has nowhere to go.
      assertEquals("items", ok(s.write.post("/alias/live/_rollback", null)).json().path("data").path("space").asText());
      assertEquals(N, ok(s.read.post("/shop/live/_search", all)).json().path("hits").path("total").asInt());
      assertEquals(409, s.write.post("/alias/live/_rollback", null).status());
      ok(s.write.put("/alias/live/dbs/shop/spaces/items2", null));
      ok(s.write.post("/alias/other/dbs/shop/spaces/items", null));
      assertEquals(2, ok(s.read.get("/alias")).json().path("data").size());
      ok(s.write.delete("/alias/other"));
      assertEquals(404, s.read.get("/alias/other").status());
      assertEquals(404, s.write.delete("/alias/other").status());

      // The gateway calls the reader of its own JVM directly.
      assertTrue(ok(s.read.get("/_cluster/nodes")).json().path("readers").get(0).path("in_process").asBoolean());

      // Describe: counts per partition.
      JsonNode desc = ok(s.read.get("/space/shop/items")).json().path("data");
      assertEquals(N, desc.path("doc_num").asInt(), desc::toString);
      assertEquals(3, desc.path("partitions").size());

      // Lists, drops (a db with spaces is not dropped), metrics.
      assertEquals(2, ok(s.read.get("/space/shop/_list")).json().path("data").size());
      ok(s.write.put("/db/_create", "{\"name\": \"tmp\"}"));
      ok(s.write.put("/space/tmp/_create", spaceBody("t")));
      assertEquals(409, s.write.delete("/db/tmp").status());
      // Dropping a space deletes the aliases serving it (as Vearch does): none is left pointing at nothing.
      ok(s.write.post("/alias/tmpalias/dbs/tmp/spaces/t", null));
      Reply droppedT = ok(s.write.delete("/space/tmp/t"));
      assertEquals("tmpalias", droppedT.json().path("data").path("aliases_deleted").get(0).asText(), droppedT::body);
      assertEquals(404, s.read.get("/alias/tmpalias").status());
      assertEquals(404, s.write.get("/space/tmp/t").status());
      ok(s.write.delete("/db/tmp"));
      assertEquals(List.of("shop"), iterator(ok(s.read.get("/db/_list")).json().path("data").findValuesAsText("name").iterator()));
      String metrics = s.read.get("/metrics").body();
      assertTrue(metrics.contains("vecgate_search_seconds_count{outcome=\"ok\"}"), metrics);
      assertTrue(metrics.contains("vecgate_writer_requests_total{op=\"doc.bulk\",outcome=\"ok\"}"), metrics);
    }

    // Restart on the same directory: dbs, spaces, aliases and documents are all there.
    try (Standalone s = Standalone.start(data)) {
      awaitCount(s, "items", N);
      JsonNode live = ok(s.read.get("/alias/live")).json().path("data");
      assertEquals("items2", live.path("space").asText());
      assertEquals("items", live.path("history").get(0).path("space").asText(), live::toString);
      awaitCount(s, "live", 20);
      assertEquals(404, s.read.get("/shop/items/d0").status());
      assertEquals("b9", ok(s.read.get("/shop/items/d1")).json().path("_source").path("brand").asText());
      float[] q = vectors(99, 1)[0];
      Reply r = ok(s.read.post("/shop/items/_search",
          "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": " + vec(q) + "}]}, \"size\": 10}"));
      assertEquals(10, ids(r.json()).size());
    }
  }

  static List<String> iterator(java.util.Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
