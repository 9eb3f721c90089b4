package io.vecgate.gateway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.space.SpaceSchema;
import io.vecgate.space.SpaceSchemas;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchQueryParserTest {

  static ObjectNode json(String s) {
    return StrictJson.parseObject(s.getBytes(StandardCharsets.UTF_8), "test");
  }

  static final SpaceSchema SPACE = SpaceSchemas.parse("shop", json("""
      {"name": "items", "partition_num": 2,
       "engine": {"retrieval_type": "IVFSQ8", "retrieval_param": {"metric_type": "L2", "ncentroids": 64, "nprobe": 4}},
       "properties": {"vec": {"type": "vector", "dimension": 2}, "price": {"type": "float", "index": true},
                      "brand": {"type": "keyword", "index": true}, "note": {"type": "string"}}}"""));

  final SearchQueryParser parser = new SearchQueryParser(100);

  @Test
  void parsesEveryParameter() {
    SearchQuery q = parser.parse(SPACE, json("""
        {"query": {"sum": [{"field": "vec", "feature": [1, 2, 3, 4], "min_score": 0, "max_score": 5, "boost": 2}],
                   "filter": [{"range": {"price": {"gte": 1, "lt": 9}}}, {"term": {"brand": ["a", "b"], "operator": "not"}}]},
         "size": 7, "retrieval_param": {"nprobe": 12}, "fields": ["price"], "vector_value": true,
         "sort": [{"price": {"order": "desc"}}], "is_brute_search": 1, "quick": true, "l2_sqrt": true,
         "online_log_level": "debug", "client_type": "random"}"""), null);
    assertEquals(2, q.nq());
    assertEquals(7, q.size());
    assertEquals(12, q.nprobe());
    assertEquals(2, q.filters().size());
    assertTrue(q.exact() && q.quick() && q.l2Sqrt() && q.vectorValue() && q.debug());
    assertEquals("random", q.clientType());
    assertEquals(2f, q.sum().getFirst().boost());
    assertTrue(q.sum().getFirst().bounds().test(5) && !q.sum().getFirst().bounds().test(5.1));
    assertTrue(q.hasBounds());
    assertEquals(List.of("price"), q.fields());
    assertEquals(3, parser.parse(SPACE, json("{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": [1, 2]}]}}"), "3").size());
  }

  static final String OK = "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": [1, 2]}]}, \"size\": 5}";

  String reason(String body) {
    return assertThrows(ApiException.class, () -> parser.parse(SPACE, json(body), null)).reason();
  }

  @Test
  void badRequestsNameTheField() {
    assertTrue(reason(OK.replace("[1, 2]", "[1, 2, 3]")).contains("query.sum[0].feature"));
    assertTrue(reason(OK.replace("[1, 2]", "[]")).contains("empty vector"));
    assertTrue(reason(OK.replace("\"size\": 5", "\"size\": 101")).contains("size"));
    assertTrue(reason(OK.replace("\"size\": 5", "\"sise\": 5")).contains("sise: unknown field"));
    assertTrue(reason(OK.replace("\"vec\"", "\"vek\"")).contains("query.sum[0].field"));
    assertTrue(reason(OK.replace("[1, 2]", "[1, \"x\"]")).contains("feature[1]"));
    assertTrue(reason(OK.replace("}]}", "}], \"filter\": [{\"range\": {\"brand\": {\"gte\": 1}}}]}"))
        .contains("range needs a numeric field"));
    assertTrue(reason(OK.replace("}]}", "}], \"filter\": [{\"term\": {\"note\": [\"x\"]}}]}")).contains("not indexed"));
    assertTrue(reason(OK.replace("}]}", "}], \"filter\": [{\"term\": {\"price\": [\"x\"]}}]}")).contains("price[0]"));
    assertTrue(reason(OK.replace("\"size\": 5", "\"retrieval_param\": {\"nprob\": 3}")).contains("retrieval_param.nprob"));
    assertTrue(assertThrows(ApiException.class, () -> parser.parse(SPACE, json(OK), "abc")).reason().contains("size"));
  }

  @Test
  void theFastMapperKeepsTheChecks() {
    for (String bad : new String[] {OK.replace("\"size\": 5", "\"size\": 1e400"), OK.replace("\"size\": 5", "\"size\": 5.5"),
        OK.replace("[1, 2]", "[1, 1e39]"), OK.replace("[1, 2]", "[1, 1e400]")}) {
      ObjectNode body = StrictJson.parseObject(bad.getBytes(StandardCharsets.UTF_8), "test", StrictJson.FAST);
      ApiException e = assertThrows(ApiException.class, () -> parser.parse(SPACE, body, null), bad);
      assertEquals(400, e.status());
    }
    ObjectNode ok = StrictJson.parseObject(OK.replace("[1, 2]", "[0.1, 2e-3]").getBytes(StandardCharsets.UTF_8), "t", StrictJson.FAST);
    assertEquals(0.002f, parser.parse(SPACE, ok, null).sum().getFirst().queries()[1]);
  }

  static final SpaceSchema TWO = SpaceSchemas.parse("shop", json("""
      {"name": "items", "engine": {"retrieval_type": "FLAT"},
       "properties": {"title": {"type": "vector", "dimension": 2}, "price": {"type": "float", "index": true},
                      "image": {"type": "vector", "dimension": 3}}}"""));

  String reasonTwo(String body) {
    return assertThrows(ApiException.class, () -> parser.parse(TWO, json(body), null)).reason();
  }

  @Test
  void oneEntryPerVectorFieldWithTheSameNumberOfQueries() {
    SearchQuery q = parser.parse(TWO, json("""
        {"query": {"sum": [{"field": "image", "feature": [1, 2, 3, 4, 5, 6], "boost": 0.5, "min_score": 1},
                           {"field": "title", "feature": [1, 2, 3, 4]}]},
         "fields": ["price", "image"]}"""), null);
    assertEquals(2, q.nq());
    assertEquals(List.of("image", "title"), q.sum().stream().map(SearchQuery.SumEntry::field).toList());
    assertEquals(List.of(3, 2), q.sum().stream().map(SearchQuery.SumEntry::dimension).toList());
    assertEquals(0.5f, q.sum().getFirst().boost());
    assertEquals(1f, q.sum().get(1).boost());
    assertEquals(SearchQuery.ScoreBounds.NONE, q.sum().get(1).bounds());
    assertTrue(q.hasBounds());
    assertEquals(List.of("price", "image"), q.fields(), "a vector field in the projection comes back");
    assertEquals(1, parser.parse(TWO, json("{\"query\": {\"sum\": [{\"field\": \"image\", \"feature\": [1, 2, 3]}]}}"),
        null).sum().size());

    assertEquals("query.sum[1].field: 'title' is already searched by query.sum[0]; expected one entry per vector field",
        reasonTwo("""
        {"query": {"sum": [{"field": "title", "feature": [1, 2]}, {"field": "title", "feature": [3, 4]}]}}"""));
    assertEquals("query.sum[1].field: expected one of the vector fields [title, image], got 'price'", reasonTwo("""
        {"query": {"sum": [{"field": "title", "feature": [1, 2]}, {"field": "price", "feature": [3, 4]}]}}"""));
    assertEquals("query.sum[0].field: expected one of the vector fields [title, image], got 'picture'", reasonTwo("""
        {"query": {"sum": [{"field": "picture", "feature": [1, 2]}]}}"""));
    String nq = reasonTwo("""
        {"query": {"sum": [{"field": "title", "feature": [1, 2]}, {"field": "image", "feature": [1, 2, 3, 4, 5, 6]}]}}""");
    assertEquals("query.sum[1].feature: expected 1 query vector of 3 numbers (3 numbers, as every entry has the same "
        + "number of query vectors), got 6 numbers", nq);
    assertTrue(reasonTwo("""
        {"query": {"sum": [{"field": "title", "feature": [1, 2]}, {"field": "image", "feature": [1, 2]}]}}""")
        .startsWith("query.sum[1].feature: expected a multiple of 3 numbers"));
    assertTrue(reasonTwo("""
        {"query": {"sum": [{"field": "title", "feature": [1, 2], "boost": 0}]}}""").startsWith("query.sum[0].boost"));
    assertTrue(reasonTwo("""
        {"query": {"sum": [{"field": "title", "feature": [1, 2]}], "filter": [{"term": {"image": ["x"]}}]}}""")
        .contains("'image' is a vector field"));
  }
}
