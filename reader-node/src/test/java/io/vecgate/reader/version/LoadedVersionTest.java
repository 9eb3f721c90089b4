package io.vecgate.reader.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.manifest.ManifestException;
import io.vecgate.engine.segment.SegmentReader;
import io.vecgate.engine.vector.Metric;
import io.vecgate.reader.search.Warmup;
import io.vecgate.reader.testkit.TestSpace;
import io.vecgate.store.DataLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading versions: shared, reference-counted segment mappings, tombstones, in-flight counting. */
class LoadedVersionTest {

  @TempDir
  Path tmp;

  TestSpace space;
  SharedSegments shared;
  VersionLoader loader;

  @BeforeEach
  void fixture() throws Exception {
    space = new TestSpace(new DataLayout(tmp), "shop", "items", 8, Metric.L2, IndexType.FLAT, Map.of());
    space.segment("p0-1.seg", TestSpace.docs(0, 50, 8, 1));
    space.segment("p0-2.seg", TestSpace.docs(50, 30, 8, 2));
    space.segment("p0-3.seg", TestSpace.docs(80, 20, 8, 3));
    space.publish(1, Map.of(0, List.of("p0-1.seg", "p0-2.seg")), Map.of());
    // Version 2 keeps p0-1, deletes one of its documents, drops p0-2 and adds p0-3.
    space.publish(2, Map.of(0, List.of("p0-1.seg", "p0-3.seg")), Map.of("p0-1.seg", List.of("doc-7")));
    shared = new SharedSegments();
    loader = new VersionLoader(shared);
  }

  LoadedVersion load(long v) throws Exception {
    return loader.load(new VersionKey("shop", "items", v), space.layout.versionDir("shop", "items", v));
  }

  @Test
  void aSegmentSharedByTwoVersionsIsMappedOnceAndUnmappedWithTheLastOne() throws Exception {
    LoadedVersion v1 = load(1);
    LoadedVersion v2 = load(2);
    assertEquals(3, shared.openFiles());
    assertEquals(2, shared.references("shop", "items", "p0-1.seg"));
    SegmentReader common = v1.segments(0).getFirst().reader();
    assertTrue(common == v2.segments(0).getFirst().reader(), "the shared file is one mapping");
    SegmentReader onlyV1 = v1.segments(0).get(1).reader();

    v1.retire();
    assertTrue(v1.isClosed());
    assertEquals(2, shared.openFiles());
    assertThrows(IllegalStateException.class, () -> onlyV1.id(0), "p0-2 is unmapped");
    assertEquals(0L, common.id(0), "p0-1 is still mapped for v2");

    v2.retire();
    assertEquals(0, shared.openFiles());
    assertThrows(IllegalStateException.class, () -> common.id(0));
  }

  @Test
  void tombstonesAndTheIdIndexFollowTheVersion() throws Exception {
    LoadedVersion v1 = load(1);
    LoadedVersion v2 = load(2);
    assertEquals(80, v1.liveCount());
    assertEquals(69, v2.liveCount());
    assertTrue(v1.locate("doc-7") != null);
    assertEquals(null, v2.locate("doc-7"));
    long loc = v2.locate("doc-85");
    assertEquals(85L, v2.segmentOf(loc).reader().id(LoadedVersion.ordinalOf(loc)));
    int ord = space.ordinalOf("p0-1.seg", "doc-7");
    assertFalse(v2.segments(0).getFirst().isLive(ord));
    assertTrue(v1.segments(0).getFirst().isLive(ord));
    v1.retire();
    v2.retire();
  }

  @Test
  void aRetiredVersionClosesWhenItsLastSearchEnds() throws Exception {
    LoadedVersion v = load(1);
    assertTrue(v.acquire());
    assertTrue(v.acquire());
    v.retire();
    assertFalse(v.acquire(), "no new searches once retired");
    assertFalse(v.isClosed());
    v.release();
    assertFalse(v.isClosed());
    v.release();
    assertTrue(v.isClosed());
    assertEquals(0, shared.openFiles());
    assertThrows(IllegalStateException.class, v::release);
  }

  @Test
  void warmupRunsTheQueriesAsked() throws Exception {
    LoadedVersion v = load(2);
    assertEquals(100, Warmup.warm(v, 100));
    assertEquals(0, Warmup.warm(v, 0));
    // A version sharing segments with a warm one only has its fresh pages touched: no queries.
    assertEquals(0, Warmup.warm(v, 100, s -> false));
    LoadedSegment one = v.allSegments().stream().filter(s -> s.size() > 0).findFirst().orElseThrow();
    assertEquals(0, Warmup.warm(v, 100, s -> s == one));
    assertEquals(100, Warmup.warm(v, 100, s -> true));
    v.retire();
  }

  @Test
  void anIncompleteOrBrokenVersionLoadsNothing() throws Exception {
    Path dir = space.layout.versionDir("shop", "items", 3);
    Files.createDirectories(dir);
    assertThrows(ManifestException.class, () -> load(3));
    // A missing segment file: the manifest check names it, nothing stays mapped.
    Files.delete(space.layout.versionDir("shop", "items", 2).resolve("p0-3.seg"));
    ManifestException e = assertThrows(ManifestException.class, () -> load(2));
    assertTrue(e.getMessage().contains("p0-3.seg"), e.getMessage());
    assertEquals(0, shared.openFiles());
  }
}
