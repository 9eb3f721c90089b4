package io.vecgate.reader.search;

import java.util.ArrayList;
import java.util.List;

/** The answers of one partition to a plan: per query, its candidates (at most k, any order). */
public final class PartitionHits {

  private final List<List<Candidate>> perQuery;

  PartitionHits(List<List<Candidate>> perQuery) {
    this.perQuery = perQuery;
  }

  /** {@code nq} empty lists, to be filled. */
  static List<List<Candidate>> emptyLists(int nq) {
    List<List<Candidate>> out = new ArrayList<>(nq);
    for (int i = 0; i < nq; i++) {
      out.add(new ArrayList<>());
    }
    return out;
  }

  /** The candidates of query {@code i}. */
  List<Candidate> of(int i) {
    return perQuery.get(i);
  }
}
