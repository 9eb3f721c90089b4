package io.vecgate.writer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.space.SpaceSchema;
import io.vecgate.store.DataLayout;
import io.vecgate.writer.TestSpaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compactions built off the lane: {@link SpaceStore#pickCompaction}, {@link CompactionJob#build},
 * {@link SpaceStore#finishCompaction}.
 */
class BackgroundCompactionTest {

  static final int DIM = 8;
  static final StoreConfig CONFIG = new StoreConfig(3, 4, 10_000);

  @TempDir
  Path dir;

  final Random random = new Random(11);
  final SpaceSchema schema = TestSpaces.schema("db", TestSpaces.body("s", DIM, 1, "FLAT", "", "murmur3"));

  DataLayout layout() {
    return new DataLayout(dir);
  }

  SpaceStore open() throws IOException {
    return SpaceStore.open(schema, layout(), CONFIG);
  }

  List<String> index(SpaceStore s, int from, int n) throws IOException {
    List<WriteOp> ops = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      ops.add(s.prepareIndex(TestSpaces.doc("d" + i, TestSpaces.vector(random, DIM), i), "_id"));
    }
    return s.apply(ops);
  }

  String delete(SpaceStore s, String id) throws IOException {
    return s.apply(List.of(s.prepareDelete(id, "id"))).getFirst();
  }

  /** {@code rounds} sealed segments of 10 documents each: d0 ... d(10 x rounds - 1). */
  SpaceStore withSegments(int rounds) throws IOException {
    SpaceStore s = open();
    for (int r = 0; r < rounds; r++) {
      index(s, r * 10, 10);
      s.seal();
    }
    return s;
  }

  Set<String> ids(int from, int to) {
    Set<String> ids = new HashSet<>();
    for (int i = from; i < to; i++) {
      ids.add("d" + i);
    }
    return ids;
  }

  Set<String> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(layout().segmentsDir("db", "s"))) {
      return files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  Set<String> published() throws IOException {
    return TestSpaces.publishedIds(layout(), "db", "s");
  }

  static Thread start(String name, ThrowingRunnable r) {
    Thread t = new Thread(() -> {
      try {
        r.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, name);
    t.start();
    return t;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  static void join(Thread t) throws InterruptedException {
    t.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(t.isAlive(), t.getName() + " still running");
  }

  @Test
  void writesDeletesUpsertsAndSealsDuringTheBuildAreHonouredAfterTheSwap() throws Exception {
    try (SpaceStore s = withSegments(4)) {
      delete(s, "d1");
      CompactionJob job = s.pickCompaction(CompactionJob.Scope.ALL);
      assertNotNull(job);
      assertNull(s.pickCompaction(CompactionJob.Scope.ALL), "the inputs are held by the first compaction");
      CountDownLatch written = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      job.hook = stage -> {
        if (stage == CompactionJob.Stage.FILE_WRITTEN) {
          written.countDown();
          await(release);
        }
      };
      Thread build = start("build", job::build);
      assertTrue(written.await(30, TimeUnit.SECONDS));
      long versionBefore = s.version();
      // The compacted file holds d0..d39 but d1. Meanwhile:
      assertEquals("deleted", delete(s, "d3"));
      assertEquals(List.of("updated"), index(s, 5, 1), "upsert, new copy buffered");
      assertEquals(List.of("updated", "updated"), index(s, 7, 2), "upserts sealed below");
      assertEquals(List.of("created"), index(s, 40, 1));
      // A whole input segment deleted and the version published: it stays mapped for the build.
      for (int i = 30; i < 40; i++) {
        assertEquals("deleted", delete(s, "d" + i));
      }
      assertEquals(versionBefore + 1, s.seal(), "a seal during the compaction");
      assertEquals("deleted", delete(s, "d15"));
      assertEquals(List.of("created"), index(s, 15, 1), "deleted, then back");
      assertEquals(List.of("updated"), index(s, 15, 1));
      assertEquals(List.of("updated"), index(s, 20, 1), "upsert left in the buffer at the swap");
      release.countDown();
      join(build);
      assertTrue(s.finishCompaction(job));

      Set<String> expected = ids(0, 30);
      expected.remove("d1");
      expected.remove("d3");
      expected.add("d40");
      assertEquals(expected, published(), "one live copy of each, none of the deleted");
      assertEquals(expected.size(), s.docCount());
      assertEquals(0, s.bufferedCount(), "what was buffered is published with the compaction");
      assertFalse(s.contains("d3"));
      assertTrue(s.contains("d5"));
      // The id map points at the live copies: upserts and deletes now hit the right ones.
      assertEquals(List.of("updated", "updated", "updated"), List.of(index(s, 0, 1).getFirst(),
          index(s, 5, 1).getFirst(), index(s, 15, 1).getFirst()));
      assertEquals("deleted", delete(s, "d2"));
      assertEquals("not_found", delete(s, "d35"));
      s.seal();
      expected.remove("d2");
      assertEquals(expected, published());
      var segs = s.stats().partitions().getFirst().segments();
      assertEquals(39, segs.getFirst().docNum(), "the compacted segment comes first (oldest first): d0..d39 but d1");
      assertEquals(16 + 2, segs.getFirst().deleted(), "16 deleted or replaced during the build, d0 and d2 since");
    }
    try (SpaceStore back = open()) {
      Set<String> expected = ids(0, 30);
      expected.removeAll(Set.of("d1", "d2", "d3"));
      expected.add("d40");
      assertEquals(expected.size(), back.docCount());
      back.seal();
      assertEquals(expected, published());
    }
  }

  @Test
  void compactionsOfDisjointSegmentsCanOverlapAndFinishInEitherOrder() throws Exception {
    try (SpaceStore s = withSegments(3)) {
      CompactionJob first = s.pickCompaction(CompactionJob.Scope.ALL);
      index(s, 30, 10);
      s.seal();
      index(s, 40, 10);
      s.seal();
      CompactionJob second = s.pickCompaction(CompactionJob.Scope.ALL);
      assertNotNull(second, "the segments sealed since are free");
      Set<SealedSegment> a = new HashSet<>(first.parts().getFirst().inputs);
      for (SealedSegment in : second.parts().getFirst().inputs) {
        assertFalse(a.contains(in), "a segment in two compactions");
      }
      delete(s, "d0");
      delete(s, "d45");
      second.build();
      first.build();
      assertTrue(s.finishCompaction(second));
      assertTrue(s.finishCompaction(first));
      Set<String> expected = ids(0, 50);
      expected.removeAll(Set.of("d0", "d45"));
      assertEquals(expected, published());
      assertEquals(2, s.stats().partitions().getFirst().segments().size());
    }
  }

  @Test
  void aFailedBuildLeavesTheStoreAsItWasAndDeletesItsFile() throws Exception {
    try (SpaceStore s = withSegments(4)) {
      long version = s.version();
      Set<String> files = segmentFiles();
      CompactionJob job = s.pickCompaction(CompactionJob.Scope.ALL);
      String output = job.parts().getFirst().file;
      job.hook = stage -> {
        if (stage == CompactionJob.Stage.FILE_WRITTEN) {
          assertTrue(Files.exists(layout().segmentsDir("db", "s").resolve(output)));
          throw new IOException("disk full (test)");
        }
      };
      job.build();
      delete(s, "d2");
      SpaceStats before = s.stats();
      IOException e = assertThrows(IOException.class, () -> s.finishCompaction(job));
      assertEquals("disk full (test)", e.getMessage());
      assertEquals(version, s.version());
      assertEquals(before.partitions(), s.stats().partitions());
      assertEquals(files, segmentFiles(), "the compacted file is gone");
      assertEquals(39, s.docCount());
      assertTrue(Compactions.all(s), "the inputs are free again");
      Set<String> expected = ids(0, 40);
      expected.remove("d2");
      assertEquals(expected, published());
    }
  }

  @Test
  void closeDuringABuildWaitsForItToStopAndPublishesNothing() throws Exception {
    SpaceStore s = withSegments(4);
    long version = s.version();
    Set<String> files = segmentFiles();
    CompactionJob job = s.pickCompaction(CompactionJob.Scope.ALL);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    job.hook = stage -> {
      if (stage == CompactionJob.Stage.BUILD_START) {
        started.countDown();
        await(release);
      }
    };
    Thread build = start("build", job::build);
    assertTrue(started.await(30, TimeUnit.SECONDS));
    Thread close = start("close", s::close);
    TestSpaces.await("close cancels the compaction", 30, job::cancelled);
    assertTrue(close.isAlive(), "close waits for the running build");
    release.countDown();
    join(build);
    join(close);
    assertFalse(job.failed(), "a cancelled build is no failure");
    assertFalse(s.finishCompaction(job), "nothing is published after close");
    assertEquals(files, segmentFiles(), "the compacted file is gone");
    try (SpaceStore back = open()) {
      assertEquals(version, back.version());
      assertEquals(40, back.docCount());
    }
  }

  @Test
  void aCrashDuringACompactionLeavesNoTrace() throws Exception {
    SpaceStore s = withSegments(4);
    long version = s.version();
    Set<String> files = segmentFiles();
    CompactionJob job = s.pickCompaction(CompactionJob.Scope.ALL);
    job.build();
    delete(s, "d4");
    assertTrue(segmentFiles().contains(job.parts().getFirst().file));
    // No finish, no close: the process dies with the compacted file written but in no version.
    try (SpaceStore back = open()) {
      assertEquals(files, segmentFiles(), "the orphan compacted file is deleted at open");
      assertEquals(version, back.version());
      assertEquals(39, back.docCount());
      assertFalse(back.contains("d4"));
      assertTrue(Compactions.all(back));
      Set<String> expected = ids(0, 40);
      expected.remove("d4");
      assertEquals(expected, published());
    }
    s.close();
  }

  @Test
  void anAbandonedJobIsNeverBuiltAndFreesItsInputs() throws Exception {
    try (SpaceStore s = withSegments(4)) {
      CompactionJob job = s.pickCompaction(CompactionJob.Scope.ALL);
      Set<String> files = segmentFiles();
      s.abandonCompaction(job);
      job.build();
      assertEquals(files, segmentFiles());
      assertFalse(s.finishCompaction(job));
      assertNotNull(s.pickCompaction(CompactionJob.Scope.ALL));
    }
  }

  static void await(CountDownLatch latch) throws IOException {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IOException("the test never released the build");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
