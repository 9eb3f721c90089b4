package io.vecgate.engine.ivf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.index.BuiltIndex;
import io.vecgate.engine.index.IndexParams;
import io.vecgate.engine.index.IndexParts;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.index.Indexes;
import io.vecgate.engine.index.PartKind;
import io.vecgate.engine.index.VectorIndex;
import io.vecgate.engine.search.FixedBitSet;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.testkit.TestVectors;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the IVF family does beyond the index contract: parameters, layout, batch scans, corrupt parts. */
class IvfIndexTest {

  private static final int DIM = 24;
  private final Arena arena = Arena.ofShared();

  @AfterEach
  void close() {
    arena.close();
  }

  private BuiltIndex build(IndexType type, Metric metric, float[][] base, String params) {
    return Indexes.build(type, metric, FloatVectors.copyOf(base, arena), IndexParams.parse(params), arena);
  }

  @Test
  void pqRejectsMThatDoesNotDivideTheDimension() {
    float[][] base = TestVectors.uniform(100, DIM, 1);
    var e = assertThrows(IllegalArgumentException.class, () -> build(IndexType.IVF_PQ, Metric.L2, base, "nlist=4,m=5"));
    assertTrue(e.getMessage().contains("m must divide the dimension 24"), e.getMessage());
  }

  @Test
  void pqRejectsNbitsOtherThanEight() {
    float[][] base = TestVectors.uniform(100, DIM, 1);
    var e = assertThrows(IllegalArgumentException.class, () -> build(IndexType.IVF_PQ, Metric.L2, base, "nlist=4,m=6,nbits=4"));
    assertTrue(e.getMessage().contains("nbits must be 8"), e.getMessage());
  }

  @Test
  void unknownParametersAreRejected() {
    float[][] base = TestVectors.uniform(100, DIM, 1);
    var e = assertThrows(IllegalArgumentException.class, () -> build(IndexType.IVF_FLAT, Metric.L2, base, "nlist=4,m=6"));
    assertTrue(e.getMessage().contains("unknown parameter 'm'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> build(IndexType.IVF_SQ8, Metric.L2, base, "nlist=0"));
    assertTrue(e.getMessage().contains("nlist"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(value = IndexType.class, names = {"IVF_FLAT", "IVF_SQ8", "IVF_PQ"})
  void nlistIsClampedToTheRowCountAndRecorded(IndexType type) {
    float[][] base = TestVectors.uniform(10, DIM, 2);
    BuiltIndex built = build(type, Metric.L2, base, "nlist=64,nprobe=32");
    assertEquals("10", built.index().params().get("nlist", null));
    assertEquals("10", built.index().params().get("nprobe", null));
    assertEquals(10, ((IvfIndex) built.index()).nlist());
    Neighbors n = built.index().search(base[3], 1, SearchParams.DEFAULTS, null);
    assertEquals(3, built.order()[n.ordinal(0)]);
  }

  @ParameterizedTest
  @EnumSource(value = IndexType.class, names = {"IVF_FLAT", "IVF_SQ8", "IVF_PQ"})
  void ordinalsFollowListsAndHoldTheInputRows(IndexType type) {
    float[][] base = TestVectors.clustered(1000, DIM, 10, 3);
    BuiltIndex built = build(type, Metric.L2, base, "nlist=16");
    int[] order = built.order();
    boolean[] seen = new boolean[base.length];
    for (int ord = 0; ord < order.length; ord++) {
      assertTrue(!seen[order[ord]], "row " + order[ord] + " twice");
      seen[order[ord]] = true;
      assertArrayEquals(base[order[ord]], built.index().vectors().get(ord));
    }
    MemorySegment offsets = built.index().parts().require(PartKind.IVF_OFFSETS);
    assertEquals(17 * 4, offsets.byteSize());
    assertEquals(1000, offsets.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, 16));
  }

  @ParameterizedTest
  @EnumSource(value = IndexType.class, names = {"IVF_FLAT", "IVF_SQ8", "IVF_PQ"})
  void batchScanEqualsOneByOneWithAFilter(IndexType type) {
    float[][] base = TestVectors.clustered(3000, DIM, 30, 4);
    float[][] queries = TestVectors.clustered(120, DIM, 30, 4);
    FixedBitSet filter = new FixedBitSet(base.length);
    Random rnd = new Random(5);
    for (int i = 0; i < base.length; i++) {
      if (rnd.nextInt(3) != 0) {
        filter.set(i);
      }
    }
    for (Metric metric : new Metric[] {Metric.L2, Metric.INNER_PRODUCT}) {
      VectorIndex index = build(type, metric, base, "nlist=24,nprobe=5").index();
      int[] ks = new int[queries.length];
      for (int i = 0; i < ks.length; i++) {
        ks[i] = 1 + i % 17;
      }
      for (SearchParams p : new SearchParams[] {SearchParams.DEFAULTS, SearchParams.DEFAULTS.withQuick(true)}) {
        Neighbors[] batch = index.search(queries, ks, p, filter);
        for (int i = 0; i < queries.length; i++) {
          Neighbors one = index.search(queries[i], ks[i], p, filter);
          assertArrayEquals(one.ordinals(), batch[i].ordinals(), type + " " + metric + " query " + i);
          for (int ord : one.ordinals()) {
            assertTrue(filter.get(ord), "ordinal " + ord + " is outside the filter");
          }
        }
      }
    }
  }

  @Test
  void quickSearchSkipsReRankingButStillFindsTheQueryItself() {
    float[][] base = TestVectors.clustered(2000, DIM, 20, 6);
    for (IndexType type : new IndexType[] {IndexType.IVF_SQ8, IndexType.IVF_PQ}) {
      BuiltIndex built = build(type, Metric.L2, base, type == IndexType.IVF_PQ ? "nlist=16,nprobe=4,m=12" : "nlist=16,nprobe=4");
      Neighbors quick = built.index().search(base[42], 5, SearchParams.DEFAULTS.withQuick(true), null);
      Neighbors exact = built.index().search(base[42], 5, SearchParams.DEFAULTS, null);
      assertEquals(5, quick.size());
      assertEquals(42, built.order()[exact.ordinal(0)]);
      assertEquals(0f, exact.distance(0), 0f);
    }
  }

  @Test
  void ivfFlatProbingEveryListIsExact() {
    float[][] base = TestVectors.clustered(1500, DIM, 12, 8);
    float[][] queries = TestVectors.uniform(25, DIM, 9);
    for (Metric metric : Metric.values()) {
      BuiltIndex built = build(IndexType.IVF_FLAT, metric, base, "nlist=20,nprobe=1");
      for (float[] q : queries) {
        Neighbors n = built.index().search(q, 10, SearchParams.DEFAULTS.withNprobe(20), null);
        assertArrayEquals(TestVectors.bruteForce(metric, base, q, 10, null), TestVectors.rows(n, built.order()), metric.name());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = IndexType.class, names = {"IVF_FLAT", "IVF_SQ8", "IVF_PQ"})
  void emptyIndexReopensFromItsParts(IndexType type) {
    BuiltIndex built = Indexes.build(type, Metric.L2, FloatVectors.allocate(arena, 0, DIM),
        IndexParams.parse(type == IndexType.IVF_PQ ? "nlist=16,m=6" : "nlist=16"), arena);
    assertEquals("1", built.index().params().get("nlist", null));
    VectorIndex reopened = Indexes.open(type, Metric.L2, DIM, 0, built.index().params(), built.index().parts());
    assertEquals(0, reopened.search(new float[DIM], 3, SearchParams.DEFAULTS, null).size());
  }

  @Test
  void corruptOffsetsFailAtOpenNamingThePart() {
    float[][] base = TestVectors.clustered(500, DIM, 5, 7);
    VectorIndex index = build(IndexType.IVF_SQ8, Metric.L2, base, "nlist=8").index();
    Map<PartKind, MemorySegment> parts = new EnumMap<>(index.parts().asMap());
    MemorySegment bad = arena.allocate(parts.get(PartKind.IVF_OFFSETS).byteSize());
    bad.copyFrom(parts.get(PartKind.IVF_OFFSETS));
    bad.setAtIndex(ValueLayout.JAVA_INT_UNALIGNED, 3, 10_000);
    parts.put(PartKind.IVF_OFFSETS, bad);
    var e = assertThrows(IllegalArgumentException.class, () ->
        Indexes.open(IndexType.IVF_SQ8, Metric.L2, DIM, 500, index.params(), new IndexParts(parts)));
    assertTrue(e.getMessage().contains("IVF_OFFSETS"), e.getMessage());
    parts.remove(PartKind.SQ8_CODES);
    parts.put(PartKind.IVF_OFFSETS, index.parts().require(PartKind.IVF_OFFSETS));
    e = assertThrows(IllegalArgumentException.class, () ->
        Indexes.open(IndexType.IVF_SQ8, Metric.L2, DIM, 500, index.params(), new IndexParts(parts)));
    assertTrue(e.getMessage().contains("SQ8_CODES"), e.getMessage());
  }
}
