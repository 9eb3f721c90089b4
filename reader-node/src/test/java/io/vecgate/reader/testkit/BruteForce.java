package io.vecgate.reader.testkit;

import io.vecgate.engine.topk.Hit;
import io.vecgate.engine.topk.ScoreOrder;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import io.vecgate.engine.vector.VectorizationProvider;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The oracle: every live document scored with the engine's own single-row distance kernel (the
 * one FLAT uses below 256 dimensions, so scores agree to the bit), sorted by the public order.
 */
public final class BruteForce {

  private BruteForce() {}

  public static List<Hit> topK(List<Doc> docs, Predicate<Doc> allowed, float[] query, int k, Metric metric,
                               boolean l2Sqrt) {
    List<Doc> candidates = docs.stream().filter(allowed).toList();
    List<Hit> all = new ArrayList<>();
    if (candidates.isEmpty()) {
      return all;
    }
    try (Arena arena = Arena.ofConfined()) {
      FloatVectors v = FloatVectors.copyOf(candidates.stream().map(Doc::vector).toArray(float[][]::new), arena);
      for (int i = 0; i < candidates.size(); i++) {
        float d = metric.distance(VectorizationProvider.ops(), query, v.data(), v.offset(i), v.dimension());
        all.add(new Hit(candidates.get(i).seq(), metric.toScore(d, l2Sqrt)));
      }
    }
    all.sort(ScoreOrder.of(metric).comparator());
    return all.subList(0, Math.min(k, all.size()));
  }
}
