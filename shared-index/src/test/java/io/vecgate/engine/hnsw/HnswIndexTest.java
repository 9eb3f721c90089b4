package io.vecgate.engine.hnsw;

import static io.vecgate.engine.testkit.TestVectors.assertSameNeighbors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.index.BuiltIndex;
import io.vecgate.engine.index.IndexParams;
import io.vecgate.engine.index.IndexParts;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.index.Indexes;
import io.vecgate.engine.index.PartKind;
import io.vecgate.engine.index.VectorIndexContract;
import io.vecgate.engine.search.Bits;
import io.vecgate.engine.search.FixedBitSet;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.testkit.TestVectors;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HnswIndexTest extends VectorIndexContract {

  @Override
  protected IndexType type() {
    return IndexType.HNSW;
  }

  @Override
  protected IndexParams buildParams(int n) {
    return IndexParams.parse("M=16,efConstruction=200");
  }

  @Override
  protected SearchParams searchParams() {
    // Inner product on these unnormalised clusters needs a wide beam: at ef=64 recall@10 is
    // about 0.82 (0.98 for L2, 0.95 for cosine), as with any HNSW on a non-metric distance.
    return SearchParams.DEFAULTS.withEf(400);
  }

  @Override
  protected double minRecall() {
    return 0.95;
  }

  private HnswIndex buildHnsw(float[][] base, Metric metric, String params, int threads) {
    FloatVectors v = FloatVectors.copyOf(base, arena);
    FloatVectors prepared = metric.normalises() ? Indexes.normalisedCopy(v, arena) : v;
    return HnswIndex.build(metric, prepared, HnswConfig.forBuild(IndexParams.parse(params)), arena, threads);
  }

  @Test
  void graphInvariantsHoldForSequentialAndParallelBuilds() {
    float[][] base = TestVectors.clustered(5000, 16, 25, SEED);
    for (int threads : new int[] {1, 2}) {
      HnswGraph g = buildHnsw(base, Metric.L2, "M=16,efConstruction=100", threads).graph();
      assertGraphInvariants(g, "threads=" + threads);
    }
  }

  private static void assertGraphInvariants(HnswGraph g, String what) {
    int n = g.size();
    assertEquals(g.maxLevel(), g.level(g.entryPoint()), what + ": entry point on the top level");
    int[] nodesOnLevel = new int[g.maxLevel() + 1];
    for (int node = 0; node < n; node++) {
      for (int level = 0; level <= g.level(node); level++) {
        nodesOnLevel[level]++;
      }
    }
    for (int node = 0; node < n; node++) {
      assertTrue(g.level(node) <= g.maxLevel(), what);
      for (int level = 0; level <= g.level(node); level++) {
        int[] nbs = g.neighbours(node, level);
        int max = level == 0 ? 2 * g.m() : g.m();
        assertTrue(nbs.length <= max, what + ": node " + node + " level " + level + " degree " + nbs.length);
        if (nodesOnLevel[level] > 1) {
          assertTrue(nbs.length > 0, what + ": node " + node + " level " + level + " has no neighbours");
        }
        Set<Integer> seen = new HashSet<>();
        for (int nb : nbs) {
          assertTrue(nb >= 0 && nb < n, what + ": neighbour " + nb + " out of range");
          assertNotEquals(node, nb, what + ": self loop at " + node);
          assertTrue(g.level(nb) >= level, what + ": neighbour " + nb + " lacks level " + level);
          assertTrue(seen.add(nb), what + ": duplicate neighbour " + nb + " of " + node);
        }
      }
    }
    boolean[] reached = new boolean[n];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(g.entryPoint());
    reached[g.entryPoint()] = true;
    int count = 1;
    while (!queue.isEmpty()) {
      for (int nb : g.neighbours(queue.poll(), 0)) {
        if (!reached[nb]) {
          reached[nb] = true;
          count++;
          queue.add(nb);
        }
      }
    }
    assertEquals(n, count, what + ": nodes reachable from the entry point on level 0");
  }

  @Test
  void levelsFollowTheSeedAndTheGeometricLaw() {
    HnswConfig config = new HnswConfig(16, 100, 64, 7);
    byte[] a = GraphArrays.drawLevels(100_000, config);
    assertArrayEquals(a, GraphArrays.drawLevels(100_000, config));
    int upper = 0;
    for (byte l : a) {
      upper += l > 0 ? 1 : 0;
    }
    // P(level >= 1) = exp(-1 / mL) = 1 / M.
    assertEquals(100_000 / 16.0, upper, 400, "nodes above level 0");
  }

  @Test
  void parallelBuildKeepsRecall() {
    float[][] base = TestVectors.clustered(N, DIM, 40, SEED);
    float[][] queries = TestVectors.clustered(60, DIM, 40, SEED + 1);
    HnswIndex index = buildHnsw(base, Metric.L2, "M=16,efConstruction=100", 2);
    double recall = meanRecall(new BuiltIndex(index, BuiltIndex.identity(N)), base, queries, Metric.L2, 10,
        SearchParams.DEFAULTS, null);
    // A mean of per-query recalls: 0.95 can come out as 0.9499999999999997.
    assertTrue(recall >= 0.95 - 1e-9, "parallel build recall@10 " + recall);
  }

  @Test
  void singleVectorIndexFindsIt() {
    float[][] base = {TestVectors.uniform(1, DIM, SEED)[0]};
    BuiltIndex built = build(base, Metric.L2);
    Neighbors n = built.index().search(base[0], 3, SearchParams.DEFAULTS, null);
    assertArrayEquals(new int[] {0}, n.ordinals());
  }

  @Test
  void unknownOrOutOfRangeParametersAreRejected() {
    FloatVectors v = FloatVectors.copyOf(TestVectors.uniform(10, DIM, SEED), arena);
    var e = assertThrows(IllegalArgumentException.class,
        () -> Indexes.build(IndexType.HNSW, Metric.L2, v, IndexParams.parse("efConstrution=10"), arena));
    assertTrue(e.getMessage().contains("efConstrution"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Indexes.build(IndexType.HNSW, Metric.L2, v, IndexParams.parse("M=1"), arena));
    assertTrue(e.getMessage().contains("M"), e.getMessage());
  }

  @Test
  void veryRestrictiveFilterGivesExactResults() {
    float[][] base = TestVectors.clustered(10_000, 32, 50, SEED);
    float[][] queries = TestVectors.clustered(30, 32, 50, SEED + 11);
    BuiltIndex built = new BuiltIndex(buildHnsw(base, Metric.L2, "M=16,efConstruction=100", 2), BuiltIndex.identity(10_000));
    FixedBitSet halfPercent = randomFilter(10_000, 200, SEED + 12);
    for (float[] q : queries) {
      Neighbors n = built.index().search(q, 10, SearchParams.DEFAULTS, halfPercent);
      assertArrayEquals(TestVectors.bruteForce(Metric.L2, base, q, 10, halfPercent), n.ordinals());
    }
  }

  @Test
  void tenPercentFilterKeepsRecallOnTheGraph() {
    float[][] base = TestVectors.clustered(10_000, 32, 50, SEED);
    float[][] queries = TestVectors.clustered(50, 32, 50, SEED + 13);
    HnswIndex index = buildHnsw(base, Metric.L2, "M=16,efConstruction=100", 2);
    FixedBitSet tenPercent = randomFilter(10_000, 10, SEED + 14);
    int ef = 100;
    double graphRecall = 0;
    for (float[] q : queries) {
      Neighbors n = index.searchGraph(q, 10, ef, tenPercent);
      for (int ord : n.ordinals()) {
        assertTrue(tenPercent.get(ord), "ordinal " + ord + " is outside the filter");
      }
      graphRecall += TestVectors.recall(TestVectors.bruteForce(Metric.L2, base, q, 10, tenPercent), n.ordinals());
    }
    graphRecall /= queries.length;
    double publicRecall = meanRecall(new BuiltIndex(index, BuiltIndex.identity(10_000)), base, queries, Metric.L2, 10,
        SearchParams.DEFAULTS.withEf(ef), tenPercent);
    System.out.printf("HNSW 10%% filter, 10k x 32, ef=%d: recall@10 graph only %.3f, with scan fallback %.3f%n",
        ef, graphRecall, publicRecall);
    assertTrue(graphRecall >= 0.9, "graph recall@10 at a 10% filter " + graphRecall);
    assertTrue(publicRecall >= 0.9, "recall@10 at a 10% filter " + publicRecall);
  }

  @Test
  void filterThatCannotCountIsEstimatedAndStillRespected() {
    float[][] base = TestVectors.clustered(N, DIM, 40, SEED);
    float[][] queries = TestVectors.clustered(20, DIM, 40, SEED + 15);
    HnswIndex index = buildHnsw(base, Metric.L2, "M=16,efConstruction=100", 1);
    FixedBitSet third = randomFilter(N, 3, SEED + 16);
    Bits opaque = new Bits() {
      @Override
      public boolean get(int i) {
        return third.get(i);
      }

      @Override
      public int length() {
        return third.length();
      }
    };
    double recall = 0;
    for (float[] q : queries) {
      Neighbors n = index.search(q, 10, SearchParams.DEFAULTS.withEf(100), opaque);
      for (int ord : n.ordinals()) {
        assertTrue(third.get(ord), "ordinal " + ord + " is outside the filter");
      }
      recall += TestVectors.recall(TestVectors.bruteForce(Metric.L2, base, q, 10, third), n.ordinals());
    }
    assertTrue(recall / queries.length >= 0.95, "recall@10 with an opaque 33 % filter " + recall / queries.length);
  }

  @Test
  void filteredGraphSearchGivesUpPastItsDistanceBudget() {
    float[][] base = TestVectors.clustered(2000, DIM, 20, SEED);
    HnswIndex index = buildHnsw(base, Metric.L2, "M=16,efConstruction=100", 1);
    HnswSearcher searcher = new HnswSearcher(index.graph(), Metric.L2, io.vecgate.engine.vector.VectorizationProvider.ops(),
        index.vectors());
    FixedBitSet few = randomFilter(2000, 50, SEED + 17);
    assertNull(searcher.search(base[0], 10, 64, few, 100));
    assertNotNull(searcher.search(base[0], 10, 64, null, 100), "an unfiltered search has no budget");
  }

  @Test
  void virtualThreadsSearchLikePlatformThreads() throws Exception {
    float[][] base = TestVectors.clustered(2000, DIM, 20, SEED);
    float[][] queries = TestVectors.clustered(20, DIM, 20, SEED + 18);
    HnswIndex index = buildHnsw(base, Metric.L2, "M=16,efConstruction=100", 1);
    Neighbors[] expected = new Neighbors[queries.length];
    for (int i = 0; i < queries.length; i++) {
      expected[i] = index.search(queries[i], 10, SearchParams.DEFAULTS, null);
    }
    try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      var futures = new java.util.ArrayList<java.util.concurrent.Future<Neighbors>>();
      for (float[] q : queries) {
        futures.add(executor.submit(() -> index.search(q, 10, SearchParams.DEFAULTS, null)));
      }
      for (int i = 0; i < queries.length; i++) {
        assertSameNeighbors(expected[i], futures.get(i).get(), "virtual thread, query " + i);
      }
    }
  }

  @Test
  void openRejectsPartsOfTheWrongSize() {
    float[][] base = TestVectors.clustered(300, DIM, 5, SEED);
    HnswIndex index = buildHnsw(base, Metric.L2, "M=8", 1);
    Map<PartKind, MemorySegment> parts = new EnumMap<>(index.parts().asMap());
    MemorySegment level0 = parts.get(PartKind.HNSW_LEVEL0);
    parts.put(PartKind.HNSW_LEVEL0, level0.asSlice(0, level0.byteSize() - 4));
    var e = assertThrows(IllegalArgumentException.class, () -> Indexes.open(IndexType.HNSW, Metric.L2, DIM, 300,
        index.params(), new IndexParts(parts)));
    assertTrue(e.getMessage().contains("HNSW_LEVEL0"), e.getMessage());
  }

  /** About one in {@code oneIn} of {@code n} ordinals, at random. */
  private static FixedBitSet randomFilter(int n, int oneIn, long seed) {
    FixedBitSet bits = new FixedBitSet(n);
    Random rnd = new Random(seed);
    for (int i = 0; i < n; i++) {
      if (rnd.nextInt(oneIn) == 0) {
        bits.set(i);
      }
    }
    return bits;
  }
}
