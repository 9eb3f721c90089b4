package io.vecgate.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.vector.Metric;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpaceSchemasTest {

  static ObjectNode json(String s) {
    return StrictJson.parseObject(s.getBytes(StandardCharsets.UTF_8), "test");
  }

  static final String GOOD = """
      {"name": "items", "partition_num": 4, "replica_num": 1, "partitioner": "modulo",
       "engine": {"retrieval_type": "IVFPQ", "retrieval_param": {"metric_type": "InnerProduct", "ncentroids": 256,
                  "nprobe": 8, "nsubvector": 32}},
       "properties": {"vec": {"type": "vector", "dimension": 128}, "price": {"type": "float", "index": true},
                      "brand": {"type": "keyword", "index": true}}}""";

  @Test
  void parsesTheVearchBody() {
    SpaceSchema s = SpaceSchemas.parse("shop", json(GOOD));
    assertEquals("items", s.name());
    assertEquals(4, s.partitionNum());
    assertEquals(IndexType.IVF_PQ, s.engine().indexType());
    assertEquals(Metric.INNER_PRODUCT, s.engine().metric());
    assertEquals("256", s.engine().buildParams().get("nlist"));
    assertEquals("32", s.engine().buildParams().get("m"));
    assertEquals(8, s.engine().nprobe());
    assertEquals(128, s.vectorLength());
    assertEquals(List.of("vec"), s.vectorFieldNames());
    assertEquals(FieldType.KEYWORD, s.field("brand").type());
  }

  static String reason(String body) {
    return assertThrows(ApiException.class, () -> SpaceSchemas.parse("shop", json(body))).reason();
  }

  @Test
  void refusesMisspeltAndMisplacedKeysNamingThem() {
    assertTrue(reason(GOOD.replace("retrieval_param", "retrieval_params")).contains("engine.retrieval_params"));
    assertTrue(reason(GOOD.replace("\"nsubvector\": 32", "\"nlinks\": 32")).contains("retrieval_param.nlinks"));
    assertTrue(reason(GOOD.replace("\"dimension\": 128", "\"dimension\": 0")).contains("properties.vec.dimension"));
    assertTrue(reason(GOOD.replace("\"float\"", "\"flaot\"")).contains("properties.price.type"));
    assertTrue(reason(GOOD.replace("\"nsubvector\": 32", "\"nsubvector\": 30")).contains("nsubvector"));
    assertTrue(reason(GOOD.replace("\"partition_num\": 4", "\"partition_num\": \"4\"")).contains("partition_num"));
    assertTrue(reason(GOOD.replace("InnerProduct", "Dot")).contains("metric_type"));
    assertTrue(reason(GOOD.replace("\"name\": \"items\"", "\"name\": \"bad name\"")).contains("name"));
  }

  @Test
  void documentsAreCheckedAgainstTheSchema() {
    SpaceSchema s = SpaceSchemas.parse("shop", json(GOOD.replace("128", "3").replace("32}", "3}")));
    Document d = Documents.parse(s, json("{\"price\": 2.5, \"brand\": \"x\", \"vec\": {\"feature\": [1, 2, 3]}}"), "a", "");
    assertEquals(2.5f, d.scalars().get("price"));
    ApiException wrongDim = assertThrows(ApiException.class,
        () -> Documents.parse(s, json("{\"vec\": {\"feature\": [1, 2]}}"), "a", ""));
    assertTrue(wrongDim.reason().contains("vec.feature") && wrongDim.reason().contains("got 2"), wrongDim.reason());
    ApiException wrongType = assertThrows(ApiException.class,
        () -> Documents.parse(s, json("{\"price\": \"cheap\", \"vec\": {\"feature\": [1, 2, 3]}}"), "a", ""));
    assertTrue(wrongType.reason().startsWith("price: expected a number"), wrongType.reason());
    ApiException unknown = assertThrows(ApiException.class,
        () -> Documents.parse(s, json("{\"colour\": 1, \"vec\": {\"feature\": [1, 2, 3]}}"), "a", ""));
    assertTrue(unknown.reason().startsWith("colour: unknown field"), unknown.reason());
    ApiException missing = assertThrows(ApiException.class, () -> Documents.parse(s, json("{\"price\": 1}"), "a", "line 3"));
    assertTrue(missing.reason().startsWith("line 3.vec: missing"), missing.reason());
  }

  static final String TWO = """
      {"name": "items", "engine": {"retrieval_type": "IVFPQ", "retrieval_param": {"nsubvector": 4}},
       "properties": {"title": {"type": "vector", "dimension": 8}, "price": {"type": "float", "index": true},
                      "image": {"type": "vector", "dimension": 4}}}""";

  @Test
  void severalVectorFieldsEachWithItsOwnDimension() {
    SpaceSchema s = SpaceSchemas.parse("shop", json(TWO));
    assertEquals(List.of("title", "image"), s.vectorFieldNames());
    assertEquals(12, s.vectorLength());
    assertEquals(0, s.vectorOffset(s.field("title")));
    assertEquals(8, s.vectorOffset(s.field("image")));
    assertEquals(List.of("price"), s.scalarFields().stream().map(FieldSpec::name).toList());
    assertThrows(IllegalArgumentException.class, () -> s.vectorOffset(s.field("price")));
    // nsubvector must divide every vector field's dimension.
    String bad = reason(TWO.replace("\"dimension\": 4", "\"dimension\": 6"));
    assertTrue(bad.contains("nsubvector") && bad.contains("image has 6") && bad.contains("got 4"), bad);
    assertTrue(reason(TWO.replace("\"vector\", \"dimension\": 8", "\"float\"").replace("\"vector\", \"dimension\": 4", "\"float\""))
        .contains("properties: expected 1 to 16 fields of type vector, got 0"));
  }

  @Test
  void documentsOfSeveralVectorFieldsNeedEveryOne() {
    SpaceSchema s = SpaceSchemas.parse("shop", json(TWO));
    Document d = Documents.parse(s, json("""
        {"image": {"feature": [9, 10, 11, 12]}, "price": 1, "title": {"feature": [1, 2, 3, 4, 5, 6, 7, 8]}}"""), "a", "");
    assertEquals(12, d.vector().length);
    assertEquals(1f, d.vector()[0]);
    assertEquals(9f, d.vector()[8]);
    ApiException missing = assertThrows(ApiException.class, () -> Documents.parse(s,
        json("{\"title\": {\"feature\": [1, 2, 3, 4, 5, 6, 7, 8]}}"), "a", "line 5"));
    assertTrue(missing.reason().startsWith("line 5.image: missing; expected {\"feature\": [4 numbers]}"), missing.reason());
    assertTrue(missing.reason().contains("[title, image]"), missing.reason());
    ApiException wrongDim = assertThrows(ApiException.class, () -> Documents.parse(s, json("""
        {"image": {"feature": [9, 10, 11]}, "title": {"feature": [1, 2, 3, 4, 5, 6, 7, 8]}}"""), "a", ""));
    assertTrue(wrongDim.reason().contains("image.feature") && wrongDim.reason().contains("got 3"), wrongDim.reason());
  }

  @Test
  void keysVearchSendsEitherWorkOrAreRefusedWithAReason() {
    assertTrue(reason(GOOD.replace("\"replica_num\": 1", "\"replica_num\": 3"))
        .startsWith("replica_num: a space has one copy on the shared mount and as many replicas as readers"));
    assertTrue(reason(GOOD.replace("\"dimension\": 128}", "\"dimension\": 128, \"store_type\": \"RocksDB\"}"))
        .startsWith("properties.vec.store_type: \"MemoryOnly\" and \"Mmap\" are supported"));
    SpaceSchema mem = SpaceSchemas.parse("shop", json(GOOD.replace("\"dimension\": 128}",
        "\"dimension\": 128, \"store_type\": \"MemoryOnly\", \"format\": \"normalization\"}")));
    assertTrue(mem.field("vec").normalized());
    assertTrue(!SpaceSchemas.parse("shop", json(GOOD)).field("vec").normalized());
    assertEquals(0, SpaceSchemas.parse("shop", json(GOOD)).engine().indexSize());
    assertEquals(5000, SpaceSchemas.parse("shop", json(GOOD.replace("\"retrieval_type\"", "\"index_size\": 5000, "
        + "\"retrieval_type\""))).engine().indexSize());
    assertTrue(reason(GOOD.replace("\"retrieval_type\"", "\"index_size\": 0, \"retrieval_type\""))
        .contains("engine.index_size"));
  }

  @Test
  void aNormalizedFieldStoresUnitVectorsAndRefusesAZeroOne() {
    SpaceSchema s = SpaceSchemas.parse("shop", json("""
        {"name": "n", "engine": {"retrieval_type": "FLAT", "retrieval_param": {"metric_type": "InnerProduct"}},
         "properties": {"v": {"type": "vector", "dimension": 2, "format": "normalization"},
                        "raw": {"type": "vector", "dimension": 2}}}"""));
    Document d = Documents.parse(s, json("{\"v\": {\"feature\": [3, 4]}, \"raw\": {\"feature\": [3, 4]}}"), "a", "");
    assertEquals(0.6f, d.vector()[0], 1e-6);
    assertEquals(0.8f, d.vector()[1], 1e-6);
    assertEquals(3f, d.vector()[2], "the other field is stored as sent");
    ApiException zero = assertThrows(ApiException.class,
        () -> Documents.parse(s, json("{\"v\": {\"feature\": [0, 0]}, \"raw\": {\"feature\": [3, 4]}}"), "a", "line 3"));
    assertEquals("line 3.v: a zero vector cannot be normalised (field 'v' has \"format\": \"normalization\")",
        zero.reason());
  }
}
