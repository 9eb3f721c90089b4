package io.vecgate.engine.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.vecgate.engine.vector.VectorizationProvider;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Segments with several vector fields (format version 2): each field's index round-trips and,
 * searched through {@link SegmentField} in segment ordinals, answers as the index built in memory
 * does in its own order (IVF orders its vectors its own way, so the field is remapped); and every
 * damage to the new sections is refused at open, naming the field.
 */
class SegmentFieldsTest {

  private static final long SEED = Long.getLong("vecgate.seed", new Random().nextLong());

  @TempDir
  Path dir;

  /** Three fields over the same rows: field 0 orders the segment, the others keep their own orders. */
  private record ThreeFields(float[][][] vectors, long[] ids, float[] price, List<SegmentWriter.VectorField> fields) {}

  private static ThreeFields build(IndexType second, Metric metric, int n, Arena arena) {
    Random rnd = new Random(SEED);
    int[] dims = {8, 5, 12};
    float[][][] vectors = new float[3][][];
    for (int f = 0; f < 3; f++) {
      vectors[f] = TestVectors.clustered(n, dims[f], 8, rnd.nextLong());
    }
    long[] ids = new long[n];
    float[] price = new float[n];
    for (int i = 0; i < n; i++) {
      ids[i] = 5_000L + 7L * i;
      price[i] = i % 10;
    }
    IndexParams ivf = IndexParams.parse("nlist=8,nprobe=8");
    List<SegmentWriter.VectorField> fields = List.of(
        new SegmentWriter.VectorField("title", Indexes.build(IndexType.IVF_FLAT, metric,
            FloatVectors.copyOf(vectors[0], arena), ivf, arena)),
        new SegmentWriter.VectorField("image", Indexes.build(second, metric, FloatVectors.copyOf(vectors[1], arena),
            second == IndexType.FLAT ? IndexParams.empty() : second == IndexType.HNSW
                ? IndexParams.parse("M=8,efConstruction=32") : second == IndexType.IVF_PQ
                ? IndexParams.parse("nlist=8,nprobe=8,m=5") : ivf, arena)),
        new SegmentWriter.VectorField("tags", Indexes.build(IndexType.FLAT, metric, FloatVectors.copyOf(vectors[2], arena),
            IndexParams.empty(), arena)));
    return new ThreeFields(vectors, ids, price, fields);
  }

  @ParameterizedTest
  @EnumSource(IndexType.class)
  void everyFieldSearchesInSegmentOrdinalsAsItsOwnIndexDoes(IndexType second) throws IOException {
    String ctx = second + " seed " + SEED + " (replay with -Dvecgate.seed=" + SEED + ")";
    int n = 600;
    Path file = dir.resolve("three.seg");
    try (Arena arena = Arena.ofShared()) {
      ThreeFields in = build(second, Metric.L2, n, arena);
      SegmentWriter.write(file, in.fields(), in.ids(), List.of(ColumnValues.ofFloats("price", in.price())));
      try (SegmentReader r = SegmentReader.open(file)) {
        assertEquals(SegmentFormat.VERSION_2, r.header().formatVersion(), ctx);
        assertEquals(List.of("title", "image", "tags"), r.fields().stream().map(SegmentField::name).toList());
        assertEquals(8, r.header().dimension());
        assertEquals(IndexType.IVF_FLAT, r.header().indexType());
        int[] segmentOrder = in.fields().getFirst().built().order();
        assertFalse(r.field("title").remapped(), "field 0 orders the segment");
        // The FLAT field keeps the input order, which is not the IVF order of field 0.
        assertTrue(r.field("tags").remapped(), ctx);
        assertThrows(IllegalArgumentException.class, () -> r.field("nope"));
        FixedBitSet cheap = Filters.range(r.column("price"), Range.all().lt(3));
        Random rnd = new Random(SEED);
        for (int f = 0; f < 3; f++) {
          SegmentWriter.VectorField field = in.fields().get(f);
          SegmentField mapped = r.field(field.name());
          BuiltIndex built = field.built();
          assertEquals(built.index().type(), mapped.index().type(), ctx);
          for (PartKind k : built.index().parts().asMap().keySet()) {
            assertEquals(-1, mapped.parts().require(k).mismatch(built.index().parts().require(k)), k + " " + ctx);
          }
          for (int o = 0; o < n; o += 37) {
            int row = segmentOrder[o];
            assertArrayEquals(in.vectors()[f][row], mapped.vector(o), "vector of ordinal " + o + " " + ctx);
            float[] q = mapped.prepareQuery(in.vectors()[f][rnd.nextInt(n)]);
            float want = Metric.L2.distance(VectorizationProvider.ops(), q, 0, in.vectors()[f][row], 0, q.length);
            assertEquals(want, mapped.distance(q, o), 1e-4f * (1 + Math.abs(want)), ctx);
          }
          for (int t = 0; t < 8; t++) {
            float[] q = in.vectors()[f][rnd.nextInt(n)].clone();
            q[0] += 0.05f;
            Neighbors own = built.index().search(q, 10, SearchParams.DEFAULTS, null);
            Neighbors seg = mapped.search(new float[][] {q}, new int[] {10}, SearchParams.DEFAULTS, null)[0];
            assertArrayEquals(own.distances(), seg.distances(), 1e-4f, ctx);
            for (int j = 0; j < own.size(); j++) {
              assertEquals(in.ids()[built.inputRow(own.ordinal(j))], r.id(seg.ordinal(j)), "hit " + j + " " + ctx);
            }
            // A filter in segment ordinals lets through only what it allows, in the field's own terms too.
            FixedBitSet own3 = new FixedBitSet(n);
            for (int i = 0; i < n; i++) {
              if (in.price()[built.inputRow(i)] < 3) {
                own3.set(i);
              }
            }
            Neighbors ownFiltered = built.index().search(q, 10, SearchParams.DEFAULTS, own3);
            Neighbors segFiltered = mapped.search(new float[][] {q}, new int[] {10}, SearchParams.DEFAULTS, cheap)[0];
            assertArrayEquals(ownFiltered.distances(), segFiltered.distances(), 1e-4f, ctx);
            for (int j = 0; j < segFiltered.size(); j++) {
              assertTrue(cheap.get(segFiltered.ordinal(j)), ctx);
              assertEquals(in.ids()[built.inputRow(ownFiltered.ordinal(j))], r.id(segFiltered.ordinal(j)), ctx);
            }
          }
        }
        assertEquals(r.fields().stream().mapToInt(fi -> fi.parts().asMap().size() + (fi.remapped() ? 2 : 0)).sum(),
            r.indexSections().size());
      }
    }
  }

  @Test
  void cosineFieldsStoreAndCompareUnitVectors() throws IOException {
    try (Arena arena = Arena.ofShared()) {
      ThreeFields in = build(IndexType.HNSW, Metric.COSINE, 200, arena);
      Path file = dir.resolve("cos.seg");
      SegmentWriter.write(file, in.fields(), in.ids(), List.of());
      try (SegmentReader r = SegmentReader.open(file)) {
        SegmentField image = r.field("image");
        int row = in.fields().getFirst().built().order()[3];
        float[] raw = in.vectors()[1][row];
        float[] q = image.prepareQuery(raw);
        assertEquals(-1f, image.distance(q, 3), 1e-5f, "a vector's cosine distance to itself");
        // Checked where the request came in; here asserted.
        assertThrows(AssertionError.class, () -> image.prepareQuery(new float[4]));
        assertThrows(AssertionError.class, () -> image.prepareQuery(new float[] {1, Float.NaN, 0, 0, 0}));
      }
    }
  }

  @Test
  void writerRejectsInconsistentFields() {
    try (Arena arena = Arena.ofShared()) {
      ThreeFields in = build(IndexType.FLAT, Metric.L2, 50, arena);
      Path file = dir.resolve("bad.seg");
      BuiltIndex a = in.fields().get(0).built();
      var e = assertThrows(IllegalArgumentException.class, () -> SegmentWriter.write(file,
          List.of(new SegmentWriter.VectorField("x", a), new SegmentWriter.VectorField("x", in.fields().get(1).built())),
          in.ids(), List.of()));
      assertTrue(e.getMessage().contains("distinct"), e.getMessage());
      BuiltIndex shorter = Indexes.build(IndexType.FLAT, Metric.L2, FloatVectors.copyOf(new float[][] {{1, 2}}, arena),
          IndexParams.empty(), arena);
      e = assertThrows(IllegalArgumentException.class, () -> SegmentWriter.write(file,
          List.of(new SegmentWriter.VectorField("x", a), new SegmentWriter.VectorField("y", shorter)), in.ids(), List.of()));
      assertTrue(e.getMessage().contains("field 'y' has 1 vectors, field 'x' has 50"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> SegmentWriter.write(file, List.of(), in.ids(), List.of()));
      assertTrue(e.getMessage().contains("vector fields"), e.getMessage());
      assertTrue(Files.notExists(file));
    }
  }

  // ---- damage to the version-2 sections ----

  private byte[] twoFieldFile() throws IOException {
    try (Arena arena = Arena.ofShared()) {
      ThreeFields in = build(IndexType.FLAT, Metric.L2, 30, arena);
      Path file = dir.resolve("two.seg");
      SegmentWriter.write(file, in.fields().subList(0, 2), in.ids(), List.of(ColumnValues.ofFloats("price", in.price())));
      try (SegmentReader r = SegmentReader.open(file)) {
        assertTrue(r.field("image").remapped(), "the test needs a remapped field");
      }
      return Files.readAllBytes(file);
    }
  }

  private CorruptSegmentException refused(byte[] bytes) throws IOException {
    Path p = SegmentTestData.writeBytes(dir, "items-0002.seg", bytes);
    return assertThrows(CorruptSegmentException.class, () -> SegmentReader.open(p).close());
  }

  private static void assertMessage(CorruptSegmentException e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
    }
  }

  private static long[] entry(byte[] file, int kind) {
    return SegmentTestData.table(file).stream().filter(t -> t[0] == kind).findFirst().orElseThrow();
  }

  /** Recomputes the CRC of section {@code kind} after an edit of its bytes, then the table and header CRCs. */
  private static void fixSection(byte[] file, int kind) {
    List<long[]> table = SegmentTestData.table(file);
    for (int i = 0; i < table.size(); i++) {
      if (table.get(i)[0] == kind) {
        CRC32C crc = new CRC32C();
        crc.update(file, (int) table.get(i)[1], (int) table.get(i)[2]);
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(64 + 32 * i + 24, (int) crc.getValue());
      }
    }
    SegmentTestData.fixChecksums(file);
  }

  @Test
  void aFlippedByteInEveryFieldSectionIsRefusedNamingTheField() throws IOException {
    byte[] good = twoFieldFile();
    List<String> seen = new ArrayList<>();
    for (long[] e : SegmentTestData.table(good)) {
      if (e[2] == 0 || (e[0] < SegmentFormat.FIELD_BASE && e[0] != SegmentFormat.VECTOR_FIELDS)) {
        continue;
      }
      byte[] bad = good.clone();
      bad[(int) (e[1] + e[2] / 2)] ^= 0x04;
      CorruptSegmentException ex = refused(bad);
      assertMessage(ex, "checksum mismatch");
      seen.add(ex.section());
    }
    assertTrue(seen.containsAll(List.of("VECTOR_FIELDS", "FIELD title VECTORS", "FIELD title IVF_CENTROIDS",
        "FIELD image VECTORS", "FIELD image ORDER", "FIELD image POSITIONS")), seen.toString());
  }

  @Test
  void everySingleFlippedBitOfASmallTwoFieldFileIsRefused() throws IOException {
    try (Arena arena = Arena.ofShared()) {
      float[][] a = {{1, 2}, {3, 4}, {5, 6}};
      float[][] b = {{1}, {0}, {-1}};
      BuiltIndex fa = SegmentTestData.flat(a, new int[] {2, 0, 1}, Metric.L2, arena);
      BuiltIndex fb = SegmentTestData.flat(b, new int[] {0, 1, 2}, Metric.L2, arena);
      Path file = dir.resolve("tiny2.seg");
      SegmentWriter.write(file, List.of(new SegmentWriter.VectorField("a", fa), new SegmentWriter.VectorField("b", fb)),
          new long[] {7, 8, 9}, List.of(ColumnValues.ofKeywords("k", new String[] {"x", "", "z"})));
      byte[] tiny = Files.readAllBytes(file);
      try (SegmentReader r = SegmentReader.open(file)) {
        assertTrue(r.field("b").remapped());
        assertArrayEquals(new float[] {1}, r.field("b").vector(1));
      }
      Random rnd = new Random(11);
      for (int i = 0; i < tiny.length; i++) {
        byte[] bad = tiny.clone();
        bad[i] ^= (byte) (1 << rnd.nextInt(8));
        refused(bad);
      }
    }
  }

  @Test
  void anOrderThatIsNotAPermutationIsRefused() throws IOException {
    byte[] bad = twoFieldFile();
    long[] order = entry(bad, SegmentFormat.fieldKind(1, SegmentFormat.FIELD_ORDER));
    ByteBuffer b = ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN);
    // Two index ordinals pointing at the same segment ordinal: consistent checksums, wrong map.
    b.putInt((int) order[1] + 4, b.getInt((int) order[1]));
    fixSection(bad, SegmentFormat.fieldKind(1, SegmentFormat.FIELD_ORDER));
    assertMessage(refused(bad), "items-0002.seg: section FIELD image ORDER: entry ", "is not a permutation inverse to");
  }

  @Test
  void directoryInconsistenciesAreRefused() throws IOException {
    byte[] good = twoFieldFile();
    long[] dir = entry(good, SegmentFormat.VECTOR_FIELDS);
    int at = (int) dir[1];
    // Field 0 is "title" (IVF_FLAT, dimension 8): its entry starts at 4, the second at 4 + 20 + 5.
    byte[] bad = good.clone();
    ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(at + 4, 9);
    fixSection(bad, SegmentFormat.VECTOR_FIELDS);
    assertMessage(refused(bad), "section VECTOR_FIELDS: field 0 'title' (dimension 9", "must be the header's (dimension 8");

    bad = good.clone();
    int second = at + 4 + 20 + 5;
    ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(second + 12, 0);
    fixSection(bad, SegmentFormat.VECTOR_FIELDS);
    assertMessage(refused(bad), "section FIELD image ORDER: present, but the field is not remapped");

    bad = good.clone();
    System.arraycopy("title".getBytes(), 0, bad, second + 20, 5);
    fixSection(bad, SegmentFormat.VECTOR_FIELDS);
    assertMessage(refused(bad), "section VECTOR_FIELDS: field 'title' appears twice");

    bad = good.clone();
    ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(at, 1);
    fixSection(bad, SegmentFormat.VECTOR_FIELDS);
    assertMessage(refused(bad), "section VECTOR_FIELDS: ", "bytes after the last field");

    bad = good.clone();
    ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(at, 0);
    fixSection(bad, SegmentFormat.VECTOR_FIELDS);
    assertMessage(refused(bad), "section VECTOR_FIELDS: field count 0 outside [1, 64]");
  }

  @Test
  void sectionKindsBelongToTheirVersion() throws IOException {
    byte[] good = twoFieldFile();
    // A version-1 part kind in a version-2 file.
    byte[] bad = good.clone();
    List<long[]> table = SegmentTestData.table(bad);
    int idx = 0;
    while (table.get(idx)[0] != SegmentFormat.fieldKind(1, PartKind.VECTORS.id())) {
      idx++;
    }
    ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(64 + 32 * idx, PartKind.VECTORS.id());
    SegmentTestData.fixChecksums(bad);
    assertMessage(refused(bad), "section VECTORS: unknown section kind 2 in format version 2");
    // A version-2 file relabelled as version 1.
    bad = good.clone();
    ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 1);
    SegmentTestData.fixChecksums(bad);
    assertMessage(refused(bad), "unknown section kind 102 in format version 1");
    // A field section beyond the directory's fields.
    bad = good.clone();
    ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(64 + 32 * idx, SegmentFormat.fieldKind(5, PartKind.VECTORS.id()));
    SegmentTestData.fixChecksums(bad);
    assertMessage(refused(bad), "section FIELD #5 VECTORS: no such vector field in the directory of 2");
  }

  @Test
  void aMissingFieldPartIsRefusedNamingTheField() throws IOException {
    byte[] bad = twoFieldFile();
    List<long[]> table = SegmentTestData.table(bad);
    int idx = 0;
    while (table.get(idx)[0] != SegmentFormat.fieldKind(0, PartKind.IVF_OFFSETS.id())) {
      idx++;
    }
    // Relabel title's IVF_OFFSETS as an SQ8 part the index does not need: IVF_OFFSETS goes missing.
    ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(64 + 32 * idx, SegmentFormat.fieldKind(0, PartKind.SQ8_RANGE.id()));
    SegmentTestData.fixChecksums(bad);
    assertMessage(refused(bad), "section FIELD title IVF_OFFSETS: section is missing (a IVF_FLAT index needs");
  }
}
