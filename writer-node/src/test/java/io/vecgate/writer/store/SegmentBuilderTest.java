package io.vecgate.writer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vecgate.engine.index.IndexType;
import io.vecgate.writer.TestSpaces;
import org.junit.jupiter.api.Test;

/** Which index a segment gets: the writer's --flat-below, or the space's own index_size when it has one. */
class SegmentBuilderTest {

  static final String HNSW = "{\"name\": \"s\", \"engine\": {%s\"retrieval_type\": \"HNSW\", \"retrieval_param\": "
      + "{\"metric_type\": \"L2\"}}, \"properties\": {\"vec\": {\"type\": \"vector\", \"dimension\": 4}}}";

  @Test
  void theSpacesIndexSizeStandsInForFlatBelow() {
    SegmentBuilder plain = new SegmentBuilder(TestSpaces.schema("db", HNSW.formatted("")), 10_000);
    assertEquals(IndexType.FLAT, plain.typeFor(500));
    assertEquals(IndexType.HNSW, plain.typeFor(10_000));
    SegmentBuilder sized = new SegmentBuilder(TestSpaces.schema("db", HNSW.formatted("\"index_size\": 400, ")), 10_000);
    assertEquals(IndexType.FLAT, sized.typeFor(399));
    assertEquals(IndexType.HNSW, sized.typeFor(500));
  }
}
