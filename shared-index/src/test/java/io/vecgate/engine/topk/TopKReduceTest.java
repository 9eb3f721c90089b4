package io.vecgate.engine.topk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.vector.Metric;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopKReduceTest {

  private static Hit h(long id, float score) {
    return new Hit(id, score);
  }

  @Test
  void ascendingForDistancesWithTiesById() {
    List<Hit> a = List.of(h(9, 0.5f), h(3, 1f), h(1, 2f));
    List<Hit> b = List.of(h(4, 0.5f), h(2, 1f));
    List<Hit> c = List.of();
    List<Hit> want = List.of(h(4, 0.5f), h(9, 0.5f), h(2, 1f), h(3, 1f));
    assertEquals(want, TopKReduce.reduce(List.of(a, b, c), 4, ScoreOrder.ASCENDING));
    assertEquals(want, TopKReduce.reduce(List.of(c, b, a), 4, ScoreOrder.ASCENDING));
  }

  @Test
  void descendingForSimilaritiesWithTiesById() {
    List<Hit> a = List.of(h(7, 0.9f), h(5, 0.8f));
    List<Hit> b = List.of(h(6, 0.9f), h(1, 0.1f));
    assertEquals(List.of(h(6, 0.9f), h(7, 0.9f), h(5, 0.8f)), TopKReduce.reduce(List.of(a, b), 3, ScoreOrder.DESCENDING));
    assertEquals(ScoreOrder.DESCENDING, ScoreOrder.of(Metric.COSINE));
    assertEquals(ScoreOrder.DESCENDING, ScoreOrder.of(Metric.INNER_PRODUCT));
    assertEquals(ScoreOrder.ASCENDING, ScoreOrder.of(Metric.L2));
  }

  @Test
  void shortListsDuplicatesAndSignedZero() {
    assertEquals(List.of(h(1, 3f)), TopKReduce.reduce(List.of(List.of(h(1, 3f))), 10, ScoreOrder.ASCENDING));
    assertEquals(List.of(), TopKReduce.reduce(List.of(), 10, ScoreOrder.ASCENDING));
    // The same id from two partitions is kept once, with its better score.
    assertEquals(List.of(h(5, 1f), h(6, 2f)),
        TopKReduce.reduce(List.of(List.of(h(5, 3f), h(6, 2f)), List.of(h(5, 1f))), 5, ScoreOrder.ASCENDING));
    assertEquals(List.of(h(1, -0f), h(2, 0f)),
        TopKReduce.reduce(List.of(List.of(h(2, 0f)), List.of(h(1, -0f))), 2, ScoreOrder.DESCENDING));
    // k was checked where the request came in: here asserted.
    assertThrows(AssertionError.class, () -> TopKReduce.reduce(List.of(), 0, ScoreOrder.ASCENDING));
    assertThrows(IllegalArgumentException.class,
        () -> TopKReduce.reduce(List.of(List.of(h(1, Float.NaN))), 1, ScoreOrder.ASCENDING));
  }

  @Test
  void equalsSortingEverythingWhateverThePartitionOrder() {
    Random rnd = new Random(11);
    for (ScoreOrder order : ScoreOrder.values()) {
      for (int round = 0; round < 200; round++) {
        List<List<Hit>> lists = new ArrayList<>();
        List<Hit> all = new ArrayList<>();
        long nextId = 0;
        for (int p = rnd.nextInt(6); p > 0; p--) {
          List<Hit> list = new ArrayList<>();
          for (int i = rnd.nextInt(8); i > 0; i--) {
            Hit hit = h(nextId++ * 7 % 101, rnd.nextInt(5)); // few distinct scores: many ties
            list.add(hit);
            all.add(hit);
          }
          list.sort(order.comparator());
          lists.add(list);
        }
        int k = 1 + rnd.nextInt(10);
        all.sort(order.comparator());
        List<Hit> want = all.subList(0, Math.min(k, all.size()));
        assertEquals(want, TopKReduce.reduce(lists, k, order));
        Collections.shuffle(lists, rnd);
        assertEquals(want, TopKReduce.reduce(lists, k, order));
      }
    }
  }

  /** A hit type of a caller (a gateway's protobuf hit, a reader's candidate): a seq, a score and more. */
  private record Doc(long seq, float score, String source) {}

  private static final HitKey<Doc> DOC = HitKey.of(Doc::seq, Doc::score);

  @Test
  void anyHitTypeReducesAsHitsDo() {
    Random rnd = new Random(12);
    for (ScoreOrder order : ScoreOrder.values()) {
      for (int round = 0; round < 200; round++) {
        List<List<Doc>> docs = new ArrayList<>();
        List<List<Hit>> hits = new ArrayList<>();
        for (int p = rnd.nextInt(5); p > 0; p--) {
          List<Doc> d = new ArrayList<>();
          List<Hit> h = new ArrayList<>();
          for (int i = rnd.nextInt(8); i > 0; i--) {
            long id = rnd.nextInt(30); // repeats across lists: deduplicated
            float score = rnd.nextInt(4) == 0 ? -0f : rnd.nextInt(4);
            d.add(new Doc(id, score, "doc-" + id));
            h.add(new Hit(id, score));
          }
          docs.add(d);
          hits.add(h);
        }
        int k = 1 + rnd.nextInt(10);
        List<Doc> got = TopKReduce.reduce(docs, k, order, DOC);
        assertEquals(TopKReduce.reduce(hits, k, order), got.stream().map(d -> new Hit(d.seq(), d.score())).toList());
        got.forEach(d -> assertEquals("doc-" + d.seq(), d.source(), "the caller's own hit comes back"));
      }
    }
    assertEquals(List.of(new Doc(1, -0f, "a"), new Doc(2, 0f, "b")),
        TopKReduce.reduce(List.of(List.of(new Doc(2, 0f, "b")), List.of(new Doc(1, -0f, "a"))), 2, ScoreOrder.ASCENDING, DOC));
    var e = assertThrows(IllegalArgumentException.class,
        () -> TopKReduce.reduce(List.of(List.of(new Doc(4, Float.NaN, "x"))), 1, ScoreOrder.DESCENDING, DOC));
    assertEquals("hit 4 has a NaN score", e.getMessage());
  }

  @Test
  void hitsMapOrdinalsToIdsAndDistancesToScores() {
    Neighbors n = new Neighbors(new int[] {2, 0}, new float[] {-0.9f, -0.5f});
    long[] ids = {100, 101, 102};
    assertEquals(List.of(h(102, 0.9f), h(100, 0.5f)), TopKReduce.hits(n, o -> ids[o], Metric.INNER_PRODUCT, false));
    Neighbors l2 = new Neighbors(new int[] {1}, new float[] {4f});
    assertEquals(List.of(h(101, 2f)), TopKReduce.hits(l2, o -> ids[o], Metric.L2, true));
  }
}
