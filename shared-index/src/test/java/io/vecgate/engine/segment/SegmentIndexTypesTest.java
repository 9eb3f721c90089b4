package io.vecgate.engine.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vecgate.engine.column.ColumnValues;
import io.vecgate.engine.column.Filters;
import io.vecgate.engine.column.Range;
import io.vecgate.engine.index.BuiltIndex;
import io.vecgate.engine.index.IndexParams;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.index.Indexes;
import io.vecgate.engine.index.PartKind;
import io.vecgate.engine.search.FixedBitSet;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.testkit.TestVectors;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every index type survives the trip through a segment file: written, mapped back, and
 * searched straight from the mapping, it answers exactly as the index built in memory, with
 * ids and a column filter in the builder's ordinal order.
 */
class SegmentIndexTypesTest {

  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(IndexType.class)
  void searchingTheMappedFileEqualsSearchingTheBuiltIndex(IndexType type) throws IOException {
    int n = 3000;
    int dim = 16;
    float[][] base = TestVectors.clustered(n, dim, 20, 7);
    float[][] queries = TestVectors.clustered(25, dim, 20, 8);
    long[] ids = new long[n];
    float[] price = new float[n];
    for (int i = 0; i < n; i++) {
      ids[i] = 1_000_000L + 3L * i;
      price[i] = i % 100;
    }
    IndexParams params = switch (type) {
      case FLAT -> IndexParams.empty();
      case IVF_FLAT, IVF_SQ8 -> IndexParams.parse("nlist=16,nprobe=4");
      case IVF_PQ -> IndexParams.parse("nlist=16,nprobe=4,m=4");
      case HNSW -> IndexParams.parse("M=8,efConstruction=64,ef=32");
    };
    Path file = dir.resolve(type + ".seg");
    try (Arena arena = Arena.ofShared()) {
      BuiltIndex built = Indexes.build(type, Metric.L2, FloatVectors.copyOf(base, arena), params, arena);
      SegmentWriter.write(file, built, ids, List.of(ColumnValues.ofFloats("price", price)));
      try (SegmentReader reader = SegmentReader.open(file)) {
        assertEquals(type, reader.index().type());
        for (PartKind kind : SegmentFormat.requiredParts(type)) {
          assertEquals(built.index().parts().require(kind).byteSize(), reader.parts().require(kind).byteSize(), kind.name());
        }
        FixedBitSet cheap = Filters.range(reader.column("price"), Range.all().lt(10));
        for (float[] q : queries) {
          Neighbors inMemory = built.index().search(q, 10, SearchParams.DEFAULTS, null);
          Neighbors mapped = reader.index().search(q, 10, SearchParams.DEFAULTS, null);
          assertArrayEquals(inMemory.ordinals(), mapped.ordinals(), type.name());
          assertArrayEquals(inMemory.distances(), mapped.distances(), 1e-3f, type.name());
          for (int i = 0; i < mapped.size(); i++) {
            assertEquals(ids[built.inputRow(mapped.ordinal(i))], reader.id(mapped.ordinal(i)));
          }
          Neighbors filtered = reader.index().search(q, 10, SearchParams.DEFAULTS, cheap);
          for (int ord : filtered.ordinals()) {
            assertEquals(true, price[built.inputRow(ord)] < 10, "filter let through ordinal " + ord);
          }
        }
      }
    }
  }
}
