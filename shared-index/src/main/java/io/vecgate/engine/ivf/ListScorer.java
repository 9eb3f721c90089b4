package io.vecgate.engine.ivf;

import io.vecgate.engine.search.Bits;
import io.vecgate.engine.search.TopKCollector;

/**
 * Scores the vectors of IVF lists against one query. Per-list precomputation (the query's
 * residual, a look-up table) happens in {@link #beginList}, called by {@link #enter} only when
 * the list changes, so a batch may scan one list block by block at no extra cost.
 */
abstract class ListScorer {

  private int list = -1;

  /** Prepares to score ordinals of {@code list}, unless already prepared. */
  final void enter(int list) {
    if (this.list != list) {
      this.list = list;
      beginList(list);
    }
  }

  /** Per-list precomputation. */
  abstract void beginList(int list);

  /**
   * Offers ordinals {@code [from, to)} of the current list that pass {@code filter} (null: all)
   * to {@code top}, by internal distance.
   */
  abstract void scan(int from, int to, TopKCollector top, Bits filter);
}
