package io.vecgate.reader.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.column.TermOperator;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.topk.Hit;
import io.vecgate.engine.topk.ScoreOrder;
import io.vecgate.engine.vector.Metric;
import io.vecgate.engine.vector.VectorizationProvider;
import io.vecgate.reader.search.SearchPlan.FieldQuery;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Search over a space with two vector fields, against a brute-force oracle of the documented
 * semantics (see {@link VersionSearcher}): per partition, the union of each field's k exact
 * nearest live, filtered documents, scored by the weighted sum of the fields' exact scores; the
 * k best of all partitions. The space is IVF_FLAT, so the second field's index orders its vectors
 * its own way in every segment (a remapped field); {@code is_brute_search} makes the per-field
 * candidates exact, and so does an nprobe covering every list.
 */
class MultiFieldSearchTest {

  private static final int[] DIMS = {8, 5};
  private static final List<String> FIELDS = List.of("title", "image");

  @TempDir
  Path tmp;

  /** A loaded two-field version and its documents. */
  private record Fixture(LoadedVersion version, List<Doc> all, Set<String> deleted, Map<Long, Integer> partitionOf,
                         Metric metric) {

    Predicate<Doc> live() {
      return d -> !deleted.contains(d.id());
    }
  }

  private Fixture publish(Metric metric) throws Exception {
    TestSpace space = new TestSpace(new DataLayout(tmp), "shop", "items", FIELDS, DIMS, metric, IndexType.IVF_FLAT,
        Map.of("nlist", "4", "nprobe", "2"));
    Map<String, List<Doc>> files = new LinkedHashMap<>();
    files.put("p0-1.seg", TestSpace.docs(0, 120, DIMS, 1));
    files.put("p0-2.seg", TestSpace.docs(120, 100, DIMS, 2));
    files.put("p1-1.seg", TestSpace.docs(220, 180, DIMS, 3));
    files.put("p2-1.seg", TestSpace.docs(400, 80, DIMS, 4));
    List<Doc> all = new ArrayList<>();
    Map<Long, Integer> partitionOf = new HashMap<>();
    for (var e : files.entrySet()) {
      space.segment(e.getKey(), e.getValue());
      int p = e.getKey().charAt(1) - '0';
      e.getValue().forEach(d -> partitionOf.put(d.seq(), p));
      all.addAll(e.getValue());
    }
    List<String> del0 = List.of("doc-3", "doc-50", "doc-119");
    List<String> del1 = List.of("doc-230");
    Set<String> deleted = new HashSet<>(del0);
    deleted.addAll(del1);
    Path dir = space.publish(1, Map.of(0, List.of("p0-1.seg", "p0-2.seg"), 1, List.of("p1-1.seg"), 2,
        List.of("p2-1.seg")), Map.of("p0-1.seg", del0, "p1-1.seg", del1));
    LoadedVersion v = new VersionLoader(new SharedSegments()).load(new VersionKey("shop", "items", 1), dir);
    assertTrue(v.segments(0).getFirst().field(1).remapped(), "the test needs a remapped second field");
    return new Fixture(v, all, deleted, partitionOf, metric);
  }

  static float[] query(long seed, int dim) {
    return TestSpace.randomVector(new SplittableRandom(seed), dim);
  }

  /** The exact public score of field {@code f} of {@code d} for {@code q}, as the engine's single-row kernel gives it. */
  static float score(Metric metric, Doc d, int f, float[] q, boolean l2Sqrt) {
    float[] query = q;
    float[] stored = d.vector(f);
    if (metric.normalises()) {
      query = q.clone();
      Metric.normalise(query, 0, query.length);
      stored = stored.clone();
      Metric.normalise(stored, 0, stored.length);
    }
    return metric.toScore(metric.distance(VectorizationProvider.ops(), query, 0, stored, 0, query.length), l2Sqrt);
  }

  /**
   * The oracle: per partition, the union of each entry's k best documents by its field's exact
   * score, scored by the weighted sum; the k best of every partition's k best.
   *
   * @param entries field index -> (query, weight)
   */
  static List<Hit> oracle(Fixture fx, Predicate<Doc> allowed, Map<Integer, float[]> queries, Map<Integer, Float> weights,
                          int k, boolean l2Sqrt) {
    ScoreOrder order = ScoreOrder.of(fx.metric());
    List<Hit> partitionsBest = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      final int part = p;
      List<Doc> docs = fx.all().stream().filter(fx.live().and(allowed)).filter(d -> fx.partitionOf().get(d.seq()) == part)
          .toList();
      Set<Long> union = new HashSet<>();
      for (var e : queries.entrySet()) {
        int f = e.getKey();
        List<Hit> byField = new ArrayList<>();
        for (Doc d : docs) {
          byField.add(new Hit(d.seq(), score(fx.metric(), d, f, e.getValue(), l2Sqrt)));
        }
        byField.sort(order.comparator());
        byField.subList(0, Math.min(k, byField.size())).forEach(h -> union.add(h.id()));
      }
      List<Hit> combined = new ArrayList<>();
      for (Doc d : docs) {
        if (union.contains(d.seq())) {
          double sum = 0;
          for (var e : queries.entrySet()) {
            sum += (double) weights.get(e.getKey()) * score(fx.metric(), d, e.getKey(), e.getValue(), l2Sqrt);
          }
          combined.add(new Hit(d.seq(), (float) sum));
        }
      }
      combined.sort(order.comparator());
      partitionsBest.addAll(combined.subList(0, Math.min(k, combined.size())));
    }
    partitionsBest.sort(order.comparator());
    return partitionsBest.subList(0, Math.min(k, partitionsBest.size()));
  }

  static void assertSame(List<Hit> expected, List<DocHit> actual, String ctx) {
    assertEquals(expected.stream().map(Hit::id).toList(), actual.stream().map(DocHit::seq).toList(), ctx);
    for (int i = 0; i < expected.size(); i++) {
      float e = expected.get(i).score();
      assertEquals(e, actual.get(i).score(), 1e-5f * Math.max(1f, Math.abs(e)), "score of hit " + i + " " + ctx);
    }
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void combinedSearchEqualsTheBruteForceOfTheWeightedSumOverTheUnion(Metric metric) throws Exception {
    Fixture fx = publish(metric);
    try {
      for (int t = 0; t < 12; t++) {
        float[] title = query(100 + t, DIMS[0]);
        float[] image = query(200 + t, DIMS[1]);
        float wt = t % 3 == 0 ? 1f : 0.5f + t;
        float wi = t % 2 == 0 ? 1f : 2.5f;
        int k = 1 + t * 3;
        boolean l2Sqrt = t % 4 == 1;
        // Exact per-field candidates through is_brute_search, or through an nprobe that covers every list.
        SearchParams params = t % 2 == 0 ? SearchParams.DEFAULTS.withExact(true) : SearchParams.DEFAULTS.withNprobe(4);
        SearchPlan.Draft q = SearchPlan.query(List.of(new FieldQuery("title", title, wt),
                new FieldQuery("image", image, wi)), k)
            .withParams(params).withL2Sqrt(l2Sqrt).withFieldScores(true);
        List<DocHit> hits = VersionSearcher.search(q.check(fx.version())).getFirst();
        String ctx = metric + " t=" + t;
        assertSame(oracle(fx, d -> true, Map.of(0, title, 1, image), Map.of(0, wt, 1, wi), k, l2Sqrt), hits, ctx);
        // Each hit carries its fields' own exact scores, and its score is their weighted sum.
        for (DocHit h : hits) {
          Doc d = fx.all().stream().filter(x -> x.seq() == h.seq()).findFirst().orElseThrow();
          float st = score(metric, d, 0, title, l2Sqrt);
          float si = score(metric, d, 1, image, l2Sqrt);
          assertArrayEquals(new float[] {st, si}, h.fieldScores(), 1e-5f * (1 + Math.abs(st) + Math.abs(si)), ctx);
          assertEquals((float) ((double) wt * st + (double) wi * si), h.score(), 1e-5f * (1 + Math.abs(h.score())), ctx);
        }
        // The entries' order in the request does not matter.
        List<DocHit> swapped = VersionSearcher.search(SearchPlan.query(List.of(
            new FieldQuery("image", image, wi), new FieldQuery("title", title, wt)), k).withParams(params)
            .withL2Sqrt(l2Sqrt).check(fx.version())).getFirst();
        assertEquals(hits.stream().map(DocHit::seq).toList(), swapped.stream().map(DocHit::seq).toList(), ctx);
        assertNull(swapped.getFirst().fieldScores());
      }
    } finally {
      fx.version().retire();
    }
  }

  @Test
  void filtersPartitionsAndBatchesCombineToo() throws Exception {
    Fixture fx = publish(Metric.L2);
    try {
      SearchParams exact = SearchParams.DEFAULTS.withExact(true);
      float[] title = query(7, DIMS[0]);
      float[] image = query(8, DIMS[1]);
      List<FilterSpec> filters = List.of(new FilterSpec.TermFilter("color", List.of("red", "blue"), TermOperator.OR),
          new FilterSpec.RangeFilter("price", null, 20.0, null, null));
      List<DocHit> filtered = VersionSearcher.search(SearchPlan.query(List.of(
          FieldQuery.of("title", title), FieldQuery.of("image", image)), 15).withParams(exact).withFilters(filters)
          .check(fx.version()))
          .getFirst();
      assertSame(oracle(fx, d -> (d.color().equals("red") || d.color().equals("blue")) && d.price() >= 20,
          Map.of(0, title, 1, image), Map.of(0, 1f, 1, 1f), 15, false), filtered, "filtered");

      List<DocHit> oneTwo = VersionSearcher.search(SearchPlan.query(List.of(
          FieldQuery.of("title", title), FieldQuery.of("image", image)), 10).withParams(exact)
          .withPartitions(List.of(0, 2)).check(fx.version())).getFirst();
      assertSame(oracle(fx, d -> fx.partitionOf().get(d.seq()) != 1, Map.of(0, title, 1, image),
          Map.of(0, 1f, 1, 1f), 10, false), oneTwo, "partitions 0 and 2");

      // nq = 3: each entry holds three vectors; answer i combines the i-th vector of every entry.
      int nq = 3;
      float[] titles = new float[nq * DIMS[0]];
      float[] images = new float[nq * DIMS[1]];
      for (int i = 0; i < nq; i++) {
        System.arraycopy(query(300 + i, DIMS[0]), 0, titles, i * DIMS[0], DIMS[0]);
        System.arraycopy(query(400 + i, DIMS[1]), 0, images, i * DIMS[1], DIMS[1]);
      }
      List<List<DocHit>> batch = VersionSearcher.search(SearchPlan.query(List.of(
          new FieldQuery("title", titles, 2f), FieldQuery.of("image", images)), 6).withParams(exact).check(fx.version()));
      assertEquals(nq, batch.size());
      for (int i = 0; i < nq; i++) {
        assertSame(oracle(fx, d -> true, Map.of(0, query(300 + i, DIMS[0]), 1, query(400 + i, DIMS[1])),
            Map.of(0, 2f, 1, 1f), 6, false), batch.get(i), "query " + i);
      }
    } finally {
      fx.version().retire();
    }
  }

  @Test
  void aQueryOfOneFieldSearchesThatFieldAlone() throws Exception {
    Fixture fx = publish(Metric.INNER_PRODUCT);
    try {
      for (int f = 0; f < 2; f++) {
        final int field = f;
        float[] q = query(50 + f, DIMS[f]);
        List<DocHit> hits = VersionSearcher.search(SearchPlan.query(List.of(
            new FieldQuery(FIELDS.get(f), q, 3f)), 12).withParams(SearchParams.DEFAULTS.withExact(true))
            .withFieldScores(true).check(fx.version())).getFirst();
        List<Doc> byField = fx.all().stream().map(d -> new Doc(d.seq(), d.id(), d.vector(field))).toList();
        List<Hit> expected = BruteForce.topK(byField, fx.live(), q, 12, Metric.INNER_PRODUCT, false);
        assertEquals(expected.stream().map(Hit::id).toList(), hits.stream().map(DocHit::seq).toList());
        for (int i = 0; i < hits.size(); i++) {
          float s = expected.get(i).score();
          assertEquals(s, hits.get(i).fieldScores()[0], 1e-5f * Math.max(1, Math.abs(s)));
          assertEquals((float) (3.0 * hits.get(i).fieldScores()[0]), hits.get(i).score(), "the boost scales the score");
        }
      }
      // A query without a field name searches the first vector field.
      float[] q = query(60, DIMS[0]);
      assertEquals(VersionSearcher.search(SearchPlan.query(List.of(FieldQuery.of("title", q)), 5).check(fx.version()))
              .getFirst()
              .stream().map(DocHit::seq).toList(),
          VersionSearcher.search(SearchPlan.query(q, 5).check(fx.version())).getFirst().stream().map(DocHit::seq).toList());
    } finally {
      fx.version().retire();
    }
  }

  @Test
  void vectorsOfEveryFieldComeBackWhenAsked() throws Exception {
    Fixture fx = publish(Metric.L2);
    try {
      Doc d = fx.all().get(77);
      SearchPlan.Draft q = SearchPlan.query(List.of(FieldQuery.of("title", d.vector(0)),
          FieldQuery.of("image", d.vector(1))), 1);
      DocHit all = VersionSearcher.search(q.withVectorValue(true).check(fx.version())).getFirst().getFirst();
      assertEquals(d.id(), all.id());
      assertEquals(List.of("title", "image"), List.copyOf(all.vectors().keySet()));
      assertArrayEquals(d.vector(0), all.vectors().get("title"));
      assertArrayEquals(d.vector(1), all.vectors().get("image"));
      DocHit image = VersionSearcher.search(q.withFields(List.of("image", "price")).check(fx.version())).getFirst()
          .getFirst();
      assertEquals(List.of("image"), List.copyOf(image.vectors().keySet()));
      assertArrayEquals(d.vector(1), image.vectors().get("image"));
      assertEquals("{\"price\":" + d.price() + "}", image.sourceJson());
      DocHit got = VersionSearcher.get(fx.version(), List.of(d.id()), List.of(), true).getFirst();
      assertArrayEquals(d.vector(0), got.vectors().get("title"));
      assertArrayEquals(d.vector(1), got.vectors().get("image"));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> VersionSearcher.search(q.withFields(List.of("picture")).check(fx.version())));
      assertTrue(e.getMessage().contains("[picture]") && e.getMessage().contains("[title, image]"), e.getMessage());
    } finally {
      fx.version().retire();
    }
  }

  @Test
  void badEntriesAreRefusedNamingTheField() throws Exception {
    Fixture fx = publish(Metric.L2);
    try {
      float[] t = query(1, DIMS[0]);
      float[] i = query(2, DIMS[1]);
      assertMessage(fx, List.of(FieldQuery.of("title", t), FieldQuery.of("picture", i)),
          "'picture' is not a vector field of shop/items@1; its vector fields: [title, image]");
      assertMessage(fx, List.of(FieldQuery.of("title", t), FieldQuery.of("title", t)),
          "vector field 'title' is given twice");
      assertMessage(fx, List.of(FieldQuery.of("title", t), FieldQuery.of("image", t)),
          "queries of image must be nq * 5 floats (its dimension), got 8");
      float[] two = new float[2 * DIMS[1]];
      assertMessage(fx, List.of(FieldQuery.of("title", t), FieldQuery.of("image", two)),
          "every entry needs the same number of query vectors: title has 1, image has 2");
      assertMessage(fx, List.of(FieldQuery.of("title", t), new FieldQuery("image", i, 0f)),
          "the weight of image must be a finite number > 0, got 0.0");
      float[] nan = i.clone();
      nan[2] = Float.NaN;
      assertMessage(fx, List.of(FieldQuery.of("title", t), FieldQuery.of("image", nan)),
          "query 0 of image: component 2 is NaN");
      assertMessage(fx, List.of(), "no query vectors: give one entry per vector field searched, of [title, image]");
    } finally {
      fx.version().retire();
    }
  }

  private static void assertMessage(Fixture fx, List<FieldQuery> sum, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> VersionSearcher.search(SearchPlan.query(sum, 5).check(fx.version())));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
