package io.vecgate.engine.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vecgate.engine.column.ColumnValues;
import io.vecgate.engine.index.BuiltIndex;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.vector.Metric;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Released format versions stay readable (STYLE rule 6): {@code segment/v1-flat.seg} was written
 * by the version-1 writer and must open, with these exact contents, in every later build.
 * Regenerate only when adding a new version's fixture:
 * {@code mvn -pl shared-index test -Dtest=SegmentFixtureTest -Dvecgate.writeFixture=/abs/path/v1-flat.seg}.
 */
class SegmentFixtureTest {

  private static final int[] ORDER = {2, 0, 4, 1, 3};
  private static final long[] IDS = {1000, 1007, 1014, 1021, 1028};
  private static final String[] COLORS = {"red", "green", "", "蓝", "red"};

  @TempDir
  Path dir;

  private static float[][] vectors() {
    float[][] v = new float[5][];
    for (int i = 0; i < 5; i++) {
      v[i] = new float[] {i, i + 0.5f, -i};
    }
    return v;
  }

  private static List<ColumnValues> columns() {
    return List.of(
        ColumnValues.ofInts("year", new int[] {2020, 2021, 2022, 2023, 2024}),
        ColumnValues.ofLongs("views", new long[] {0, 1_000_000_000_000L, 2_000_000_000_000L, -3, Long.MAX_VALUE}),
        ColumnValues.ofFloats("price", new float[] {0f, 1.25f, 2.5f, 3.75f, 5f}),
        ColumnValues.ofDoubles("rating", new double[] {0, 1 / 3.0, 2 / 3.0, 1, 4 / 3.0}),
        ColumnValues.ofKeywords("color", COLORS));
  }

  /**
   * Rewrites the fixture; run by hand only if the fixture is lost (a released version's fixture
   * never changes): {@code java -cp … io.vecgate.engine.segment.SegmentFixtureTest out.seg}.
   */
  public static void main(String[] args) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      BuiltIndex built = SegmentTestData.flat(vectors(), ORDER, Metric.L2, arena);
      SegmentWriter.write(Path.of(args[0]), built, IDS, columns());
    }
  }

  @Test
  void version1FixtureStillOpens() throws IOException {
    Path file = dir.resolve("v1-flat.seg");
    try (InputStream in = getClass().getResourceAsStream("/segment/v1-flat.seg")) {
      Files.copy(in, file);
    }
    try (SegmentReader r = SegmentReader.open(file)) {
      assertEquals(1, r.header().formatVersion());
      assertEquals(IndexType.FLAT, r.header().indexType());
      assertEquals(Metric.L2, r.header().metric());
      assertEquals(3, r.header().dimension());
      assertEquals(5, r.size());
      float[][] vectors = vectors();
      for (int o = 0; o < 5; o++) {
        int row = ORDER[o];
        assertEquals(IDS[row], r.id(o));
        assertArrayEquals(vectors[row], r.index().vectors().get(o));
        assertEquals(2020 + row, r.column("year").value(o));
        assertEquals(row * 1.25f, r.column("price").value(o));
        assertEquals(COLORS[row], r.column("color").value(o));
      }
      assertEquals(Long.MAX_VALUE, r.column("views").value(2));
      assertEquals(1 / 3.0, r.column("rating").value(3));
      Neighbors n = r.index().search(new float[] {3, 3.5f, -3}, 2, SearchParams.DEFAULTS, null);
      assertEquals(IDS[3], r.id(n.ordinal(0)));
      assertEquals(0f, n.distance(0));
    }
  }
}
