package io.vecgate.writer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.manifest.Manifest;
import io.vecgate.engine.manifest.Manifests;
import io.vecgate.engine.segment.SegmentReader;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.space.Document;
import io.vecgate.space.SpaceSchema;
import io.vecgate.store.DataLayout;
import io.vecgate.store.VersionState;
import io.vecgate.writer.TestSpaces;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpaceStoreTest {

  static final int DIM = 8;

  @TempDir
  Path dir;

  final Random random = new Random(42);

  DataLayout layout() {
    return new DataLayout(dir);
  }

  SpaceStore open(SpaceSchema schema, StoreConfig config) throws IOException {
    return SpaceStore.open(schema, layout(), config);
  }

  SpaceSchema flat() {
    return TestSpaces.schema("db", TestSpaces.body("s", DIM));
  }

  List<String> index(SpaceStore s, int from, int n) throws IOException {
    List<WriteOp> ops = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      ops.add(s.prepareIndex(TestSpaces.doc("d" + i, TestSpaces.vector(random, DIM), i), "_id"));
    }
    return s.apply(ops);
  }

  /** The live ids of the newest published version, read back as a reader would. */
  Set<String> publishedIds(SpaceSchema schema) throws IOException {
    return TestSpaces.publishedIds(layout(), schema.db(), schema.name());
  }

  @Test
  void upsertAndDeleteResultsAcrossBufferAndSegments() throws IOException {
    try (SpaceStore s = open(flat(), StoreConfig.DEFAULTS)) {
      assertEquals(List.of("created", "created"), index(s, 0, 2));
      assertEquals(List.of("updated"), index(s, 1, 1), "upsert of a buffered document");
      s.seal();
      assertEquals(List.of("updated", "created"), index(s, 1, 2), "upsert of a sealed document");
      assertEquals(List.of("deleted", "not_found", "deleted"), s.apply(List.of(
          s.prepareDelete("d2", "id"), s.prepareDelete("nope", "id"), s.prepareDelete("d0", "id"))));
      assertEquals(1, s.docCount());
      s.seal();
      assertEquals(Set.of("d1"), publishedIds(s.schema()));
    }
  }

  @Test
  void sealPublishesAVersionWithHardLinksStateAndManifest() throws IOException {
    SpaceSchema schema = flat();
    try (SpaceStore s = open(schema, StoreConfig.DEFAULTS)) {
      index(s, 0, 50);
      assertEquals(1, s.seal());
      assertEquals(0, s.bufferedCount());
      assertEquals(1, s.seal(), "nothing to seal, no new version");
      Path v1 = layout().versionDir("db", "s", 1);
      Manifest m = Manifests.readVerified(v1, true);
      assertEquals(50, m.totalCount());
      assertEquals(2, m.partitions().size());
      for (VersionState.SegmentRef ref : VersionState.segments(m)) {
        Path link = v1.resolve(ref.file());
        Path seg = layout().segmentsDir("db", "s").resolve(ref.file());
        assertTrue(Files.isSameFile(link, seg), "hard link of " + ref.file());
        try (SegmentReader r = SegmentReader.open(link)) {
          assertEquals(IndexType.FLAT, r.header().indexType());
          assertTrue(r.columns().containsKey("price"));
          assertTrue(r.columns().containsKey("brand"));
          assertEquals(0L, r.column("n").value(0), "missing long is 0");
        }
      }
      assertEquals(50, VersionState.read(v1).lastWalSeq());
    }
  }

  @Test
  void crashWithoutCloseLosesNoAcknowledgedWrite() throws IOException {
    SpaceSchema schema = flat();
    SpaceStore s = open(schema, StoreConfig.DEFAULTS);
    index(s, 0, 30);
    s.seal();
    index(s, 30, 30);
    index(s, 0, 5);
    s.apply(List.of(s.prepareDelete("d40", "id"), s.prepareDelete("d7", "id")));
    // No close: the process dies with the files as they are (WAL already forced).
    SpaceStore back = open(schema, StoreConfig.DEFAULTS);
    try (back) {
      assertEquals(58, back.docCount());
      assertFalse(back.contains("d40"));
      assertFalse(back.contains("d7"));
      assertTrue(back.contains("d59"));
      assertTrue(back.contains("d0"));
      assertEquals(34, back.bufferedCount());
      back.seal();
      Set<String> expected = new HashSet<>();
      for (int i = 0; i < 60; i++) {
        expected.add("d" + i);
      }
      expected.remove("d40");
      expected.remove("d7");
      assertEquals(expected, publishedIds(schema));
    }
    s.close();
  }

  @Test
  void tornWalTailLosesOnlyTheUnacknowledgedRecord() throws IOException {
    SpaceSchema schema = flat();
    SpaceStore s = open(schema, StoreConfig.DEFAULTS);
    index(s, 0, 10);
    s.close();
    Path wal;
    try (Stream<Path> files = Files.list(layout().walDir("db", "s"))) {
      wal = files.sorted().toList().getLast();
    }
    // Half of an 11th record, as if the writer died inside write().
    try (FileChannel ch = FileChannel.open(wal, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {40, 0, 0, 0, 1, 2, 3, 4, 11, 0}));
    }
    try (SpaceStore back = open(schema, StoreConfig.DEFAULTS)) {
      assertEquals(10, back.docCount());
      assertEquals(List.of("created"), index(back, 10, 1));
    }
    try (SpaceStore back = open(schema, StoreConfig.DEFAULTS)) {
      assertEquals(11, back.docCount());
    }
  }

  @Test
  void walFilesOfPublishedVersionsAreDeleted() throws IOException {
    try (SpaceStore s = open(flat(), StoreConfig.DEFAULTS)) {
      for (int round = 0; round < 3; round++) {
        index(s, round * 10, 10);
        s.seal();
      }
      try (Stream<Path> files = Files.list(layout().walDir("db", "s"))) {
        assertEquals(1, files.count());
      }
    }
  }

  @Test
  void keepsTheLastVersionsAndDeletesUnlinkedSegments() throws IOException {
    StoreConfig config = new StoreConfig(2, 100, 10_000);
    try (SpaceStore s = open(flat(), config)) {
      for (int round = 0; round < 5; round++) {
        index(s, round * 10, 10);
        s.seal();
      }
      assertEquals(List.of(4L, 5L), s.stats().versions());
      // Delete everything of round 0: its segments go from the state, and once no kept version links them, from disk.
      List<WriteOp> dels = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        dels.add(s.prepareDelete("d" + i, "id"));
      }
      s.apply(dels);
      s.seal();
      s.seal();
      index(s, 100, 1);
      s.seal();
      Set<String> linked = new HashSet<>();
      for (long v : s.stats().versions()) {
        VersionState.segments(Manifests.read(s.versionDir(v))).forEach(r -> linked.add(r.file()));
      }
      Set<String> onDisk = new HashSet<>();
      try (Stream<Path> files = Files.list(layout().segmentsDir("db", "s"))) {
        files.forEach(f -> onDisk.add(f.getFileName().toString()));
      }
      assertEquals(linked, onDisk);
      try (Stream<Path> dirs = Files.list(layout().versionsDir("db", "s"))) {
        assertEquals(2, dirs.count());
      }
    }
  }

  @Test
  void incompleteVersionAndOrphanSegmentsAreRemovedOnOpen() throws IOException {
    SpaceSchema schema = flat();
    try (SpaceStore s = open(schema, StoreConfig.DEFAULTS)) {
      index(s, 0, 10);
      s.seal();
      index(s, 10, 10);
    }
    Path half = layout().versionDir("db", "s", 2);
    Files.createDirectories(half);
    Files.writeString(half.resolve(DataLayout.VERSION_STATE), "{}");
    Files.writeString(layout().segmentsDir("db", "s").resolve("p0-00000099.seg"), "junk");
    try (SpaceStore s = open(schema, StoreConfig.DEFAULTS)) {
      assertFalse(Files.exists(half));
      assertFalse(Files.exists(layout().segmentsDir("db", "s").resolve("p0-00000099.seg")));
      assertEquals(1, s.version());
      assertEquals(20, s.docCount());
      assertEquals(2, s.seal());
      assertEquals(20, publishedIds(schema).size());
    }
  }

  @Test
  void compactionsAreTieredSoBigSegmentsAreNotRewrittenByEveryRefresh() throws IOException {
    SpaceSchema schema = TestSpaces.schema("db", TestSpaces.body("s", DIM, 1, "FLAT", "", "murmur3"));
    try (SpaceStore s = open(schema, new StoreConfig(3, 3, 10_000))) {
      int maxSegments = 0;
      int biggestRewrites = 0;
      long biggest = 0;
      for (int round = 0; round < 64; round++) {
        index(s, round * 10, 10);
        s.seal();
        while (Compactions.tiered(s)) {
          long now = s.stats().partitions().getFirst().segments().stream().mapToLong(x -> x.docNum()).max().orElse(0);
          if (now > biggest) {
            biggest = now;
            biggestRewrites++;
          }
        }
        maxSegments = Math.max(maxSegments, s.stats().partitions().getFirst().segments().size());
      }
      // 640 documents in segments of 10: tiers of 10, 40, 160 and 640 documents.
      assertTrue(maxSegments <= 3 * 4 + 1, "a partition held " + maxSegments + " segments");
      assertTrue(biggestRewrites <= 4, "the largest segment was rebuilt " + biggestRewrites + " times");
      assertEquals(640, publishedIds(schema).size());
    }
  }

  @Test
  void compactAllLeavesOneSegmentPerPartition() throws IOException {
    SpaceSchema schema = TestSpaces.schema("db", TestSpaces.body("s", DIM, 2, "FLAT", "", "murmur3"));
    try (SpaceStore s = open(schema, new StoreConfig(3, 4, 10_000))) {
      for (int round = 0; round < 3; round++) {
        index(s, round * 20, 20);
        s.seal();
      }
      s.apply(List.of(s.prepareDelete("d3", "id")));
      assertTrue(Compactions.all(s));
      for (var partition : s.stats().partitions()) {
        assertEquals(1, partition.segments().size());
      }
      assertFalse(Compactions.all(s));
      Set<String> ids = publishedIds(schema);
      assertEquals(59, ids.size());
      assertFalse(ids.contains("d3"));
    }
  }

  @Test
  void compactsManySegmentsIntoOne() throws IOException {
    SpaceSchema schema = TestSpaces.schema("db", TestSpaces.body("s", DIM, 1, "FLAT", "", "murmur3"));
    try (SpaceStore s = open(schema, new StoreConfig(3, 3, 10_000))) {
      for (int round = 0; round < 4; round++) {
        index(s, round * 5, 5);
        s.seal();
      }
      s.apply(List.of(s.prepareDelete("d3", "id")));
      assertTrue(Compactions.tiered(s));
      SpaceStats stats = s.stats();
      assertEquals(1, stats.partitions().getFirst().segments().size());
      assertEquals(19, stats.partitions().getFirst().segments().getFirst().docNum());
      assertFalse(Compactions.tiered(s));
      Set<String> ids = publishedIds(schema);
      assertEquals(19, ids.size());
      assertFalse(ids.contains("d3"));
    }
  }

  @Test
  void sealsAreFlatAndBusyCompactionsIndexOnlyLargeSegments() throws IOException {
    // IVF with 4 lists: the index needs max(flatBelow=50, 39 x 4 = 156) documents; while busy, 400.
    SpaceSchema schema = TestSpaces.schema("db", TestSpaces.body("s", DIM, 1, "IVFFLAT", ",\"ncentroids\":4", "murmur3"));
    StoreConfig config = new StoreConfig(3, 10, 50, 400);
    try (SpaceStore s = open(schema, config)) {
      index(s, 0, 200);
      s.seal();
      SpaceStats stats = s.stats();
      assertEquals("FLAT", stats.partitions().getFirst().segments().getFirst().index(), "a seal is FLAT");
      assertEquals("partial", stats.indexState());
      assertEquals("pending", stats.indexBuild(), "200 FLAT documents are enough for the index");
      assertEquals(200, stats.flatDocs());
      assertEquals(0, stats.indexedDocs());
      index(s, 200, 100);
      s.seal();
      assertFalse(Compactions.tiered(s), "300 FLAT documents: below the busy index size, nothing to compact");
      index(s, 300, 100);
      s.seal();
      assertTrue(Compactions.tiered(s), "400 FLAT documents: compacted and indexed");
      stats = s.stats();
      assertEquals(1, stats.partitions().getFirst().segments().size());
      assertEquals("IVF_FLAT", stats.partitions().getFirst().segments().getFirst().index());
      assertEquals("indexed", stats.indexState());
      assertEquals("none", stats.indexBuild());
      assertEquals(400, stats.indexedDocs());
      assertEquals(400, publishedIds(schema).size());
    }
    try (SpaceStore s = open(schema, config)) {
      assertEquals(400, s.docCount());
      assertEquals(List.of("updated"), index(s, 150, 1));
    }
  }

  @Test
  void theQuietCompactionLeavesOneSegmentPerPartitionIndexedWhenLargeEnough() throws IOException {
    SpaceSchema schema = TestSpaces.schema("db", TestSpaces.body("s", DIM, 1, "IVFFLAT", ",\"ncentroids\":4", "murmur3"));
    try (SpaceStore s = open(schema, new StoreConfig(3, 4, 50, 1_000_000))) {
      index(s, 0, 100);
      s.seal();
      assertFalse(Compactions.all(s), "one FLAT segment too small to index");
      assertEquals("none", s.stats().indexBuild());
      index(s, 100, 100);
      s.seal();
      assertTrue(Compactions.all(s));
      assertEquals(List.of("IVF_FLAT"), segmentTypes(s));
      assertFalse(Compactions.all(s), "one indexed segment: nothing to do");
      // A few more documents: sealed FLAT beside the index, then compacted into it once quiet.
      index(s, 200, 10);
      s.seal();
      assertEquals(List.of("IVF_FLAT", "FLAT"), segmentTypes(s));
      assertEquals("partial", s.stats().indexState());
      assertEquals("pending", s.stats().indexBuild(), "the quiet compaction folds them into the partition's index");
      assertEquals(10, s.stats().flatDocs());
      assertTrue(Compactions.all(s));
      assertEquals(List.of("IVF_FLAT"), segmentTypes(s));
      assertEquals("indexed", s.stats().indexState());
      assertEquals(210, publishedIds(schema).size());
    }
  }

  static List<String> segmentTypes(SpaceStore s) {
    return s.stats().partitions().getFirst().segments().stream().map(SpaceStats.Segment::index).toList();
  }

  @Test
  void hnswSegmentsBuildAboveTheThresholdInTheQuietCompaction() throws IOException {
    SpaceSchema schema = TestSpaces.schema("db", TestSpaces.body("s", DIM, 1, "HNSW", ",\"nlinks\":8,\"efConstruction\":40", "murmur3"));
    try (SpaceStore s = open(schema, new StoreConfig(3, 10, 100))) {
      index(s, 0, 150);
      s.seal();
      assertEquals("FLAT", s.stats().partitions().getFirst().segments().getFirst().index());
      assertTrue(Compactions.all(s));
      assertEquals("HNSW", s.stats().partitions().getFirst().segments().getFirst().index());
      assertEquals(150, publishedIds(schema).size());
    }
  }

  @Test
  void generatedIdsAreUniqueAndNumericForModulo() throws IOException {
    SpaceSchema schema = TestSpaces.schema("db", TestSpaces.body("m", DIM, 3, "FLAT", "", "modulo"));
    try (SpaceStore s = open(schema, StoreConfig.DEFAULTS)) {
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < 100; i++) {
        WriteOp.Index op = s.prepareIndex(new Document(null, TestSpaces.vector(random, DIM), Map.of()), "_id");
        Long.parseLong(op.id());
        assertTrue(ids.add(op.id()));
        s.apply(List.of(op));
      }
      assertEquals(100, s.docCount());
      ApiException e = assertThrows(ApiException.class,
          () -> s.prepareIndex(TestSpaces.doc("abc", TestSpaces.vector(random, DIM), 1), "line 2._id"));
      assertEquals(400, e.status());
      assertTrue(e.reason().startsWith("line 2._id"), e.reason());
    }
  }

  @Test
  void scalarValuesReachTheColumns() throws IOException {
    SpaceSchema schema = TestSpaces.schema("db", TestSpaces.body("s", DIM, 1, "FLAT", "", "murmur3"));
    try (SpaceStore s = open(schema, StoreConfig.DEFAULTS)) {
      float[] v = TestSpaces.vector(random, DIM);
      s.apply(List.of(s.prepareIndex(new Document("x", v, Map.of("price", 2.5f, "brand", "acme", "n", 7L)), "_id")));
      s.seal();
      Path f = s.versionDir(1).resolve(s.stats().partitions().getFirst().segments().getFirst().file());
      try (SegmentReader r = SegmentReader.open(f)) {
        assertEquals(2.5f, r.column("price").value(0));
        assertEquals("acme", r.column("brand").value(0));
        assertEquals(7L, r.column("n").value(0));
        assertEquals("x", r.column(DataLayout.ID_COLUMN).value(0));
        assertEquals(1L, r.id(0), "the segment's id of the document = its seq, the WAL sequence number");
        assertArrayEquals(v, r.parts().require(io.vecgate.engine.index.PartKind.VECTORS)
            .asSlice(0, DIM * 4L).toArray(io.vecgate.engine.vector.FloatVectors.FLOAT_LE));
      }
    }
  }

  @Test
  void aCompactionFinishedWhileWritesAreBufferedPublishesThemWithItAndACrashLosesNone() throws IOException {
    // Before: a compaction published the buffered writes' WAL position without their documents, so a
    // crash lost them (and the old copy of a buffered upsert was already tombstoned).
    SpaceSchema schema = TestSpaces.schema("db", TestSpaces.body("s", DIM, 1, "FLAT", "", "murmur3"));
    SpaceStore s = open(schema, new StoreConfig(3, 4, 10_000));
    index(s, 0, 10);
    s.seal();
    index(s, 10, 10);
    s.seal();
    index(s, 20, 5);
    index(s, 0, 1);
    s.apply(List.of(s.prepareDelete("d11", "id")));
    assertTrue(Compactions.all(s), "compacts while writes are buffered");
    assertEquals(0, s.bufferedCount());
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 25; i++) {
      expected.add("d" + i);
    }
    expected.remove("d11");
    assertEquals(expected, publishedIds(schema));
    // No close: the process dies.
    try (SpaceStore back = open(schema, new StoreConfig(3, 4, 10_000))) {
      assertEquals(24, back.docCount());
      assertFalse(back.contains("d11"));
      assertEquals(List.of("updated"), index(back, 24, 1));
      back.seal();
      assertEquals(expected, publishedIds(schema));
    }
    s.close();
  }

  @Test
  void aSealThatFailsPartWayChangesNothingSoNoDocumentIsBothBufferedAndSealed() throws IOException {
    // Before: partition 0's segment was written and its documents registered as sealed while the
    // buffer kept them, so the next seal published them twice and a delete in between (taken from
    // the buffer only) left the sealed copy live.
    SpaceSchema schema = flat();
    Path segmentsDir = layout().segmentsDir("db", "s");
    SpaceStore s = open(schema, StoreConfig.DEFAULTS);
    index(s, 0, 20);
    assertEquals(1, s.seal());
    assertEquals(2, s.stats().partitions().stream().filter(p -> !p.segments().isEmpty()).count(),
        "both partitions hold documents");
    index(s, 20, 20);
    index(s, 0, 1);
    s.apply(List.of(s.prepareDelete("d1", "id")));
    Set<String> before;
    try (Stream<Path> files = Files.list(segmentsDir)) {
      before = new HashSet<>(files.map(f -> f.getFileName().toString()).toList());
    }
    // The next seal writes p0-00000003.seg, then fails on p1-00000004.seg: a non-empty directory
    // stands where the segment file must go, so its rename fails.
    Path obstacle = segmentsDir.resolve("p1-00000004.seg");
    Files.createDirectories(obstacle);
    Files.writeString(obstacle.resolve("x"), "x");
    assertThrows(IOException.class, s::seal);

    assertEquals(1, s.version());
    assertEquals(21, s.bufferedCount(), "the buffer keeps every document of the failed seal");
    assertEquals(39, s.docCount());
    try (Stream<Path> files = Files.list(segmentsDir)) {
      Set<String> after = new HashSet<>(files.map(f -> f.getFileName().toString()).toList());
      after.remove(obstacle.getFileName().toString());
      assertEquals(before, after, "the segment the failed seal wrote is deleted");
    }
    for (SpaceStats.Partition p : s.stats().partitions()) {
      assertEquals(1, p.segments().size(), "no segment of the failed seal is in the state");
    }

    // Writes after the failure: an upsert and a delete of documents the failed seal had written.
    deleteTree(obstacle);
    assertEquals(List.of("updated"), index(s, 20, 1));
    assertEquals(List.of("deleted", "deleted"), s.apply(List.of(s.prepareDelete("d21", "id"),
        s.prepareDelete("d22", "id"))));
    assertEquals(2, s.seal());
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      expected.add("d" + i);
    }
    expected.removeAll(Set.of("d1", "d21", "d22"));
    // publishedIds also fails on two live copies of one id.
    assertEquals(expected, publishedIds(schema));
    assertEquals(37, s.docCount());

    // No close: the process dies; the reopened store agrees.
    try (SpaceStore back = open(schema, StoreConfig.DEFAULTS)) {
      assertEquals(37, back.docCount());
      assertFalse(back.contains("d21"));
      assertEquals(0, back.bufferedCount());
    }
    s.close();
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
