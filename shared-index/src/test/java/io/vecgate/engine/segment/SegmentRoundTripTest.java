package io.vecgate.engine.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.column.ColumnReader;
import io.vecgate.engine.column.ColumnValues;
import io.vecgate.engine.column.Filters;
import io.vecgate.engine.column.Range;
import io.vecgate.engine.index.BuiltIndex;
import io.vecgate.engine.index.IndexParams;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.index.PartKind;
import io.vecgate.engine.search.FixedBitSet;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.testkit.TestVectors;
import io.vecgate.engine.vector.Metric;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seeded write → map → compare round trips (STYLE rule 7). Replay a failure with -Dvecgate.seed=N. */
class SegmentRoundTripTest {

  private static final long SEED = Long.getLong("vecgate.seed", new Random().nextLong());

  @TempDir
  Path dir;

  private static String seedMsg() {
    return "seed " + SEED + " (replay with -Dvecgate.seed=" + SEED + ")";
  }

  @Test
  void roundTripIsStructurallyEqualForEveryMetric() throws IOException {
    System.out.println("SegmentRoundTripTest " + seedMsg());
    Random rnd = new Random(SEED);
    int round = 0;
    for (Metric metric : Metric.values()) {
      for (int rep = 0; rep < 3; rep++) {
        int n = rep == 0 ? 1 + rnd.nextInt(5) : 1 + rnd.nextInt(400);
        int dim = 1 + rnd.nextInt(37);
        try (Arena arena = Arena.ofConfined()) {
          SegmentTestData.Input in = SegmentTestData.random(rnd, n, dim, metric, arena);
          Path file = dir.resolve("items-" + (round++) + ".seg");
          WrittenSegment written = SegmentWriter.write(file, in.built(), in.ids(), in.columns());
          try (SegmentReader r = SegmentReader.open(file)) {
            assertSameContent(in, written, r, rnd, metric + " n=" + n + " dim=" + dim + " " + seedMsg());
          }
        }
      }
    }
  }

  private static void assertSameContent(SegmentTestData.Input in, WrittenSegment written, SegmentReader r,
                                        Random rnd, String ctx) throws IOException {
    BuiltIndex built = in.built();
    int n = in.ids().length;
    SegmentHeader h = r.header();
    assertEquals(new SegmentHeader(SegmentFormat.CURRENT_VERSION, built.index().dimension(), built.index().metric(),
        IndexType.FLAT, n, h.sectionCount(), Files.size(written.path())), h, ctx);
    assertEquals(written.sizeBytes(), r.fileSize(), ctx);
    assertEquals(Crc32c.ofFile(written.path()), written.crc32c(), "whole-file CRC " + ctx);
    assertEquals(n, written.docCount(), ctx);

    for (var e : built.index().parts().asMap().entrySet()) {
      MemorySegment mapped = r.parts().require(e.getKey());
      assertEquals(-1, mapped.mismatch(e.getValue()), "part " + e.getKey() + " differs " + ctx);
      assertEquals(0, mapped.address() % SegmentFormat.ALIGNMENT, "part " + e.getKey() + " not aligned " + ctx);
    }
    assertEquals(-1, r.parts().require(PartKind.PARAMS).mismatch(MemorySegment.ofArray(IndexParams.empty().encode())), ctx);

    int[] order = built.order();
    for (int o = 0; o < n; o++) {
      assertEquals(in.ids()[order[o]], r.id(o), "id of ordinal " + o + " " + ctx);
    }
    assertEquals(in.columns().size(), r.columns().size(), ctx);
    for (ColumnValues c : in.columns()) {
      ColumnReader col = r.column(c.descriptor().name());
      assertEquals(c.descriptor(), col.descriptor(), ctx);
      for (int o = 0; o < n; o++) {
        assertEquals(expected(c, order[o]), col.value(o), "column " + col.name() + " ordinal " + o + " " + ctx);
      }
    }

    FixedBitSet filter = Filters.range(r.column("year"), Range.all().gte(-3));
    for (int q = 0; q < 5; q++) {
      float[] query = in.vectors()[rnd.nextInt(n)].clone();
      query[0] += 0.01f;
      int k = 1 + rnd.nextInt(12);
      Neighbors expected = built.index().search(query, k, SearchParams.DEFAULTS, null);
      TestVectors.assertSameNeighbors(expected, r.index().search(query, k, SearchParams.DEFAULTS, null), "search " + ctx);
      TestVectors.assertSameNeighbors(built.index().search(query, k, SearchParams.DEFAULTS, filter),
          r.index().search(query, k, SearchParams.DEFAULTS, filter), "filtered search " + ctx);
      // And the ids of the hits are those of the brute-force rows: ordinals map back through order.
      int[] rows = TestVectors.bruteForce(r.header().metric(), in.vectors(), query, 1, null);
      double best = TestVectors.distance(r.header().metric(), in.vectors()[rows[0]], query);
      double got = TestVectors.distance(r.header().metric(), in.vectors()[order[expected.ordinal(0)]], query);
      assertEquals(best, got, 1e-3 * (1 + Math.abs(best)), "top hit " + ctx);
    }
  }

  private static Object expected(ColumnValues c, int row) {
    return switch (c) {
      case ColumnValues.Ints v -> v.values()[row];
      case ColumnValues.Longs v -> v.values()[row];
      case ColumnValues.Floats v -> v.values()[row];
      case ColumnValues.Doubles v -> v.values()[row];
      case ColumnValues.Keywords v -> v.values()[row] == null ? "" : v.values()[row];
    };
  }

  @Test
  void emptyIndexAndNoColumnsRoundTrip() throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      BuiltIndex built = SegmentTestData.flat(new float[0][], new int[0], Metric.L2, arena);
      Path file = dir.resolve("empty.seg");
      SegmentWriter.write(file, built, new long[0], List.of());
      try (SegmentReader r = SegmentReader.open(file)) {
        assertEquals(0, r.size());
        assertEquals(0, r.columns().size());
        assertEquals(0, r.index().search(new float[] {1f}, 3, SearchParams.DEFAULTS, null).size());
      }
    }
  }

  @Test
  void anyPartsAreStoredAndMappedBackByteForByte() throws IOException {
    Random rnd = new Random(SEED);
    try (Arena arena = Arena.ofConfined()) {
      SegmentTestData.Input in = SegmentTestData.random(rnd, 50, 6, Metric.INNER_PRODUCT, arena);
      Map<PartKind, MemorySegment> extra = Map.of(
          PartKind.PARAMS, MemorySegment.ofArray(IndexParams.parse("nlist=4,M=16").encode()),
          PartKind.IVF_CENTROIDS, randomBytes(rnd, 17),
          PartKind.SQ8_CODES, randomBytes(rnd, 50 * 6),
          PartKind.HNSW_LEVELS, MemorySegment.ofArray(new byte[0]));
      var synthetic = new SegmentTestData.Synthetic(in.built().index(), IndexType.FLAT, extra);
      Path file = dir.resolve("synthetic.seg");
      SegmentWriter.write(file, new BuiltIndex(synthetic, in.built().order()), in.ids(), in.columns());
      try (SegmentReader r = SegmentReader.open(file)) {
        assertEquals(synthetic.parts().asMap().keySet(), r.parts().asMap().keySet());
        for (var e : synthetic.parts().asMap().entrySet()) {
          assertEquals(-1, r.parts().require(e.getKey()).mismatch(e.getValue()), e.getKey() + " " + seedMsg());
        }
        assertEquals("4", r.index().params().get("nlist", null));
      }
    }
  }

  @Test
  void publishingLeavesOnlyTheFinalFile() throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      SegmentTestData.Input in = SegmentTestData.random(new Random(SEED), 10, 3, Metric.L2, arena);
      SegmentWriter.write(dir.resolve("a.seg"), in.built(), in.ids(), in.columns());
      try (Stream<Path> files = Files.list(dir)) {
        assertEquals(List.of(dir.resolve("a.seg")), files.toList());
      }
    }
  }

  @Test
  void writerRejectsInconsistentInputs() {
    try (Arena arena = Arena.ofConfined()) {
      SegmentTestData.Input in = SegmentTestData.random(new Random(SEED), 10, 3, Metric.L2, arena);
      Path file = dir.resolve("bad.seg");
      var e = assertThrows(IllegalArgumentException.class,
          () -> SegmentWriter.write(file, in.built(), new long[9], in.columns()));
      assertTrue(e.getMessage().contains("9 ids for 10"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> SegmentWriter.write(file, in.built(), in.ids(),
          List.of(ColumnValues.ofInts("x", new int[10]), ColumnValues.ofLongs("x", new long[10]))));
      assertTrue(e.getMessage().contains("'x' is given twice"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> SegmentWriter.write(file,
          new BuiltIndex(in.built().index(), new int[10]), in.ids(), List.of()));
      assertTrue(e.getMessage().contains("not a permutation"), e.getMessage());
      assertTrue(Files.notExists(file));
    }
  }

  @Test
  void readingAfterCloseThrowsInsteadOfCrashing() throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      SegmentTestData.Input in = SegmentTestData.random(new Random(SEED), 20, 4, Metric.L2, arena);
      Path file = dir.resolve("closed.seg");
      SegmentWriter.write(file, in.built(), in.ids(), in.columns());
      SegmentReader r = SegmentReader.open(file);
      ColumnReader.KeywordColumn color = (ColumnReader.KeywordColumn) r.column("color");
      r.close();
      assertThrows(IllegalStateException.class, () -> r.id(0));
      assertThrows(IllegalStateException.class, () -> color.get(0));
      assertThrows(IllegalStateException.class, () -> r.index().search(new float[4], 1, SearchParams.DEFAULTS, null));
      assertThrows(IllegalStateException.class, () -> r.parts().require(PartKind.VECTORS).get(ValueLayout.JAVA_BYTE, 0));
    }
  }

  private static MemorySegment randomBytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return MemorySegment.ofArray(b);
  }
}
