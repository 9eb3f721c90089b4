package io.vecgate.reader.search.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.column.TermOperator;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.vector.Metric;
import io.vecgate.reader.search.DocHit;
import io.vecgate.reader.search.FilterSpec;
import io.vecgate.reader.search.SearchAnswer;
import io.vecgate.reader.search.SearchPlan;
import io.vecgate.reader.search.VersionSearcher;
import io.vecgate.reader.testkit.Await;
import io.vecgate.reader.testkit.Doc;
import io.vecgate.reader.testkit.TestSpace;
import io.vecgate.reader.version.LoadedVersion;
import io.vecgate.reader.version.SharedSegments;
import io.vecgate.reader.version.VersionKey;
import io.vecgate.reader.version.VersionLoader;
import io.vecgate.store.DataLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merger without sockets, on an IVF_SQ8 space of two vector fields and two partitions. A
 * gate holds the search threads closed, so that searches queue behind a first one exactly as
 * they do behind a running batch, and then opens.
 */
class QueryMergerTest {

  private static final int DIM = 16;
  private static final int TITLE_DIM = 8;

  @TempDir
  Path tmp;

  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final Gate gate = new Gate(pool);
  private final List<int[]> batches = new ArrayList<>();
  private final MergeMetrics metrics = (requests, queries) -> {
    synchronized (batches) {
      batches.add(new int[] {requests, queries});
    }
  };
  private LoadedVersion v;

  @BeforeEach
  void fixture() throws Exception {
    TestSpace s = new TestSpace(new DataLayout(tmp), "db", "sp", List.of(TestSpace.VECTOR_FIELD, "title"),
        new int[] {DIM, TITLE_DIM}, Metric.L2, IndexType.IVF_SQ8, Map.of("nlist", "8", "nprobe", "2"));
    int[] dims = {DIM, TITLE_DIM};
    s.segment("p0-1.seg", TestSpace.docs(0, 400, dims, 1));
    s.segment("p0-2.seg", TestSpace.docs(400, 200, dims, 2));
    s.segment("p1-1.seg", TestSpace.docs(600, 500, dims, 3));
    Path dir = s.publish(1, Map.of(0, List.of("p0-1.seg", "p0-2.seg"), 1, List.of("p1-1.seg")),
        Map.of("p0-1.seg", List.of("doc-7", "doc-8"), "p1-1.seg", List.of("doc-650")));
    v = new VersionLoader(new SharedSegments()).load(new VersionKey("db", "sp", 1), dir);
    assertTrue(v.acquire());
  }

  @AfterEach
  void close() {
    v.release();
    v.retire();
    pool.shutdownNow();
  }

  /** Buffers tasks while closed; once open, hands them (and every later one) to the pool. */
  static final class Gate implements Executor {
    private final Executor pool;
    private final List<Runnable> held = new ArrayList<>();
    private boolean open;

    Gate(Executor pool) {
      this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
      synchronized (this) {
        if (!open) {
          held.add(task);
          return;
        }
      }
      pool.execute(task);
    }

    synchronized int held() {
      return held.size();
    }

    void open() {
      List<Runnable> tasks;
      synchronized (this) {
        open = true;
        tasks = List.copyOf(held);
        held.clear();
      }
      tasks.forEach(pool::execute);
    }
  }

  private static float[] vectors(long seed, int nq, int dim) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] out = new float[nq * dim];
    for (int i = 0; i < nq; i++) {
      System.arraycopy(TestSpace.randomVector(rnd, dim), 0, out, i * dim, dim);
    }
    return out;
  }

  private static SearchPlan.Draft plain(long seed, int nq, int k) {
    return SearchPlan.query(List.of(SearchPlan.FieldQuery.of(TestSpace.VECTOR_FIELD, vectors(seed, nq, DIM))), k);
  }

  /**
   * Searches that differ in everything a search can: k (within and beyond the spread), nq,
   * nprobe, quick, exact, filters, partitions, projection, vectors, l2_sqrt, field scores, and
   * several weighted entries. Some share a key, so they merge; the others must not.
   */
  private static List<SearchPlan.Draft> mixed() {
    List<SearchPlan.Draft> out = new ArrayList<>();
    int[] ks = {1, 5, 10, 37, 120, 199, 260};
    FilterSpec cheap = new FilterSpec.RangeFilter("price", null, 20.0, null, 80.0);
    FilterSpec notRed = new FilterSpec.TermFilter("color", List.of("red"), TermOperator.NOT);
    for (int i = 0; i < 84; i++) {
      int k = ks[i % ks.length];
      SearchPlan.Draft q = plain(100 + i, 1 + i % 3 / 2, k);
      switch (i % 12) {
        case 1 -> q = q.withParams(SearchParams.DEFAULTS.withNprobe(5));
        case 2 -> q = q.withParams(SearchParams.DEFAULTS.withQuick(true));
        case 3 -> q = q.withFilters(List.of(cheap));
        case 4 -> q = q.withFilters(List.of(cheap, notRed));
        case 5 -> q = q.withPartitions(List.of(1));
        case 6 -> q = q.withFields(List.of("price", "title")).withL2Sqrt(true);
        case 7 -> q = q.withVectorValue(true).withFieldScores(true);
        case 8 -> q = new SearchPlan.Draft(List.of(), List.of(
            new SearchPlan.FieldQuery(TestSpace.VECTOR_FIELD, vectors(100 + i, 2, DIM), 1f),
            new SearchPlan.FieldQuery("title", vectors(200 + i, 2, TITLE_DIM), 0.5f)),
            k, SearchParams.DEFAULTS, List.of(), null, false, false, true);
        case 9 -> q = q.withParams(SearchParams.DEFAULTS.withExact(true));
        case 10 -> q = new SearchPlan.Draft(List.of(0), List.of(
            new SearchPlan.FieldQuery("title", vectors(300 + i, 1, TITLE_DIM), 2f)), k, SearchParams.DEFAULTS
            .withNprobe(3), List.of(notRed), List.of(), false, false, false);
        default -> { }
      }
      out.add(q);
    }
    return out;
  }

  /**
   * Every slot comes back. A batch completes its answers before it gives its slot to the next lane,
   * so a test thread woken by the last answer may look a moment too early: it waits (up to 5 s).
   */
  private static void assertIdle(QueryMerger merger) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (merger.running() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertEquals(0, merger.running(), "batches still holding a slot");
  }

  /** Bit-for-bit the same hits: documents, scores, field scores, sources and vectors. */
  static void assertSameHits(List<List<DocHit>> expected, List<List<DocHit>> actual, String what) {
    assertEquals(expected.size(), actual.size(), what + ": number of queries");
    for (int i = 0; i < expected.size(); i++) {
      List<DocHit> e = expected.get(i);
      List<DocHit> a = actual.get(i);
      String w = what + " query " + i;
      assertEquals(e.stream().map(DocHit::seq).toList(), a.stream().map(DocHit::seq).toList(), w);
      for (int j = 0; j < e.size(); j++) {
        assertEquals(Float.floatToIntBits(e.get(j).score()), Float.floatToIntBits(a.get(j).score()), w + " score of hit " + j);
        assertArrayEquals(e.get(j).fieldScores(), a.get(j).fieldScores(), w + " field scores of hit " + j);
        assertEquals(e.get(j).id(), a.get(j).id(), w);
        assertEquals(e.get(j).sourceJson(), a.get(j).sourceJson(), w);
        assertEquals(e.get(j).vectors().keySet(), a.get(j).vectors().keySet(), w);
        for (String f : e.get(j).vectors().keySet()) {
          assertArrayEquals(e.get(j).vectors().get(f), a.get(j).vectors().get(f), w + " vector " + f);
        }
      }
    }
  }

  @Test
  void mergedAnswersAreBitForBitTheUnmergedOnesAndOnlyCompatibleSearchesMerge() throws Exception {
    QueryMerger merger = new QueryMerger(gate, 1, MergeSettings.DEFAULTS, metrics);
    CompletableFuture<SearchAnswer> first = merger.search(plain(1, 1, 10).check(v));
    assertEquals(1, gate.held(), "the first search runs at once; the others queue behind it");
    List<SearchPlan.Draft> queries = mixed();
    List<CompletableFuture<SearchAnswer>> answers = new ArrayList<>();
    for (SearchPlan.Draft q : queries) {
      answers.add(merger.search(q.check(v)));
    }
    gate.open();
    assertEquals(1, Await.result(first).batchRequests());
    Map<Long, List<Integer>> byBatch = new HashMap<>();
    for (int i = 0; i < queries.size(); i++) {
      SearchAnswer a = Await.result(answers.get(i));
      assertSameHits(VersionSearcher.search(queries.get(i).check(v)), a.hits(), "search " + i);
      byBatch.computeIfAbsent(a.batchId(), x -> new ArrayList<>()).add(i);
    }
    int merged = 0;
    for (List<Integer> members : byBatch.values()) {
      SearchPlan.Shape key = queries.get(members.getFirst()).check(v).shape();
      int minK = Integer.MAX_VALUE;
      int maxK = 0;
      int nq = 0;
      for (int i : members) {
        assertEquals(key, queries.get(i).check(v).shape(), "search " + i + " merged with a search of other parameters");
        minK = Math.min(minK, queries.get(i).k());
        maxK = Math.max(maxK, queries.get(i).k());
        nq += queries.get(i).check(v).nq();
        assertEquals(members.size(), Await.result(answers.get(i)).batchRequests());
      }
      assertTrue(maxK - minK <= MergeSettings.DEFAULT_MAX_K_SPREAD, "k from " + minK + " to " + maxK + " in one batch");
      assertTrue(nq <= MergeSettings.DEFAULT_MAX_QUERIES);
      assertEquals(nq, Await.result(answers.get(members.getFirst())).batchQueries());
      merged += members.size() > 1 ? members.size() : 0;
    }
    // 84 searches of 11 kinds queued behind one: far fewer batches than searches.
    assertTrue(byBatch.size() < 30, byBatch.size() + " batches for " + queries.size() + " searches");
    assertTrue(merged > 60, merged + " searches merged");
    assertIdle(merger);
    synchronized (batches) {
      assertEquals(byBatch.size() + 1, batches.size(), "one metrics record per batch");
      assertEquals(queries.size() + 1, batches.stream().mapToInt(b -> b[0]).sum());
    }
  }

  @Test
  void batchesKeepWithinTheMaxQueriesAndTheKSpread() throws Exception {
    QueryMerger merger = new QueryMerger(gate, 1, new MergeSettings(true, 5, 20, Duration.ZERO), metrics);
    merger.search(plain(1, 1, 10).check(v));
    List<SearchPlan.Draft> queries = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      queries.add(plain(10 + i, 1, 10));
    }
    queries.add(plain(30, 7, 10));  // more than the max: alone
    queries.add(plain(31, 3, 1));
    queries.add(plain(32, 1, 30));  // 29 from k = 1: not with it
    queries.add(plain(33, 2, 15));
    List<CompletableFuture<SearchAnswer>> answers = queries.stream().map(q -> merger.search(q.check(v))).toList();
    gate.open();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < queries.size(); i++) {
      SearchAnswer a = Await.result(answers.get(i));
      assertSameHits(VersionSearcher.search(queries.get(i).check(v)), a.hits(), "search " + i);
      assertTrue(a.batchQueries() <= 5 || a.batchRequests() == 1, "batch of " + a.batchQueries() + " queries");
      ids.add(a.batchId());
    }
    // Oldest first: 5, 5, then the last 2 of k = 10 with the nq = 3 one (k = 1, spread 9).
    assertEquals(ids.get(0), ids.get(4));
    assertTrue(!ids.get(4).equals(ids.get(5)) && ids.get(5).equals(ids.get(9)));
    assertEquals(ids.get(10), ids.get(11));
    assertEquals(ids.get(10), ids.get(13), "the nq = 3 search fills the batch of the last two");
    assertEquals(5, Await.result(answers.get(13)).batchQueries());
    assertEquals(7, Await.result(answers.get(12)).batchQueries());
    assertEquals(1, Await.result(answers.get(12)).batchRequests(), "a search of more than the max runs alone");
    assertTrue(!ids.get(14).equals(ids.get(13)), "k = 30 is more than 20 from k = 1");
    assertEquals(ids.get(14), ids.get(15), "k = 30 and k = 15 merge");
  }

  @Test
  void anIdleReaderRunsEachSearchAtOnce() throws Exception {
    QueryMerger merger = new QueryMerger(gate, 2, MergeSettings.DEFAULTS, metrics);
    CompletableFuture<SearchAnswer> a = merger.search(plain(1, 1, 10).check(v));
    assertEquals(1, gate.held(), "handed to a search thread before search() returned");
    CompletableFuture<SearchAnswer> b = merger.search(plain(2, 1, 10).check(v));
    assertEquals(2, gate.held(), "a second free thread takes the second search at once too");
    CompletableFuture<SearchAnswer> c = merger.search(plain(3, 1, 10).check(v));
    assertEquals(2, gate.held(), "with both threads busy, the third waits");
    gate.open();
    assertEquals(1, Await.result(a).batchRequests());
    assertEquals(1, Await.result(b).batchRequests());
    assertEquals(1, Await.result(c).batchRequests());
    // Idle again: runs at once, alone.
    long t0 = System.nanoTime();
    SearchAnswer d = Await.result(merger.search(plain(4, 1, 10).check(v)));
    assertEquals(1, d.batchRequests());
    assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
  }

  @Test
  void aBadSearchIsRefusedBeforeItJoinsABatchAndTheGoodOnesMerge() throws Exception {
    QueryMerger merger = new QueryMerger(gate, 1, MergeSettings.DEFAULTS, metrics);
    merger.search(plain(1, 1, 10).check(v));
    float[] nan = vectors(5, 1, DIM);
    nan[3] = Float.NaN;
    SearchPlan.Draft good1 = plain(2, 1, 10);
    SearchPlan.Draft badNan = SearchPlan.query(List.of(SearchPlan.FieldQuery.of(TestSpace.VECTOR_FIELD, nan)), 10);
    SearchPlan.Draft badLength = SearchPlan.query(List.of(SearchPlan.FieldQuery.of(TestSpace.VECTOR_FIELD,
        new float[DIM - 1])), 10);
    SearchPlan.Draft badK = plain(3, 1, 0);
    SearchPlan.Draft good2 = plain(4, 2, 3);
    // The plan is the reader's one check: a bad search never reaches a lane, so it cannot fail a batch.
    for (SearchPlan.Draft bad : List.of(badNan, badLength, badK)) {
      org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> bad.check(v));
    }
    CompletableFuture<SearchAnswer> f1 = merger.search(good1.check(v));
    CompletableFuture<SearchAnswer> f2 = merger.search(good2.check(v));
    gate.open();
    SearchAnswer a1 = Await.result(f1);
    SearchAnswer a2 = Await.result(f2);
    assertSameHits(VersionSearcher.search(good1.check(v)), a1.hits(), "good1");
    assertSameHits(VersionSearcher.search(good2.check(v)), a2.hits(), "good2");
    assertEquals(a1.batchId(), a2.batchId(), "the good searches ran together");
    assertEquals(2, a1.batchRequests());
    assertEquals(3, a1.batchQueries());
  }

  @Test
  void aBatchThatFailsInTheEngineFailsEachSearchWithItsOwnErrorAndTheMergerGoesOn() throws Exception {
    QueryMerger merger = new QueryMerger(gate, 1, MergeSettings.DEFAULTS, metrics);
    merger.search(plain(1, 1, 10).check(v));
    // A term filter on a float field passes the request checks and fails in the engine.
    List<FilterSpec> bad = List.of(new FilterSpec.TermFilter("weight", List.of("0.5"), TermOperator.OR));
    List<CompletableFuture<SearchAnswer>> failing = List.of(merger.search(plain(2, 1, 10).withFilters(bad).check(v)),
        merger.search(plain(3, 2, 5).withFilters(bad).check(v)));
    CompletableFuture<SearchAnswer> fine = merger.search(plain(4, 1, 10).check(v));
    gate.open();
    for (CompletableFuture<SearchAnswer> f : failing) {
      ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> Await.result(f));
      assertInstanceOf(IllegalArgumentException.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains("weight"), e.getCause().getMessage());
    }
    assertSameHits(VersionSearcher.search(plain(4, 1, 10).check(v)), Await.result(fine).hits(), "the other lane");
    // Nothing is left holding a slot.
    assertSameHits(VersionSearcher.search(plain(5, 1, 7).check(v)), Await.result(merger.search(plain(5, 1, 7).check(v))).hits(),
        "after");
    assertIdle(merger);
  }

  @Test
  void aMicroWaitGathersTheSearchesOfAnIdleReader() throws Exception {
    gate.open();
    QueryMerger merger = new QueryMerger(gate, 2, MergeSettings.DEFAULTS.withMaxWait(Duration.ofMillis(300)), metrics);
    try {
      long t0 = System.nanoTime();
      CompletableFuture<SearchAnswer> a = merger.search(plain(1, 1, 10).check(v));
      CompletableFuture<SearchAnswer> b = merger.search(plain(2, 1, 12).check(v));
      SearchAnswer ra = Await.result(a);
      SearchAnswer rb = Await.result(b);
      assertTrue(System.nanoTime() - t0 >= 250_000_000L, "the batch waited for companions");
      assertEquals(ra.batchId(), rb.batchId());
      assertEquals(2, ra.batchRequests());
      // A full batch does not wait.
      MergeSettings two = new MergeSettings(true, 2, 200, Duration.ofSeconds(5));
      QueryMerger full = new QueryMerger(gate, 1, two, metrics);
      try {
        long t1 = System.nanoTime();
        CompletableFuture<SearchAnswer> c = full.search(plain(3, 1, 10).check(v));
        CompletableFuture<SearchAnswer> d = full.search(plain(4, 1, 10).check(v));
        assertEquals(Await.result(c).batchId(), Await.result(d).batchId());
        assertTrue(System.nanoTime() - t1 < 4_000_000_000L, "a full batch starts without waiting");
      } finally {
        full.close();
      }
    } finally {
      merger.close();
    }
  }

  @Test
  void settingsAreChecked() {
    for (Runnable bad : List.<Runnable>of(() -> new MergeSettings(true, 0, 200, Duration.ZERO),
        () -> new MergeSettings(true, 200, -1, Duration.ZERO), () -> new MergeSettings(true, 200, 200, Duration.ofMillis(-1)))) {
      org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, bad::run);
    }
    assertTrue(Arrays.asList(MergeSettings.DEFAULTS.enabled(), !MergeSettings.OFF.enabled()).stream().allMatch(x -> x));
  }

  @Test
  void docsOfTheFixtureAreSearchedByEveryPath() {
    // Guards the fixture: an IVF index in the first partition, so the merged batches run the batched list scans.
    assertEquals(IndexType.IVF_SQ8, v.segments(0).getFirst().field(0).index().type());
    assertTrue(Doc.COLORS.length > 1);
  }
}
