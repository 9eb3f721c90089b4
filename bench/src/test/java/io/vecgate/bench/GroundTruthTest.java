package io.vecgate.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vecgate.engine.search.FixedBitSet;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import java.lang.foreign.Arena;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GroundTruthTest {

  @Test
  void filteredTruthIsTheExactTopKOfTheAllowedRowsPaddedWithMinusOne() throws Exception {
    SplittableRandom rnd = new SplittableRandom(5);
    float[][] base = new float[300][6];
    for (float[] v : base) {
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) rnd.nextGaussian();
      }
    }
    float[][] queries = {base[0].clone(), base[7].clone()};
    FixedBitSet allowed = AnnCommand.randomAllowed(base.length, 2.0, 9); // 6 rows
    assertEquals(6, allowed.cardinality());
    int[][] truth;
    // Shared arena: the base is scanned from the worker threads.
    try (Arena arena = Arena.ofShared()) {
      truth = GroundTruth.compute(FloatVectors.copyOf(base, arena), Metric.L2, queries, 8, allowed, 3,
          GroundTruth.Progress.NONE);
    }
    for (int q = 0; q < queries.length; q++) {
      float[] query = queries[q];
      int[] expected = IntStream.range(0, base.length).filter(allowed::get).boxed()
          .sorted(Comparator.comparingDouble((Integer i) -> l2(query, base[i]))).mapToInt(Integer::intValue).toArray();
      int[] want = IntStream.concat(IntStream.of(expected), IntStream.of(-1, -1)).toArray();
      assertArrayEquals(want, truth[q], "query " + q);
    }
  }

  @Test
  void percentileIsNearestRank() {
    long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertEquals(5, QueryRunner.percentile(sorted, 0.50));
    assertEquals(10, QueryRunner.percentile(sorted, 0.99));
    assertEquals(7, QueryRunner.percentile(new long[] {7}, 0.99));
  }

  private static double l2(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (double) a[i] - b[i];
      s += d * d;
    }
    return s;
  }
}
