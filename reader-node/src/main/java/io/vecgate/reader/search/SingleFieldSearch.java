package io.vecgate.reader.search;

import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.vector.Metric;
import io.vecgate.reader.search.SearchPlan.Entry;
import java.util.List;

/**
 * The search of a plan with one {@code query.sum} entry: in each segment of the partition, the
 * field's index answers (its graph, its lists or its scan, as the segment's index type and
 * {@code exact} decide, within the segment's allowed ordinals), its scores weighted. The hits
 * are the k best documents by the field's score as the index finds them (exact unless
 * {@code quick} on a quantised index).
 */
final class SingleFieldSearch {

  private SingleFieldSearch() {}

  static PartitionHits search(SearchPlan p, int partition) {
    Metric metric = p.version().manifest().metric();
    Entry e = p.entries().getFirst();
    boolean l2Sqrt = p.shape().l2Sqrt();
    boolean fieldScores = p.shape().fieldScores();
    List<List<Candidate>> perQuery = PartitionHits.emptyLists(p.nq());
    for (SegmentFilter.Searchable s : SegmentFilter.searchable(p.version().segments(partition), p.shape().filters())) {
      Neighbors[] answers = s.segment().field(e.field()).search(e.vectors(), p.ks(), p.shape().params(), s.allowed());
      for (int i = 0; i < answers.length; i++) {
        Neighbors n = answers[i];
        List<Candidate> out = perQuery.get(i);
        for (int j = 0; j < n.size(); j++) {
          int ord = n.ordinal(j);
          float score = metric.toScore(n.distance(j), l2Sqrt);
          float weighted = e.weight() == 1f ? score : (float) ((double) e.weight() * score);
          out.add(new Candidate(s.segment().reader().id(ord), weighted, s.segment(), ord,
              fieldScores ? new float[] {score} : null));
        }
      }
    }
    return new PartitionHits(perQuery);
  }
}
