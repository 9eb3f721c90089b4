package io.vecgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Vearch 3.5 API against a standalone process, with the request bodies of Vearch 3.5's
 * OpenAPI description (vearch/vearch {@code api/openapi}) and of its own test suite: a db and a
 * space with {@code fields}, documents upserted with and without {@code _id}, searches (with
 * filters, several query vectors, {@code limit}, {@code fields}, {@code vector_value}) checked
 * against exact brute force, queries and deletes by ids and by filter, and the answers' shapes:
 * {@code {"code": 0, "msg": "success", "data": ...}}, errors {@code {"code": <status>, "msg"}}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Vearch35IT {

  static final int DIM = 8;
  static final int N = 300;

  @TempDir static Path tmp;
  StandaloneProcess standalone;
  Http read;
  Http write;
  final float[][] vectors = new float[N][DIM];

  @BeforeAll
  void start() throws Exception {
    standalone = StandaloneProcess.start("Vearch35IT", tmp.resolve("data"), "--refresh-interval", "200ms");
    read = standalone.read();
    write = standalone.write();
    Random r = new Random(35);
    for (float[] v : vectors) {
      for (int d = 0; d < DIM; d++) {
        v[d] = r.nextFloat();
      }
    }
  }

  @AfterAll
  void stop() throws Exception {
    standalone.close();
  }

  static JsonNode ok(Reply r) {
    assertEquals(200, r.status(), r::toString);
    assertEquals(0, r.json().path("code").asInt(-1), r::toString);
    assertEquals("success", r.json().path("msg").asText(), r::toString);
    return r.json().path("data");
  }

  static void refused(Reply r, int status, String inReason) {
    assertEquals(status, r.status(), r::toString);
    assertEquals(status, r.json().path("code").asInt(), r::toString);
    assertTrue(r.json().path("msg").asText().contains(inReason), r::toString);
  }

  static String vec(float[] v) {
    return StandaloneApiIT.vec(v);
  }

  @Test
  @Order(1)
  void createsADbAndASpaceWithFields() throws Exception {
    assertEquals("ts_db", ok(write.post("/dbs/ts_db", null)).path("name").asText());
    JsonNode space = ok(write.post("/dbs/ts_db/spaces", """
        {"name": "ts_space", "partition_num": 2, "replica_num": 1, "fields": [
          {"name": "field_int", "type": "integer", "index": {"name": "field_int", "type": "SCALAR"}},
          {"name": "field_float", "type": "float"},
          {"name": "field_string", "type": "string", "index": {"name": "field_string", "type": "SCALAR"}},
          {"name": "field_vector", "type": "vector", "dimension": 8,
           "index": {"name": "gamma", "type": "FLAT", "params": {"metric_type": "L2"}}}]}"""));
    assertEquals("ts_space", space.path("name").asText(), space::toString);
    assertEquals(2, space.path("partition_num").asInt(), space::toString);
    assertTrue(ok(read.get("/dbs")).toString().contains("ts_db"));
    assertEquals("ts_db", ok(read.get("/dbs/ts_db")).path("name").asText());
    assertTrue(ok(read.get("/dbs/ts_db/spaces")).toString().contains("ts_space"));

    refused(write.post("/dbs/ts_db/spaces", "{\"name\": \"bad\", \"fields\": [{\"name\": \"v\", \"type\": \"vector\", "
        + "\"dimension\": 4, \"index\": {\"type\": \"FLAT\"}, \"colour\": 1}]}"), 400, "fields[0].colour: unknown field");
    refused(write.post("/dbs/ts_db/spaces", "{\"name\": \"bad\", \"fields\": [{\"name\": \"v\", \"type\": \"vector\", "
        + "\"dimension\": 4}]}"), 400, "fields[0].index: a vector field needs an index");
    refused(write.put("/dbs/ts_db/spaces/ts_space", "{\"partition_num\": 4}"), 400, "not supported");
  }

  @Test
  @Order(2)
  void upsertsDocumentsWithAndWithoutIds() throws Exception {
    for (int from = 0; from < N; from += 100) {
      StringBuilder docs = new StringBuilder();
      for (int i = from; i < from + 100; i++) {
        docs.append(i == from ? "" : ",").append("{\"_id\": \"").append(i).append("\", \"field_int\": ").append(i)
            .append(", \"field_float\": ").append(i * 0.5f).append(", \"field_string\": \"s").append(i % 3)
            .append("\", \"field_vector\": ").append(vec(vectors[i])).append("}");
      }
      JsonNode data = ok(write.post("/document/upsert?timeout=2000000", "{\"db_name\": \"ts_db\", \"space_name\": "
          + "\"ts_space\", \"documents\": [" + docs + "]}"));
      assertEquals(100, data.path("total").asInt(), data::toString);
      assertEquals(String.valueOf(from), data.path("document_ids").get(0).path("_id").asText(), data::toString);
    }
    // Without _id, one is made; a bad document is refused by itself, with its code.
    JsonNode mixed = ok(write.post("/document/upsert", "{\"db_name\": \"ts_db\", \"space_name\": \"ts_space\", "
        + "\"documents\": [{\"field_int\": -1, \"field_float\": 0, \"field_string\": \"x\", \"field_vector\": "
        + vec(new float[DIM]) + "}, {\"field_int\": -2, \"field_vector\": [1, 2]}]}"));
    assertEquals(1, mixed.path("total").asInt(), mixed::toString);
    String madeId = mixed.path("document_ids").get(0).path("_id").asText();
    assertTrue(!madeId.isEmpty(), mixed::toString);
    assertEquals(400, mixed.path("document_ids").get(1).path("code").asInt(), mixed::toString);
    refused(write.post("/document/upsert", "{\"db_name\": \"ts_db\", \"space_name\": \"ts_space\", \"documents\": "
        + "[{\"field_vector\": {\"feature\": " + vec(vectors[0]) + "}}]}"), 400, "documents[0].field_vector: expected "
        + "an array of 8 numbers");
    refused(write.post("/document/upsert", "{\"db_name\": \"ts_db\", \"space_name\": \"ts_space\", \"docs\": []}"),
        400, "docs: unknown field");
    refused(read.post("/document/upsert", "{}"), 405, "send it to http://127.0.0.1:");

    Standalone.waitFor("every document searchable", Duration.ofSeconds(30),
        () -> ok(read.get("/dbs/ts_db/spaces/ts_space")).path("doc_num").asInt() == N + 1);
    // The document without _id is there under the id made for it (once the readers serve the version).
    JsonNode[] q = new JsonNode[1];
    Standalone.waitFor("the document without _id", Duration.ofSeconds(30), () -> {
      Reply r = read.post("/document/query", "{\"db_name\": \"ts_db\", \"space_name\": \"ts_space\", "
          + "\"document_ids\": [\"" + madeId + "\"]}");
      if (r.status() == 503) {
        return false; // no reader serves the space's first version yet
      }
      q[0] = ok(r);
      return q[0].path("total").asInt() == 1;
    });
    assertEquals(-1, q[0].path("documents").get(0).path("field_int").asInt(), q[0]::toString);
  }

  @Test
  @Order(3)
  void searchesMatchBruteForce() throws Exception {
    float[] q1 = vectors[7];
    float[] q2 = vectors[123];
    float[] both = new float[2 * DIM];
    System.arraycopy(q1, 0, both, 0, DIM);
    System.arraycopy(q2, 0, both, DIM, DIM);
    JsonNode data = ok(read.post("/document/search?timeout=2000000", "{\"db_name\": \"ts_db\", \"space_name\": "
        + "\"ts_space\", \"vectors\": [{\"field\": \"field_vector\", \"feature\": " + vec(both) + "}], "
        + "\"limit\": 5, \"fields\": [\"field_int\"]}"));
    JsonNode documents = data.path("documents");
    assertEquals(2, documents.size(), data::toString);
    assertEquals(brute(q1, i -> true, 5), ids(documents.get(0)), data::toString);
    assertEquals(brute(q2, i -> true, 5), ids(documents.get(1)), data::toString);
    JsonNode top = documents.get(0).get(0);
    assertEquals("7", top.path("_id").asText());
    assertEquals(7, top.path("field_int").asInt(), top::toString);
    assertTrue(top.has("_score") && !top.has("field_string"), top::toString);

    // Filters: a range and a term, with the vectors returned as plain arrays.
    JsonNode filtered = ok(read.post("/document/search", "{\"db_name\": \"ts_db\", \"space_name\": \"ts_space\", "
        + "\"vectors\": [{\"field\": \"field_vector\", \"feature\": " + vec(q1) + "}], \"filters\": {\"operator\": "
        + "\"AND\", \"conditions\": [{\"field\": \"field_int\", \"operator\": \">=\", \"value\": 100}, {\"field\": "
        + "\"field_int\", \"operator\": \"<\", \"value\": 200}, {\"field\": \"field_string\", \"operator\": \"IN\", "
        + "\"value\": [\"s1\"]}]}, \"limit\": 4, \"vector_value\": true}"));
    JsonNode hits = filtered.path("documents").get(0);
    assertEquals(brute(q1, i -> i >= 100 && i < 200 && i % 3 == 1, 4), ids(hits), filtered::toString);
    int first = hits.get(0).path("field_int").asInt();
    assertEquals(vectors[first].length, hits.get(0).path("field_vector").size(), hits::toString);
    assertEquals(vectors[first][0], (float) hits.get(0).path("field_vector").get(0).asDouble(), 1e-6);

    refused(read.post("/document/search", "{\"db_name\": \"ts_db\", \"space_name\": \"ts_space\", \"vectors\": "
        + "[{\"field\": \"field_vector\", \"feature\": " + vec(q1) + "}], \"filters\": {\"operator\": \"OR\", "
        + "\"conditions\": [{\"field\": \"field_int\", \"operator\": \">\", \"value\": 1}]}}"), 400,
        "filters.operator: only \"AND\"");
    refused(read.post("/document/search", "{\"db_name\": \"ts_db\", \"space_name\": \"ts_space\", \"vectors\": "
        + "[{\"field\": \"field_vector\", \"feature\": [1, 2, 3]}]}"), 400, "vectors[0].feature: expected a multiple "
        + "of 8 numbers");
    refused(read.post("/document/search", "{\"db_name\": \"ts_db\", \"space_name\": \"nope\", \"vectors\": "
        + "[{\"field\": \"field_vector\", \"feature\": " + vec(q1) + "}]}"), 404, "nope");
    refused(write.post("/document/search", "{}"), 405, "this is a read");
  }

  @Test
  @Order(4)
  void queriesByIdsAndByFilter() throws Exception {
    JsonNode byIds = ok(read.post("/document/query", "{\"db_name\": \"ts_db\", \"space_name\": \"ts_space\", "
        + "\"document_ids\": [\"2\", \"2\", \"100000\", \"5\"], \"vector_value\": true}"));
    assertEquals(3, byIds.path("total").asInt(), byIds::toString);
    assertEquals(List.of("2", "2", "5"), ids(byIds.path("documents")));
    assertEquals(5, byIds.path("documents").get(2).path("field_int").asInt());
    assertEquals(DIM, byIds.path("documents").get(2).path("field_vector").size(), byIds::toString);

    JsonNode byFilter = ok(read.post("/document/query", "{\"db_name\": \"ts_db\", \"space_name\": \"ts_space\", "
        + "\"filters\": {\"operator\": \"AND\", \"conditions\": [{\"field\": \"field_int\", \"operator\": \">=\", "
        + "\"value\": 10}, {\"field\": \"field_int\", \"operator\": \"<\", \"value\": 20}]}, \"limit\": 100, "
        + "\"fields\": [\"field_int\"]}"));
    assertEquals(10, byFilter.path("total").asInt(), byFilter::toString);
    List<String> got = new ArrayList<>(ids(byFilter.path("documents")));
    got.sort(Comparator.comparingInt(Integer::parseInt));
    assertEquals(IntStream.range(10, 20).mapToObj(String::valueOf).toList(), got);
    assertTrue(!byFilter.path("documents").get(0).has("field_float"), byFilter::toString);

    refused(read.post("/document/query", "{\"db_name\": \"ts_db\", \"space_name\": \"ts_space\"}"), 400,
        "document_ids, filters: expected exactly one of them");
    refused(read.post("/document/query", "{\"db_name\": \"ts_db\", \"space_name\": \"ts_space\", \"document_ids\": "
        + "[1, 2]}"), 400, "document_ids[0]: expected a string");
    refused(read.post("/document/query", "{\"db_name\": \"ts_db\", \"space_name\": \"ts_space\", \"partition_id\": 1, "
        + "\"document_ids\": [\"1\"]}"), 400, "partition_id: unknown field");
  }

  @Test
  @Order(5)
  void deletesByIdsAndByFilterThenDrops() throws Exception {
    JsonNode byIds = ok(write.post("/document/delete?timeout=300000", "{\"db_name\": \"ts_db\", \"space_name\": "
        + "\"ts_space\", \"query\": {\"document_ids\": [\"4501743250723073467\", \"0\", \"1\"]}}"));
    assertEquals(2, byIds.path("total").asInt(), byIds::toString);
    assertEquals(List.of("0", "1"), ids(byIds.path("document_ids")));
    JsonNode byFilter = ok(write.post("/document/delete", "{\"db_name\": \"ts_db\", \"space_name\": \"ts_space\", "
        + "\"filters\": {\"operator\": \"AND\", \"conditions\": [{\"field\": \"field_int\", \"operator\": \"<\", "
        + "\"value\": 10}]}, \"limit\": 100}"));
    // -1 (the document without _id) and 2..9.
    assertEquals(9, byFilter.path("total").asInt(), byFilter::toString);
    Standalone.waitFor("the deletes searchable", Duration.ofSeconds(30),
        () -> ok(read.get("/dbs/ts_db/spaces/ts_space")).path("doc_num").asInt() == N - 10);

    ok(write.delete("/dbs/ts_db/spaces/ts_space"));
    refused(read.get("/dbs/ts_db/spaces/ts_space"), 404, "ts_space");
    ok(write.delete("/dbs/ts_db"));
  }

  /** The ids of a list of documents, or of plain id strings. */
  static List<String> ids(JsonNode list) {
    List<String> out = new ArrayList<>();
    for (JsonNode d : list) {
      out.add(d.isTextual() ? d.textValue() : d.path("_id").asText());
    }
    return out;
  }

  List<String> brute(float[] q, java.util.function.IntPredicate keep, int k) {
    return IntStream.range(0, N).filter(keep).boxed().sorted(Comparator.comparingDouble(i -> l2(q, vectors[i])))
        .limit(k).map(String::valueOf).toList();
  }

  static double l2(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      s += d * d;
    }
    return s;
  }
}
