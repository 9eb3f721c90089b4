package io.vecgate.reader.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.topk.Hit;
import io.vecgate.engine.vector.Metric;
import io.vecgate.reader.testkit.BruteForce;
import io.vecgate.reader.testkit.Doc;
import io.vecgate.reader.testkit.TestSpace;
import io.vecgate.reader.version.LoadedVersion;
import io.vecgate.reader.version.SharedSegments;
import io.vecgate.reader.version.VersionKey;
import io.vecgate.reader.version.VersionLoader;
import io.vecgate.store.DataLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Approximate indexes through the reader: recall against brute force over two partitions. */
class AnnRecallTest {

  private static final int DIM = 24;
  private static final int K = 10;

  @ParameterizedTest
  @CsvSource({"IVF_FLAT, nlist=16, 10, 0", "IVF_SQ8, nlist=16, 10, 0", "HNSW, M=16, 0, 64"})
  void recallAgainstBruteForce(IndexType type, String params, int nprobe, int ef, @TempDir Path dir) throws Exception {
    String[] kv = params.split("=");
    TestSpace s = new TestSpace(new DataLayout(dir), "db", "ann", DIM, Metric.L2, type, Map.of(kv[0], kv[1]));
    List<Doc> a = TestSpace.docs(0, 1500, DIM, 21);
    List<Doc> b = TestSpace.docs(1500, 1500, DIM, 22);
    s.segment("p0-1.seg", a);
    s.segment("p1-1.seg", b);
    Path vdir = s.publish(1, Map.of(0, List.of("p0-1.seg"), 1, List.of("p1-1.seg")),
        Map.of("p0-1.seg", List.of("doc-1", "doc-2")));
    List<Doc> live = new ArrayList<>(a.subList(3, a.size()));
    live.add(a.getFirst());
    live.addAll(b);
    LoadedVersion v = new VersionLoader(new SharedSegments()).load(new VersionKey("db", "ann", 1), vdir);
    try {
      SplittableRandom rnd = new SplittableRandom(99);
      int nq = 40;
      float[] batch = new float[nq * DIM];
      List<float[]> queries = new ArrayList<>();
      for (int i = 0; i < nq; i++) {
        float[] q = TestSpace.randomVector(rnd, DIM);
        queries.add(q);
        System.arraycopy(q, 0, batch, i * DIM, DIM);
      }
      SearchParams p = new SearchParams(nprobe, ef, false, 0, false);
      List<List<DocHit>> answers = VersionSearcher.search(SearchPlan.query(batch, K).withParams(p).check(v));
      int found = 0;
      for (int i = 0; i < nq; i++) {
        Set<Long> truth = new HashSet<>();
        BruteForce.topK(live, d -> true, queries.get(i), K, Metric.L2, false).stream().map(Hit::id).forEach(truth::add);
        found += (int) answers.get(i).stream().filter(h -> truth.contains(h.seq())).count();
        assertTrue(answers.get(i).stream().noneMatch(h -> h.seq() == 1 || h.seq() == 2), "deleted docs returned");
      }
      double recall = found / (double) (nq * K);
      assertTrue(recall >= 0.9, type + " recall@" + K + " = " + recall);
      // exact = brute force over the same index: recall 1
      List<List<DocHit>> exact = VersionSearcher.search(SearchPlan.query(batch, K).withParams(p.withExact(true)).check(v));
      for (int i = 0; i < nq; i++) {
        assertEquals(BruteForce.topK(live, d -> true, queries.get(i), K, Metric.L2, false).stream().map(Hit::id).toList(),
            exact.get(i).stream().map(DocHit::seq).toList());
      }
    } finally {
      v.retire();
    }
  }
}
