package io.vecgate.gateway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.common.api.ApiException;
import io.vecgate.common.json.StrictJson;
import io.vecgate.common.space.SpaceSchema;
import io.vecgate.common.space.SpaceSchemas;
import java.nio.charset.StandardCharsets;
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
    assertEquals(2f, q.boost());
    assertTrue(q.scoreBounds().test(5) && !q.scoreBounds().test(5.1));
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
    assertEquals(0.002f, parser.parse(SPACE, ok, null).queries()[1]);
  }
}
