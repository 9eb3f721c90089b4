package io.vecgate.engine.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.search.FixedBitSet;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.testkit.TestVectors;
import static io.vecgate.engine.testkit.TestVectors.assertSameNeighbors;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import java.lang.foreign.Arena;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract every index type must keep (as Lucene's BaseKnnVectorsFormatTestCase): recall
 * against brute force for every metric, empty index, k larger than the index, filters, bad
 * queries, batch equal to one-by-one, and reopening from persisted parts. A new index type
 * extends this class and inherits the whole contract.
 */
public abstract class VectorIndexContract {

  protected static final int DIM = 33;
  protected static final int N = 4000;
  protected static final long SEED = 42;

  protected final Arena arena = Arena.ofShared();

  @AfterEach
  void closeArena() {
    arena.close();
  }

  protected abstract IndexType type();

  /** Build parameters suited to {@code n} vectors. */
  protected abstract IndexParams buildParams(int n);

  /** Search parameters that should reach {@link #minRecall()}. */
  protected abstract SearchParams searchParams();

  /** Mean recall@10 this type must reach on the contract's clustered data. */
  protected abstract double minRecall();

  protected BuiltIndex build(float[][] base, Metric metric) {
    return Indexes.build(type(), metric, FloatVectors.copyOf(base, arena), buildParams(base.length), arena);
  }

  protected double meanRecall(BuiltIndex built, float[][] base, float[][] queries, Metric metric, int k,
                              SearchParams p, FixedBitSet inputFilter) {
    FixedBitSet filter = inputFilter == null ? null : toOrdinals(inputFilter, built.order());
    int[] ks = new int[queries.length];
    java.util.Arrays.fill(ks, k);
    Neighbors[] got = built.index().search(queries, ks, p, filter);
    double sum = 0;
    for (int i = 0; i < queries.length; i++) {
      int[] truth = TestVectors.bruteForce(metric, base, queries[i], k, inputFilter);
      int[] rows = TestVectors.rows(got[i], built.order());
      if (inputFilter != null) {
        for (int r : rows) {
          assertTrue(inputFilter.get(r), "row " + r + " is outside the filter");
        }
      }
      sum += TestVectors.recall(truth, rows);
    }
    return sum / queries.length;
  }

  /** Translates a filter over input rows into one over index ordinals. */
  protected static FixedBitSet toOrdinals(FixedBitSet rows, int[] order) {
    FixedBitSet ords = new FixedBitSet(order.length);
    for (int ord = 0; ord < order.length; ord++) {
      if (rows.get(order[ord])) {
        ords.set(ord);
      }
    }
    return ords;
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void recallAgainstBruteForce(Metric metric) {
    float[][] base = TestVectors.clustered(N, DIM, 40, SEED);
    float[][] queries = TestVectors.clustered(60, DIM, 40, SEED + 1);
    BuiltIndex built = build(base, metric);
    double recall = meanRecall(built, base, queries, metric, 10, searchParams(), null);
    assertTrue(recall >= minRecall(), type() + " " + metric + " recall@10 " + recall + " < " + minRecall());
  }

  @Test
  void exactSearchEqualsBruteForce() {
    float[][] base = TestVectors.clustered(1500, DIM, 20, SEED);
    float[][] queries = TestVectors.uniform(20, DIM, SEED + 2);
    BuiltIndex built = build(base, Metric.L2);
    for (float[] q : queries) {
      Neighbors n = built.index().search(q, 10, searchParams().withExact(true), null);
      assertArrayEquals(TestVectors.bruteForce(Metric.L2, base, q, 10, null), TestVectors.rows(n, built.order()));
    }
  }

  @Test
  void emptyIndexReturnsNothing() {
    FloatVectors empty = FloatVectors.allocate(arena, 0, DIM);
    BuiltIndex built = Indexes.build(type(), Metric.L2, empty, buildParams(0), arena);
    assertEquals(0, built.index().size());
    assertEquals(0, built.index().search(new float[DIM], 5, searchParams(), null).size());
  }

  @Test
  void kLargerThanIndexReturnsEverything() {
    float[][] base = TestVectors.clustered(50, DIM, 3, SEED);
    BuiltIndex built = build(base, Metric.L2);
    Neighbors n = built.index().search(base[0], 500, searchParams().withNprobe(1 << 20).withEf(1000), null);
    assertEquals(50, n.size());
    assertEquals(0, built.order()[n.ordinal(0)]);
    for (int i = 1; i < n.size(); i++) {
      assertTrue(n.distance(i - 1) <= n.distance(i), "results must be sorted by distance");
    }
  }

  @Test
  void filteredSearchKeepsRecallAndOnlyReturnsAllowed() {
    float[][] base = TestVectors.clustered(N, DIM, 40, SEED);
    float[][] queries = TestVectors.clustered(40, DIM, 40, SEED + 3);
    BuiltIndex built = build(base, Metric.L2);
    FixedBitSet tenPercent = new FixedBitSet(N);
    Random rnd = new Random(SEED);
    for (int i = 0; i < N; i++) {
      if (rnd.nextInt(10) == 0) {
        tenPercent.set(i);
      }
    }
    double recall = meanRecall(built, base, queries, Metric.L2, 10, searchParams(), tenPercent);
    assertTrue(recall >= minRecall() - 0.05, type() + " filtered recall@10 " + recall);
  }

  /**
   * A request is checked where it comes in (the gateway, the reader's search plan): inside the
   * engine a wrong dimension, a non-finite component or k < 1 is the caller's bug, caught by an
   * assert (the tests run with -ea) that names it. A filter of another length is refused.
   */
  @Test
  void badQueriesFailAnAssertThatNamesTheReason() {
    float[][] base = TestVectors.clustered(100, DIM, 3, SEED);
    VectorIndex index = build(base, Metric.L2).index();
    Throwable e = assertThrows(AssertionError.class, () -> index.search(new float[DIM + 1], 5, searchParams(), null));
    assertTrue(e.getMessage().contains("dimension"), e.getMessage());
    float[] nan = new float[DIM];
    nan[3] = Float.NaN;
    e = assertThrows(AssertionError.class, () -> index.search(nan, 5, searchParams(), null));
    assertTrue(e.getMessage().contains("finite"), e.getMessage());
    e = assertThrows(AssertionError.class, () -> index.search(new float[DIM], 0, searchParams(), null));
    assertTrue(e.getMessage().contains("k"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> index.search(new float[DIM], 5, searchParams(), new FixedBitSet(3)));
    assertTrue(e.getMessage().contains("filter"), e.getMessage());
  }

  @Test
  void batchEqualsOneByOneWithMixedK() {
    float[][] base = TestVectors.clustered(N, DIM, 40, SEED);
    float[][] queries = TestVectors.clustered(50, DIM, 40, SEED + 4);
    VectorIndex index = build(base, Metric.INNER_PRODUCT).index();
    int[] ks = new int[queries.length];
    for (int i = 0; i < ks.length; i++) {
      ks[i] = 1 + (i * 7) % 30;
    }
    Neighbors[] batch = index.search(queries, ks, searchParams(), null);
    for (int i = 0; i < queries.length; i++) {
      Neighbors single = index.search(queries[i], ks[i], searchParams(), null);
      assertSameNeighbors(single, batch[i], "query " + i);
    }
  }

  /**
   * Per-query determinism, which query merging on the readers relies on: a query's answer in a
   * batch is bit for bit its answer alone (same ordinals, same float distances), whatever the
   * other queries of the batch, their k, the four-query kernel groups it falls in, the filter and
   * quick mode. Dimension 132 (near the benchmarks' 128, and with IVF_PQ's m = 11 dividing it), and
   * the contract's odd one for the kernels' tails.
   */
  @ParameterizedTest
  @EnumSource(Metric.class)
  void batchAnswersEachQueryBitForBitAsAlone(Metric metric) {
    for (int dim : new int[] {132, DIM}) {
      float[][] base = TestVectors.clustered(2500, dim, 25, SEED + dim);
      // 23 queries: five groups of four and a remainder of three in batched IVF scans.
      float[][] queries = TestVectors.clustered(23, dim, 25, SEED + dim + 1);
      VectorIndex index = Indexes.build(type(), metric, FloatVectors.copyOf(base, arena), buildParams(base.length), arena)
          .index();
      int[] ks = new int[queries.length];
      for (int i = 0; i < ks.length; i++) {
        ks[i] = 1 + (i * 13) % 40;
      }
      FixedBitSet filter = new FixedBitSet(base.length);
      Random rnd = new Random(SEED);
      for (int i = 0; i < base.length; i++) {
        if (rnd.nextInt(4) != 0) {
          filter.set(i);
        }
      }
      for (FixedBitSet f : new FixedBitSet[] {null, filter}) {
        for (SearchParams p : new SearchParams[] {searchParams(), searchParams().withQuick(true)}) {
          Neighbors[] batch = index.search(queries, ks, p, f);
          // The same queries in another batch: reversed, so every query meets other neighbours.
          float[][] reversed = new float[queries.length][];
          int[] reversedK = new int[queries.length];
          for (int i = 0; i < queries.length; i++) {
            reversed[i] = queries[queries.length - 1 - i];
            reversedK[i] = ks[queries.length - 1 - i];
          }
          Neighbors[] other = index.search(reversed, reversedK, p, f);
          for (int i = 0; i < queries.length; i++) {
            Neighbors alone = index.search(queries[i], ks[i], p, f);
            String what = type() + " " + metric + " dim " + dim + (f == null ? "" : " filtered") + (p.quick() ? " quick" : "")
                + " query " + i;
            assertArrayEquals(alone.ordinals(), batch[i].ordinals(), what);
            assertArrayEquals(alone.distances(), batch[i].distances(), what + ": distances differ from alone");
            assertArrayEquals(alone.ordinals(), other[queries.length - 1 - i].ordinals(), what + " (reversed batch)");
            assertArrayEquals(alone.distances(), other[queries.length - 1 - i].distances(), what + " (reversed batch)");
          }
        }
      }
    }
  }

  @Test
  void reopenedFromPartsGivesTheSameResults() {
    float[][] base = TestVectors.clustered(N, DIM, 40, SEED);
    float[][] queries = TestVectors.clustered(20, DIM, 40, SEED + 5);
    VectorIndex index = build(base, Metric.COSINE).index();
    VectorIndex reopened = Indexes.open(type(), index.metric(), index.dimension(), index.size(), index.params(), index.parts());
    for (float[] q : queries) {
      assertSameNeighbors(index.search(q, 10, searchParams(), null), reopened.search(q, 10, searchParams(), null), "reopened");
    }
  }

  @Test
  void buildIsDeterministic() {
    float[][] base = TestVectors.clustered(2000, DIM, 20, SEED);
    VectorIndex a = build(base, Metric.L2).index();
    VectorIndex b = build(base, Metric.L2).index();
    float[] q = base[7];
    assertSameNeighbors(a.search(q, 10, searchParams(), null), b.search(q, 10, searchParams(), null), "rebuilt");
  }

}
