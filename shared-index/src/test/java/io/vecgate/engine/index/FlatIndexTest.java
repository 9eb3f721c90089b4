package io.vecgate.engine.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.testkit.TestVectors;
import io.vecgate.engine.vector.Metric;
import org.junit.jupiter.api.Test;

class FlatIndexTest extends VectorIndexContract {

  @Override
  protected IndexType type() {
    return IndexType.FLAT;
  }

  @Override
  protected IndexParams buildParams(int n) {
    return IndexParams.empty();
  }

  @Override
  protected SearchParams searchParams() {
    return SearchParams.DEFAULTS;
  }

  @Override
  protected double minRecall() {
    return 1.0;
  }

  @Test
  void flatEqualsBruteForceForEveryMetric() {
    float[][] base = TestVectors.clustered(2000, DIM, 30, SEED);
    float[][] queries = TestVectors.uniform(30, DIM, SEED + 9);
    for (Metric metric : Metric.values()) {
      BuiltIndex built = build(base, metric);
      for (float[] q : queries) {
        Neighbors n = built.index().search(q, 20, SearchParams.DEFAULTS, null);
        assertArrayEquals(TestVectors.bruteForce(metric, base, q, 20, null), TestVectors.rows(n, built.order()), metric.name());
      }
    }
  }
}
