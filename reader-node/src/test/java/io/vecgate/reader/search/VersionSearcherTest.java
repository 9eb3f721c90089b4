package io.vecgate.reader.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vecgate.engine.column.TermOperator;
import io.vecgate.engine.index.IndexType;
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
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Search over several segments and partitions, against brute force over the live documents. */
class VersionSearcherTest {

  private static final int DIM = 16;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path tmp;

  static TestSpace space;
  static LoadedVersion version;
  static List<Doc> all = new ArrayList<>();
  static Set<String> deleted = new HashSet<>();
  /** Partition of each seq. */
  static Map<Long, Integer> partitionOf = new java.util.HashMap<>();

  @BeforeAll
  static void publish() throws Exception {
    space = new TestSpace(new DataLayout(tmp), "shop", "items", DIM, Metric.L2, IndexType.FLAT, Map.of());
    Map<String, List<Doc>> files = Map.of(
        "p0-1.seg", TestSpace.docs(0, 150, DIM, 1),
        "p0-2.seg", TestSpace.docs(150, 120, DIM, 2),
        "p1-1.seg", TestSpace.docs(270, 200, DIM, 3),
        "p2-1.seg", TestSpace.docs(470, 90, DIM, 4));
    for (var e : files.entrySet()) {
      space.segment(e.getKey(), e.getValue());
      int p = e.getKey().charAt(1) - '0';
      e.getValue().forEach(d -> partitionOf.put(d.seq(), p));
      all.addAll(e.getValue());
    }
    List<String> del0 = List.of("doc-3", "doc-77", "doc-149");
    List<String> del1 = List.of("doc-300", "doc-301");
    deleted.addAll(del0);
    deleted.addAll(del1);
    Path dir = space.publish(1, Map.of(0, List.of("p0-1.seg", "p0-2.seg"), 1, List.of("p1-1.seg"), 2,
        List.of("p2-1.seg")), Map.of("p0-1.seg", del0, "p1-1.seg", del1));
    version = new VersionLoader(new SharedSegments()).load(new VersionKey("shop", "items", 1), dir);
  }

  @AfterAll
  static void close() {
    version.retire();
  }

  static Predicate<Doc> live() {
    return d -> !deleted.contains(d.id());
  }

  static float[] query(long seed) {
    return TestSpace.randomVector(new SplittableRandom(seed), DIM);
  }

  static void assertSame(List<Hit> expected, List<DocHit> actual) {
    assertEquals(expected.size(), actual.size(), "hit count");
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).id(), actual.get(i).seq(), "seq of hit " + i);
      // The same kernel, but interpreted and JIT-compiled Vector API code may round the last bit apart.
      float e = expected.get(i).score();
      assertEquals(e, actual.get(i).score(), 1e-5f * Math.max(1f, Math.abs(e)), "score of hit " + i);
      assertEquals("doc-" + expected.get(i).id(), actual.get(i).id());
    }
  }

  @Test
  void flatEqualsBruteForce() {
    for (int q = 0; q < 20; q++) {
      float[] v = query(100 + q);
      List<DocHit> hits = VersionSearcher.search(SearchPlan.query(v, 10).check(version)).getFirst();
      assertSame(BruteForce.topK(all, live(), v, 10, Metric.L2, false), hits);
    }
  }

  @Test
  void tombstonedDocumentsAreNeverReturned() {
    for (Doc d : all) {
      if (deleted.contains(d.id())) {
        List<DocHit> hits = VersionSearcher.search(SearchPlan.query(d.vector(), 5).check(version)).getFirst();
        assertTrue(hits.stream().noneMatch(h -> h.id().equals(d.id())), d.id() + " is deleted");
      }
    }
    List<DocHit> everything = VersionSearcher.search(SearchPlan.query(query(1), 10_000).check(version)).getFirst();
    assertEquals(all.size() - deleted.size(), everything.size());
  }

  @Test
  void kLargerThanTheVersionReturnsEveryLiveDocumentInOrder() {
    float[] v = query(7);
    assertSame(BruteForce.topK(all, live(), v, 5000, Metric.L2, false),
        VersionSearcher.search(SearchPlan.query(v, 5000).check(version)).getFirst());
  }

  @Test
  void l2SqrtReturnsPlainDistances() {
    float[] v = query(8);
    List<DocHit> squared = VersionSearcher.search(SearchPlan.query(v, 5).check(version)).getFirst();
    List<DocHit> plain = VersionSearcher.search(SearchPlan.query(v, 5).withL2Sqrt(true).check(version)).getFirst();
    assertSame(BruteForce.topK(all, live(), v, 5, Metric.L2, true), plain);
    for (int i = 0; i < 5; i++) {
      assertEquals(Math.sqrt(squared.get(i).score()), plain.get(i).score(), 1e-6);
    }
  }

  @Test
  void aBatchAnswersLikeSingleQueries() {
    int nq = 7;
    float[] batch = new float[nq * DIM];
    for (int i = 0; i < nq; i++) {
      System.arraycopy(query(200 + i), 0, batch, i * DIM, DIM);
    }
    List<List<DocHit>> answers = VersionSearcher.search(SearchPlan.query(batch, 8).check(version));
    assertEquals(nq, answers.size());
    for (int i = 0; i < nq; i++) {
      List<DocHit> single = VersionSearcher.search(SearchPlan.query(query(200 + i), 8).check(version)).getFirst();
      assertEquals(single.stream().map(DocHit::seq).toList(), answers.get(i).stream().map(DocHit::seq).toList());
      assertEquals(single.stream().map(DocHit::score).toList(), answers.get(i).stream().map(DocHit::score).toList());
    }
  }

  @Test
  void partitionsRestrictTheSearch() {
    float[] v = query(9);
    List<DocHit> hits = VersionSearcher.search(SearchPlan.query(v, 50).withPartitions(List.of(0, 2)).check(version))
        .getFirst();
    assertSame(BruteForce.topK(all, live().and(d -> partitionOf.get(d.seq()) != 1), v, 50, Metric.L2, false), hits);
    assertThrows(IllegalArgumentException.class,
        () -> VersionSearcher.search(SearchPlan.query(v, 5).withPartitions(List.of(3)).check(version)));
  }

  void checkFilter(List<FilterSpec> filters, Predicate<Doc> expected) {
    for (int q = 0; q < 3; q++) {
      float[] v = query(300 + q);
      List<DocHit> hits = VersionSearcher.search(SearchPlan.query(v, 20).withFilters(filters).check(version)).getFirst();
      assertSame(BruteForce.topK(all, live().and(expected), v, 20, Metric.L2, false), hits);
      hits.forEach(h -> assertFalse(deleted.contains(h.id())));
    }
  }

  @Test
  void rangeFiltersOnEveryNumericType() {
    checkFilter(List.of(new FilterSpec.RangeFilter("price", null, 10.0, 30.0, null)),
        d -> d.price() >= 10 && d.price() < 30);
    checkFilter(List.of(new FilterSpec.RangeFilter("price", 10.5, null, null, 12.0)),
        d -> d.price() > 10.5 && d.price() <= 12);
    checkFilter(List.of(new FilterSpec.RangeFilter("rank", 100_000.0, null, null, null)), d -> d.rank() > 100_000);
    checkFilter(List.of(new FilterSpec.RangeFilter("weight", null, null, 0.35, null)), d -> d.weight() < 0.35f);
    checkFilter(List.of(new FilterSpec.RangeFilter("ratio", null, 20.0, null, 60.0)),
        d -> d.ratio() >= 20 && d.ratio() <= 60);
  }

  @Test
  void termFiltersWithEachOperator() {
    checkFilter(List.of(new FilterSpec.TermFilter("color", List.of("red", "blue"), TermOperator.OR)),
        d -> d.color().equals("red") || d.color().equals("blue"));
    checkFilter(List.of(new FilterSpec.TermFilter("color", List.of("green"), TermOperator.AND)),
        d -> d.color().equals("green"));
    checkFilter(List.of(new FilterSpec.TermFilter("color", List.of("green", "red"), TermOperator.AND)), d -> false);
    checkFilter(List.of(new FilterSpec.TermFilter("color", List.of("red"), TermOperator.NOT)),
        d -> !d.color().equals("red"));
    checkFilter(List.of(new FilterSpec.TermFilter("price", List.of("5", "17", "99"), TermOperator.OR)),
        d -> d.price() == 5 || d.price() == 17 || d.price() == 99);
  }

  @Test
  void filtersAreAnded() {
    checkFilter(List.of(new FilterSpec.TermFilter("color", List.of("black"), TermOperator.NOT),
            new FilterSpec.RangeFilter("price", null, 50.0, null, null)),
        d -> !d.color().equals("black") && d.price() >= 50);
  }

  @Test
  void unknownFieldsAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VersionSearcher.search(
        SearchPlan.query(query(1), 5).withFilters(List.of(new FilterSpec.RangeFilter("prize", 1.0, null, null, null)))
            .check(version)));
    assertTrue(e.getMessage().contains("prize"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> VersionSearcher.search(
        SearchPlan.query(query(1), 5).withFields(List.of("price", "colour")).check(version)));
    assertTrue(e.getMessage().startsWith("unknown fields [colour] "), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> VersionSearcher.search(
        SearchPlan.query(new float[DIM + 1], 5).check(version)));
    assertThrows(IllegalArgumentException.class, () -> VersionSearcher.search(SearchPlan.query(query(1), 0).check(version)));
  }

  @Test
  void projectionAndVectors() throws Exception {
    Doc d = all.get(42);
    DocHit all5 = VersionSearcher.search(SearchPlan.query(d.vector(), 1).check(version)).getFirst().getFirst();
    assertEquals(d.id(), all5.id());
    JsonNode src = JSON.readTree(all5.sourceJson());
    assertEquals(Set.of("price", "rank", "weight", "ratio", "color"), fieldNames(src));
    assertEquals(d.price(), src.get("price").intValue());
    assertEquals(d.rank(), src.get("rank").longValue());
    assertEquals(d.weight(), src.get("weight").floatValue());
    assertEquals(d.ratio(), src.get("ratio").doubleValue());
    assertEquals(d.color(), src.get("color").textValue());
    assertTrue(all5.vectors().isEmpty());
    assertNull(all5.fieldScores());

    DocHit two = VersionSearcher.search(SearchPlan.query(d.vector(), 1).withFields(List.of("color", "price")).check(version))
        .getFirst().getFirst();
    assertEquals(Set.of("price", "color"), fieldNames(JSON.readTree(two.sourceJson())));

    DocHit withVector = VersionSearcher.search(
        SearchPlan.query(d.vector(), 1).withFields(List.of(TestSpace.VECTOR_FIELD)).check(version)).getFirst().getFirst();
    assertArrayEquals(d.vector(), withVector.vectors().get(TestSpace.VECTOR_FIELD));
    assertEquals("{}", withVector.sourceJson());
  }

  @Test
  void getByIdFindsLiveDocumentsOnly() throws Exception {
    List<DocHit> docs = VersionSearcher.get(version, List.of("doc-5", "doc-3", "nope", "doc-480"), List.of(), true);
    assertEquals(List.of("doc-5", "doc-480"), docs.stream().map(DocHit::id).toList());
    assertEquals(5L, docs.getFirst().seq());
    Doc five = all.stream().filter(d -> d.seq() == 5).findFirst().orElseThrow();
    assertArrayEquals(five.vector(), docs.getFirst().vectors().get(TestSpace.VECTOR_FIELD));
    assertEquals(five.color(), JSON.readTree(docs.getFirst().sourceJson()).get("color").textValue());
    assertEquals(List.of("doc-480"), VersionSearcher.get(version, List.of("doc-5", "doc-480"), List.of(2), false)
        .stream().map(DocHit::id).toList());
  }

  static Set<String> fieldNames(JsonNode n) {
    Set<String> out = new HashSet<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void innerProductSpaceRanksBySimilarity(@TempDir Path dir) throws Exception {
    TestSpace ip = new TestSpace(new DataLayout(dir), "shop", "ip", DIM, Metric.INNER_PRODUCT, IndexType.FLAT, Map.of());
    List<Doc> a = TestSpace.docs(0, 80, DIM, 11);
    List<Doc> b = TestSpace.docs(80, 80, DIM, 12);
    ip.segment("p0-1.seg", a);
    ip.segment("p1-1.seg", b);
    Path vdir = ip.publish(1, Map.of(0, List.of("p0-1.seg"), 1, List.of("p1-1.seg")), Map.of());
    LoadedVersion v = new VersionLoader(new SharedSegments()).load(new VersionKey("shop", "ip", 1), vdir);
    try {
      List<Doc> docs = new ArrayList<>(a);
      docs.addAll(b);
      float[] q = query(5);
      assertSame(BruteForce.topK(docs, x -> true, q, 10, Metric.INNER_PRODUCT, false),
          VersionSearcher.search(SearchPlan.query(q, 10).check(v)).getFirst());
      assertTrue(VersionSearcher.search(SearchPlan.query(q, 2).check(v)).getFirst().get(0).score()
          >= VersionSearcher.search(SearchPlan.query(q, 2).check(v)).getFirst().get(1).score());
    } finally {
      v.retire();
    }
  }
}
