package io.vecgate.gateway.vearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.gateway.search.SearchQuery;
import io.vecgate.gateway.search.SearchQueryParser;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.space.SpaceSchema;
import io.vecgate.space.SpaceSchemas;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** 3.5 bodies read into vecgate's forms, and what does not translate refused naming the 3.5 path. */
class V35RequestsTest {

  static ObjectNode json(String s) {
    return StrictJson.parseObject(s.getBytes(StandardCharsets.UTF_8), "test");
  }

  static final ObjectNode SPACE_35 = json("""
      {"name": "ts_space", "partition_num": 2, "replica_num": 1, "fields": [
        {"name": "field_int", "type": "integer", "index": {"name": "field_int", "type": "SCALAR"}},
        {"name": "field_string", "type": "string", "index": {"type": "INVERTED"}},
        {"name": "field_note", "type": "string"},
        {"name": "v1", "type": "vector", "dimension": 4,
         "index": {"name": "gamma", "type": "HNSW", "params": {"metric_type": "InnerProduct", "nlinks": 16}}},
        {"name": "v2", "type": "vector", "dimension": 2,
         "index": {"name": "gamma", "type": "HNSW", "params": {"metric_type": "InnerProduct", "nlinks": 16}}}]}""");

  static final SpaceSchema SCHEMA = SpaceSchemas.parse("ts_db", V35Requests.space(SPACE_35));

  @Test
  void aSpaceWithFieldsBecomesEngineAndProperties() {
    ObjectNode v34 = V35Requests.space(SPACE_35);
    assertEquals(json("""
        {"name": "ts_space", "partition_num": 2, "replica_num": 1,
         "properties": {"field_int": {"type": "integer", "index": true},
                        "field_string": {"type": "string", "index": true}, "field_note": {"type": "string"},
                        "v1": {"type": "vector", "dimension": 4}, "v2": {"type": "vector", "dimension": 2}},
         "engine": {"retrieval_type": "HNSW", "retrieval_param": {"metric_type": "InnerProduct", "nlinks": 16}}}"""),
        v34);
    assertEquals(2, SCHEMA.fields().stream().filter(f -> f.isVector()).count());
  }

  @Test
  void spacesThatDoNotTranslateAreRefusedByTheir35Path() {
    assertReason("fields[1].index: every vector field of a space has the same index type", () -> V35Requests.space(json("""
        {"name": "s", "fields": [{"name": "a", "type": "vector", "dimension": 2, "index": {"type": "FLAT"}},
                                 {"name": "b", "type": "vector", "dimension": 2, "index": {"type": "HNSW"}}]}""")));
    assertReason("fields[0].array: array fields are not supported", () -> V35Requests.space(json("""
        {"name": "s", "fields": [{"name": "a", "type": "string", "array": true}]}""")));
    assertReason("fields: expected at least one field of type vector", () -> V35Requests.space(json("""
        {"name": "s", "fields": [{"name": "a", "type": "string"}]}""")));
    assertReason("fields[0].index.type: a scalar index is SCALAR, INVERTED or BITMAP", () -> V35Requests.space(json("""
        {"name": "s", "fields": [{"name": "a", "type": "string", "index": {"type": "HNSW"}}]}""")));
  }

  @Test
  void aSearchBecomesASumWithFiltersWeightsAndParameters() {
    ObjectNode v34 = V35Requests.search(json("""
        {"db_name": "ts_db", "space_name": "ts_space",
         "vectors": [{"field": "v1", "feature": [1, 0, 0, 0], "min_score": 0.5}, {"field": "v2", "feature": [0, 1]}],
         "ranker": {"type": "WeightedRanker", "params": [0.7, 0.3]},
         "filters": {"operator": "AND", "conditions": [
           {"field": "field_int", "operator": ">=", "value": 3}, {"field": "field_int", "operator": "=", "value": 5},
           {"field": "field_string", "operator": "NOT IN", "value": ["x", "y"]},
           {"field": "field_string", "operator": "=", "value": "z"}]},
         "limit": 7, "fields": ["field_int"], "vector_value": true, "index_params": {"efSearch": 64},
         "load_balance": "leader"}"""), SCHEMA);
    assertEquals(json("""
        {"query": {"sum": [{"field": "v1", "feature": [1, 0, 0, 0], "min_score": 0.5, "boost": 0.7},
                           {"field": "v2", "feature": [0, 1], "boost": 0.3}],
                   "filter": [{"range": {"field_int": {"gte": 3}}}, {"range": {"field_int": {"gte": 5, "lte": 5}}},
                              {"term": {"field_string": ["x", "y"], "operator": "not"}},
                              {"term": {"field_string": ["z"]}}]},
         "size": 7, "fields": ["field_int"], "vector_value": true, "retrieval_param": {"efSearch": 64},
         "client_type": "leader"}""").toString(), v34.toString(), "the weights are doubles, the parsed numbers decimals");
    // What it becomes is a search vecgate's own parser takes.
    SearchQuery q = new SearchQueryParser(100).parse(SCHEMA, v34, null);
    assertEquals(7, q.size());
    assertEquals(1, q.nq());
  }

  @Test
  void searchesThatDoNotTranslateAreRefusedByTheir35Path() {
    assertReason("filters.operator: only \"AND\" is supported", () -> V35Requests.search(json("""
        {"vectors": [{"field": "v2", "feature": [0, 1]}], "filters": {"operator": "OR",
         "conditions": [{"field": "field_int", "operator": ">", "value": 1}]}}"""), SCHEMA));
    assertReason("filters.conditions[0].field: 'v1' is not a scalar field", () -> V35Requests.search(json("""
        {"vectors": [{"field": "v2", "feature": [0, 1]}], "filters": {"operator": "AND",
         "conditions": [{"field": "v1", "operator": ">", "value": 1}]}}"""), SCHEMA));
    assertReason("filters.conditions[0].field: 'field_note' has no index", () -> V35Requests.search(json("""
        {"vectors": [{"field": "v2", "feature": [0, 1]}], "filters": {"operator": "AND",
         "conditions": [{"field": "field_note", "operator": "IN", "value": ["a"]}]}}"""), SCHEMA));
    assertReason("filters.conditions[0].operator: expected one of", () -> V35Requests.search(json("""
        {"vectors": [{"field": "v2", "feature": [0, 1]}], "filters": {"operator": "AND",
         "conditions": [{"field": "field_int", "operator": "LIKE", "value": 1}]}}"""), SCHEMA));
    assertReason("filters.conditions[0].value: expected a number for >", () -> V35Requests.search(json("""
        {"vectors": [{"field": "v2", "feature": [0, 1]}], "filters": {"operator": "AND",
         "conditions": [{"field": "field_int", "operator": ">", "value": "1"}]}}"""), SCHEMA));
    assertReason("ranker.params: expected an array of 2 weights", () -> V35Requests.search(json("""
        {"vectors": [{"field": "v2", "feature": [0, 1]}, {"field": "v1", "feature": [0, 1, 0, 0]}],
         "ranker": {"type": "WeightedRanker", "params": [1]}}"""), SCHEMA));
    assertReason("vectors[0].weight: unknown field", () -> V35Requests.search(json("""
        {"vectors": [{"field": "v2", "feature": [0, 1], "weight": 2}]}"""), SCHEMA));
    assertReason("index_params.recall_num: unknown field", () -> V35Requests.search(json("""
        {"vectors": [{"field": "v2", "feature": [0, 1]}], "index_params": {"recall_num": 5}}"""), SCHEMA));
  }

  @Test
  void anUpsertBecomesBulkIndexActionsWithVectorsWrapped() {
    V35Requests.Bulk bulk = V35Requests.upsert(json("""
        {"db_name": "ts_db", "space_name": "ts_space", "documents": [
          {"_id": "a", "field_int": 1, "v1": [1, 2, 3, 4], "v2": [5, 6]}, {"field_int": 2, "v1": [0, 0, 0, 1], "v2": [1, 0]}]}"""),
        SCHEMA);
    String[] lines = new String(bulk.ndjson(), StandardCharsets.UTF_8).split("\n");
    assertEquals(4, lines.length);
    assertEquals("{\"index\":{\"_id\":\"a\"}}", lines[0]);
    assertEquals(json("{\"field_int\": 1, \"v1\": {\"feature\": [1, 2, 3, 4]}, \"v2\": {\"feature\": [5, 6]}}"),
        json(lines[1]));
    assertEquals("a", bulk.ids().get(0));
    assertTrue(bulk.ids().get(1).matches("-?[0-9]+"), "an id made for the document without one: " + bulk.ids());
    assertReason("documents[0]._id: expected a non-empty string", () -> V35Requests.upsert(json("""
        {"documents": [{"_id": 5, "v1": [1, 2, 3, 4]}]}"""), SCHEMA));
  }

  @Test
  void aDeleteMayCarryItsSelectionInQuery() {
    ObjectNode hoisted = V35Requests.hoistQuery(json("""
        {"db_name": "d", "space_name": "s", "query": {"document_ids": ["1", "2"]}}"""));
    assertEquals(json("{\"db_name\": \"d\", \"space_name\": \"s\", \"document_ids\": [\"1\", \"2\"]}"), hoisted);
    assertReason("query.limit: unknown field", () -> V35Requests.hoistQuery(json("{\"query\": {\"limit\": 1}}")));
  }

  static void assertReason(String start, org.junit.jupiter.api.function.Executable call) {
    ApiException e = assertThrows(ApiException.class, call);
    assertEquals(400, e.status());
    assertTrue(e.reason().startsWith(start), e.reason());
  }
}
