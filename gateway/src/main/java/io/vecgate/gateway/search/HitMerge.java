package io.vecgate.gateway.search;

import io.vecgate.common.rpc.Hit;
import io.vecgate.engine.vector.Metric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the readers' per-query hit lists into the global top k, with the engine's rules
 * ({@code io.vecgate.engine.merge.TopKMerge}): best score first (smallest L2 distance, largest
 * similarity), ties by internal document number, a document seen twice kept once.
 */
final class HitMerge {

  private HitMerge() {}

  static List<Hit> merge(List<List<Hit>> lists, int k, Metric metric) {
    Comparator<Hit> byScore = Comparator.comparingDouble(Hit::getScore);
    if (metric.higherScoreIsCloser()) {
      byScore = byScore.reversed();
    }
    Comparator<Hit> cmp = byScore.thenComparingLong(Hit::getSeq);
    if (lists.size() == 1) {
      List<Hit> only = lists.get(0);
      return only.size() <= k ? only : only.subList(0, k);
    }
    Map<Long, Hit> best = new HashMap<>();
    for (List<Hit> list : lists) {
      for (Hit h : list) {
        best.merge(h.getSeq(), h, (a, b) -> cmp.compare(a, b) <= 0 ? a : b);
      }
    }
    List<Hit> all = new ArrayList<>(best.values());
    all.sort(cmp);
    return all.size() <= k ? all : all.subList(0, k);
  }
}
