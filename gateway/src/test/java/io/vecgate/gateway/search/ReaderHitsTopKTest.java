package io.vecgate.gateway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vecgate.engine.topk.ScoreOrder;
import io.vecgate.engine.topk.TopKReduce;
import io.vecgate.engine.vector.Metric;
import io.vecgate.protocol.reader.Hit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The gateway reduces its readers' answers with the engine's top-K reduce, so it ranks as the
 * engine does: -0.0 ties with 0.0 (then by seq), a NaN score is refused, and one reader's list is
 * ranked too rather than trusted as sent.
 */
class ReaderHitsTopKTest {

  private static Hit hit(long seq, float score) {
    return Hit.newBuilder().setSeq(seq).setScore(score).setId("doc-" + seq).build();
  }

  private static List<Long> seqs(List<Hit> hits) {
    return hits.stream().map(Hit::getSeq).toList();
  }

  @Test
  void minusZeroTiesWithZeroAndTheSeqDecides() {
    // Similarities rank descending: a comparison on raw doubles put 0.0 before -0.0 whatever the seq.
    List<Hit> top = SearchCoordinator.topK(List.of(List.of(hit(2, 0f)), List.of(hit(1, -0f))), 2, Metric.INNER_PRODUCT);
    assertEquals(List.of(1L, 2L), seqs(top));
    top = SearchCoordinator.topK(List.of(List.of(hit(2, 0f), hit(1, -0f))), 2, Metric.COSINE);
    assertEquals(List.of(1L, 2L), seqs(top), "one reader's list is ranked by the same rules");
    top = SearchCoordinator.topK(List.of(List.of(hit(9, -0f)), List.of(hit(4, 0f))), 2, Metric.L2);
    assertEquals(List.of(4L, 9L), seqs(top));
  }

  @Test
  void aNaNScoreIsRefusedAsTheEngineRefusesIt() {
    var one = assertThrows(IllegalArgumentException.class,
        () -> SearchCoordinator.topK(List.of(List.of(hit(1, 0.5f), hit(7, Float.NaN))), 2, Metric.L2));
    assertEquals("hit 7 has a NaN score", one.getMessage());
    var several = assertThrows(IllegalArgumentException.class,
        () -> SearchCoordinator.topK(List.of(List.of(hit(1, 0.5f)), List.of(hit(7, Float.NaN))), 1, Metric.L2));
    assertEquals("hit 7 has a NaN score", several.getMessage());
  }

  @Test
  void answersAsTheEngineReduceOfTheSameHits() {
    Random rnd = new Random(3);
    for (Metric metric : Metric.values()) {
      for (int round = 0; round < 200; round++) {
        List<List<Hit>> lists = new ArrayList<>();
        List<List<io.vecgate.engine.topk.Hit>> engine = new ArrayList<>();
        for (int r = 1 + rnd.nextInt(4); r > 0; r--) {
          List<Hit> list = new ArrayList<>();
          List<io.vecgate.engine.topk.Hit> same = new ArrayList<>();
          for (int i = rnd.nextInt(10); i > 0; i--) {
            long seq = rnd.nextInt(40);
            float score = rnd.nextInt(5) == 0 ? -0f : rnd.nextInt(6) - 3;
            list.add(hit(seq, score));
            same.add(new io.vecgate.engine.topk.Hit(seq, score));
          }
          lists.add(list);
          engine.add(same);
        }
        int k = 1 + rnd.nextInt(12);
        List<Hit> got = SearchCoordinator.topK(lists, k, metric);
        List<io.vecgate.engine.topk.Hit> want = TopKReduce.reduce(engine, k, ScoreOrder.of(metric));
        assertEquals(want.stream().map(io.vecgate.engine.topk.Hit::id).toList(), seqs(got), metric + " round " + round);
        for (int i = 0; i < got.size(); i++) {
          assertEquals(Float.floatToIntBits(want.get(i).score()), Float.floatToIntBits(got.get(i).getScore()));
          assertEquals("doc-" + got.get(i).getSeq(), got.get(i).getId(), "the reader's hit itself comes back");
        }
      }
    }
  }
}
