package io.vecgate.writer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.column.ColumnReader;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.manifest.Manifest;
import io.vecgate.engine.manifest.Manifests;
import io.vecgate.engine.segment.SegmentField;
import io.vecgate.engine.segment.SegmentReader;
import io.vecgate.space.Document;
import io.vecgate.space.SpaceSchema;
import io.vecgate.store.DataLayout;
import io.vecgate.store.VersionState;
import io.vecgate.writer.TestSpaces;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A space with two vector fields through the writer: every row, WAL record, sealed and compacted
 * segment and recovered document carries both vectors, and each segment has one index per field.
 */
class MultiVectorStoreTest {

  static final int DIM = 6;
  static final int IMG = 3;

  @TempDir
  Path dir;

  final Random random = new Random(7);
  /** What each live document's vectors must be: _id -> vec then img. */
  final Map<String, float[]> expected = new HashMap<>();

  DataLayout layout() {
    return new DataLayout(dir);
  }

  SpaceSchema schema(String type, String params) {
    return TestSpaces.schema("db", TestSpaces.twoVectorBody("s", DIM, IMG, 2, type, params));
  }

  void index(SpaceStore s, int from, int n) throws IOException {
    List<WriteOp> ops = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      float[] both = TestSpaces.vector(random, DIM + IMG);
      ops.add(s.prepareIndex(new Document("d" + i, both, Map.of("price", (float) i)), "_id"));
      expected.put("d" + i, both);
    }
    s.apply(ops);
  }

  void delete(SpaceStore s, String... ids) throws IOException {
    List<WriteOp> ops = new ArrayList<>();
    for (String id : ids) {
      ops.add(s.prepareDelete(id, "id"));
      expected.remove(id);
    }
    s.apply(ops);
  }

  /**
   * Reads the newest published version back as a reader would and checks that it holds exactly
   * the expected documents with both their vectors.
   *
   * @return the index types of the segments and whether any "img" field is remapped
   */
  Set<String> assertPublished() throws IOException {
    Path vdir = layout().versionDir("db", "s", TestSpaces.newestVersion(layout(), "db", "s"));
    Manifest m = Manifests.readVerified(vdir, true);
    assertEquals(List.of("vec", "img"), m.schema().fields().stream().filter(Manifest.Field::isVector)
        .map(Manifest.Field::name).toList());
    VersionState state = VersionState.read(vdir);
    Map<String, float[]> seen = new HashMap<>();
    Set<String> kinds = new HashSet<>();
    for (VersionState.SegmentRef ref : VersionState.segments(m)) {
      Set<Integer> deleted = new HashSet<>();
      for (int o : state.deletedOf(ref.file())) {
        deleted.add(o);
      }
      try (SegmentReader r = SegmentReader.open(vdir.resolve(ref.file()))) {
        assertEquals(List.of("vec", "img"), r.fields().stream().map(SegmentField::name).toList());
        SegmentField vec = r.field("vec");
        SegmentField img = r.field("img");
        assertEquals(vec.index().type(), img.index().type(), "one index type per segment");
        kinds.add(vec.index().type().name());
        if (img.remapped()) {
          kinds.add("remapped");
        }
        ColumnReader.KeywordColumn idColumn = (ColumnReader.KeywordColumn) r.column(DataLayout.ID_COLUMN);
        for (int o = 0; o < r.size(); o++) {
          if (deleted.contains(o)) {
            continue;
          }
          float[] both = new float[DIM + IMG];
          vec.copyVector(o, both, 0);
          img.copyVector(o, both, DIM);
          assertEquals(null, seen.put(idColumn.get(o), both), "two live copies of " + idColumn.get(o));
          assertEquals((float) Integer.parseInt(idColumn.get(o).substring(1)), r.column("price").value(o));
        }
      }
    }
    assertEquals(expected.keySet(), seen.keySet());
    for (var e : expected.entrySet()) {
      assertArrayEquals(e.getValue(), seen.get(e.getKey()), e.getKey());
    }
    return kinds;
  }

  @Test
  void sealUpsertDeleteAndCrashRecoveryCarryBothVectors() throws IOException {
    SpaceSchema schema = schema("FLAT", "");
    SpaceStore s = SpaceStore.open(schema, layout(), StoreConfig.DEFAULTS);
    index(s, 0, 40);
    s.seal();
    assertEquals(Set.of("FLAT"), assertPublished());
    index(s, 40, 20);
    index(s, 5, 2);
    delete(s, "d9", "d45");
    // No close: the process dies; the log replays both vectors of every buffered document.
    try (SpaceStore back = SpaceStore.open(schema, layout(), StoreConfig.DEFAULTS)) {
      assertEquals(expected.size(), back.docCount());
      assertFalse(back.contains("d45"));
      back.seal();
      assertPublished();
    }
    s.close();
  }

  @Test
  void compactionsBuildOneIndexPerFieldAndKeepEveryVector() throws IOException {
    // IVF with 4 lists: segments below max(flatBelow=50, 39 x 4) = 156 documents stay FLAT.
    SpaceSchema schema = schema("IVFFLAT", ",\"ncentroids\":4");
    StoreConfig config = new StoreConfig(3, 10, 50);
    try (SpaceStore s = SpaceStore.open(schema, layout(), config)) {
      index(s, 0, 200);
      s.seal();
      assertEquals(Set.of("FLAT"), assertPublished());
      index(s, 200, 250);
      s.seal();
      delete(s, "d3", "d210");
      index(s, 7, 1);
      assertTrue(Compactions.all(s));
      Set<String> kinds = assertPublished();
      assertTrue(kinds.contains("IVF_FLAT"), kinds.toString());
      // Field "vec" orders an IVF segment by its lists; "img" has lists of its own.
      assertTrue(kinds.contains("remapped"), kinds.toString());
    }
    try (SpaceStore s = SpaceStore.open(schema, layout(), config)) {
      assertEquals(expected.size(), s.docCount());
      assertNotNull(s.stats());
      index(s, 500, 3);
      s.seal();
      assertPublished();
    }
  }

  @Test
  void everySegmentIndexIsOfTheSegmentsType() throws IOException {
    SpaceSchema schema = schema("HNSW", ",\"nlinks\":8,\"efConstruction\":40");
    try (SpaceStore s = SpaceStore.open(schema, layout(), new StoreConfig(3, 10, 100))) {
      index(s, 0, 300);
      s.seal();
      // Seals are FLAT; the full (quiet) compaction builds the space's index for every field.
      assertTrue(Compactions.all(s));
      Set<String> kinds = assertPublished();
      assertTrue(kinds.contains("HNSW"), kinds.toString());
      assertEquals(IndexType.HNSW.name(), s.stats().partitions().getFirst().segments().getFirst().index());
    }
  }
}
