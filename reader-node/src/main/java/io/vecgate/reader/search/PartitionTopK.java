package io.vecgate.reader.search;

import io.vecgate.engine.topk.ScoreOrder;
import io.vecgate.engine.topk.TopKReduce;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer of a plan from its partitions' answers: per query, the top k over the partitions by
 * the engine's top-K reduce ({@link TopKReduce}: score, then seq), each winner turned into its document
 * with the plan's projection.
 */
final class PartitionTopK {

  private PartitionTopK() {}

  static List<List<DocHit>> of(SearchPlan p, List<PartitionHits> parts) {
    ScoreOrder order = ScoreOrder.of(p.version().manifest().metric());
    List<List<DocHit>> out = new ArrayList<>(p.nq());
    List<List<Candidate>> lists = new ArrayList<>(parts.size());
    for (int i = 0; i < p.nq(); i++) {
      lists.clear();
      for (PartitionHits ph : parts) {
        lists.add(ph.of(i));
      }
      List<Candidate> top = TopKReduce.reduce(lists, p.k(i), order, Candidate.KEY);
      List<DocHit> docs = new ArrayList<>(top.size());
      for (Candidate c : top) {
        docs.add(p.source().hit(c.segment(), c.ordinal(), c.score(), c.fieldScores()));
      }
      out.add(docs);
    }
    return out;
  }
}
