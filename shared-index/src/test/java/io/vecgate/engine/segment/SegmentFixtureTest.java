package io.vecgate.engine.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
 * by the version-1 writer and {@code segment/v2-two-fields.seg} by the version-2 writer; each must
 * open, with these exact contents, in every later build. A released fixture never changes (the
 * version-1 writer is gone, so that one cannot be rewritten at all). Only when a new version is
 * added is its fixture written, by the writer of that build:
 * {@code mvn -pl shared-index test -Dtest=SegmentFixtureTest -Dvecgate.writeFixture=/abs/path/v2-two-fields.seg}.
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

  /** Field "image" of the version-2 fixture: 2-d, by input row. */
  private static float[][] images() {
    float[][] v = new float[5][];
    for (int i = 0; i < 5; i++) {
      v[i] = new float[] {10 * i, -i};
    }
    return v;
  }

  /**
   * The version-2 fixture: field "title" (the version-1 vectors, FLAT, in ORDER) orders the
   * segment; field "image" (FLAT, input order) is therefore remapped.
   */
  private static void writeVersion2(Path file) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      BuiltIndex title = SegmentTestData.flat(vectors(), ORDER, Metric.L2, arena);
      BuiltIndex image = SegmentTestData.flat(images(), BuiltIndex.identity(5), Metric.L2, arena);
      SegmentWriter.write(file, List.of(new SegmentWriter.VectorField("title", title),
          new SegmentWriter.VectorField("image", image)), IDS, columns());
    }
  }

  @Test
  void writeTheNewVersionsFixtureWhenAsked() throws IOException {
    String out = System.getProperty("vecgate.writeFixture");
    if (out != null) {
      writeVersion2(Path.of(out));
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
      // Its one unnamed field answers to any name.
      assertEquals(1, r.fields().size());
      assertEquals("", r.fields().getFirst().name());
      assertArrayEquals(vectors[ORDER[1]], r.field("vec").vector(1));
    }
  }

  @Test
  void version2FixtureStillOpens() throws IOException {
    Path file = dir.resolve("v2-two-fields.seg");
    try (InputStream in = getClass().getResourceAsStream("/segment/v2-two-fields.seg")) {
      Files.copy(in, file);
    }
    try (SegmentReader r = SegmentReader.open(file)) {
      assertEquals(2, r.header().formatVersion());
      assertEquals(3, r.header().dimension());
      assertEquals(5, r.size());
      assertEquals(List.of("title", "image"), r.fields().stream().map(SegmentField::name).toList());
      SegmentField title = r.field("title");
      SegmentField image = r.field("image");
      assertEquals(false, title.remapped());
      assertEquals(true, image.remapped());
      assertEquals(2, image.dimension());
      assertEquals(IndexType.FLAT, image.index().type());
      float[][] vectors = vectors();
      float[][] images = images();
      for (int o = 0; o < 5; o++) {
        int row = ORDER[o];
        assertEquals(IDS[row], r.id(o));
        assertArrayEquals(vectors[row], title.vector(o));
        assertArrayEquals(images[row], image.vector(o));
        assertEquals(COLORS[row], r.column("color").value(o));
        assertEquals(2020 + row, r.column("year").value(o));
      }
      Neighbors n = image.search(new float[][] {{30, -3}}, new int[] {2}, SearchParams.DEFAULTS, null)[0];
      assertEquals(IDS[3], r.id(n.ordinal(0)));
      assertEquals(0f, n.distance(0));
      assertEquals(IDS[2], r.id(n.ordinal(1)));
      assertThrows(IllegalArgumentException.class, () -> r.field("vec"));
      // The fixture is what today's writer writes, byte for byte (a format change must add a version).
      Path again = dir.resolve("again.seg");
      writeVersion2(again);
      assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again));
    }
  }
}
