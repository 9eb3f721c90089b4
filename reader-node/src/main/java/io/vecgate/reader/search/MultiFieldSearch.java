package io.vecgate.reader.search;

import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.topk.ScoreOrder;
import io.vecgate.engine.vector.Metric;
import io.vecgate.reader.search.SearchPlan.Entry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The search of a plan with several {@code query.sum} entries: per query, each field's index gives
 * the partition's k best documents (with the filters), every document of the union of those
 * candidates is scored exactly on every field from the stored raw vectors, and the partition keeps
 * its k best by the weighted sum. A candidate set is per partition, not per segment, so compacting
 * the segments of a partition never changes an answer.
 */
final class MultiFieldSearch {

  private MultiFieldSearch() {}

  static PartitionHits search(SearchPlan p, int partition) {
    Metric metric = p.version().manifest().metric();
    boolean l2Sqrt = p.shape().l2Sqrt();
    List<Entry> entries = p.entries();
    // byField.get(f).get(q): the candidates of field f for query q over the partition's segments.
    List<List<List<Candidate>>> byField = new ArrayList<>(entries.size());
    for (int f = 0; f < entries.size(); f++) {
      byField.add(PartitionHits.emptyLists(p.nq()));
    }
    for (SegmentFilter.Searchable s : SegmentFilter.searchable(p.version().segments(partition), p.shape().filters())) {
      for (int f = 0; f < entries.size(); f++) {
        Entry e = entries.get(f);
        Neighbors[] answers = s.segment().field(e.field()).search(e.vectors(), p.ks(), p.shape().params(), s.allowed());
        for (int i = 0; i < answers.length; i++) {
          Neighbors n = answers[i];
          List<Candidate> out = byField.get(f).get(i);
          for (int j = 0; j < n.size(); j++) {
            int ord = n.ordinal(j);
            out.add(new Candidate(s.segment().reader().id(ord), metric.toScore(n.distance(j), l2Sqrt), s.segment(), ord,
                null));
          }
        }
      }
    }
    Comparator<Candidate> best = ScoreOrder.of(metric).comparator(Candidate.KEY);
    List<List<Candidate>> perQuery = new ArrayList<>(p.nq());
    for (int i = 0; i < p.nq(); i++) {
      Map<Long, Candidate> union = new LinkedHashMap<>();
      for (List<List<Candidate>> field : byField) {
        List<Candidate> cs = field.get(i);
        cs.sort(best);
        for (Candidate c : cs.subList(0, Math.min(p.k(i), cs.size()))) {
          union.putIfAbsent(c.seq(), c);
        }
      }
      List<Candidate> scored = new ArrayList<>(union.size());
      for (Candidate c : union.values()) {
        scored.add(rescored(p, metric, l2Sqrt, c, i));
      }
      scored.sort(best);
      perQuery.add(new ArrayList<>(scored.subList(0, Math.min(p.k(i), scored.size()))));
    }
    return new PartitionHits(perQuery);
  }

  /** {@code c} scored exactly on every entry of query {@code i}: the weighted sum, and each entry's own score. */
  private static Candidate rescored(SearchPlan p, Metric metric, boolean l2Sqrt, Candidate c, int i) {
    List<Entry> entries = p.entries();
    float[] own = new float[entries.size()];
    double sum = 0;
    for (int f = 0; f < entries.size(); f++) {
      Entry e = entries.get(f);
      own[f] = metric.toScore(c.segment().field(e.field()).distance(e.prepared()[i], c.ordinal()), l2Sqrt);
      sum += (double) e.weight() * own[f];
    }
    return new Candidate(c.seq(), (float) sum, c.segment(), c.ordinal(), p.shape().fieldScores() ? own : null);
  }
}
