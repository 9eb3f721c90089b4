package io.vecgate.engine.topk;

import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.vector.Metric;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToLongFunction;

/**
 * Reduces the per-partition answers of one query to the global top k (the top-K reduce): the
 * reader reduces its partitions' answers with it, the gateway its readers' answers, so both rank
 * and deduplicate alike.
 *
 * <p>Rules: hits rank by {@link ScoreOrder#comparator(HitKey)} (score, then ascending id), so the
 * result is the same whatever order the partitions answered in; lists may be shorter than k,
 * empty, or unsorted; an id present in several lists (a document seen twice while partitions are
 * being rebalanced) is kept once, with its best score; a NaN score is refused. The inputs are not
 * modified.
 *
 * <p>Why one sort and not a heap over the sorted lists: a partition sorts ties by its internal
 * ordinal, not by id, so its list is not ordered by the global comparator; the lists are at most
 * partitions x k long, so sorting them is cheap and always right.
 */
public final class TopKReduce {

  private TopKReduce() {}

  /** The best {@code k} distinct hits of all {@code lists}, best first. */
  public static List<Hit> reduce(Collection<? extends List<Hit>> lists, int k, ScoreOrder order) {
    return reduce(lists, k, order, Hit.KEY);
  }

  /**
   * The best {@code k} distinct hits of all {@code lists}, best first, for hits of any type.
   *
   * @param k >= 1 (checked where the request came in)
   * @throws IllegalArgumentException for a hit with a NaN score
   */
  public static <H> List<H> reduce(Collection<? extends List<? extends H>> lists, int k, ScoreOrder order,
                                   HitKey<? super H> key) {
    assert k >= 1 : "k must be >= 1, got " + k;
    Comparator<H> cmp = order.comparator(key);
    Map<Long, H> best = new HashMap<>();
    for (List<? extends H> list : lists) {
      for (H h : list) {
        if (Float.isNaN(key.score(h))) {
          throw new IllegalArgumentException("hit " + key.id(h) + " has a NaN score");
        }
        best.merge(key.id(h), h, (a, b) -> cmp.compare(a, b) <= 0 ? a : b);
      }
    }
    List<H> all = new ArrayList<>(best.values());
    all.sort(cmp);
    return List.copyOf(all.subList(0, Math.min(k, all.size())));
  }

  /**
   * The hits of one partition's answer: ordinals mapped to ids (e.g. {@code reader::id}) and
   * internal distances to public scores.
   */
  public static List<Hit> hits(Neighbors n, IntToLongFunction idOfOrdinal, Metric metric, boolean l2Sqrt) {
    List<Hit> out = new ArrayList<>(n.size());
    for (int i = 0; i < n.size(); i++) {
      out.add(new Hit(idOfOrdinal.applyAsLong(n.ordinal(i)), metric.toScore(n.distance(i), l2Sqrt)));
    }
    return out;
  }
}
