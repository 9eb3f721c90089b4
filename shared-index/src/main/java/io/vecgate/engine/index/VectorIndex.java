package io.vecgate.engine.index;

import io.vecgate.engine.search.Bits;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;

/**
 * A searchable index over {@link #size()} vectors, addressed by ordinal {@code [0, size)}.
 * Immutable once built or opened, and safe for concurrent searches.
 */
public interface VectorIndex {

  IndexType type();

  Metric metric();

  int dimension();

  int size();

  /** The raw vectors in ordinal order (normalised for cosine). */
  FloatVectors vectors();

  /** The parameters the index was built with (and stored search defaults). */
  IndexParams params();

  /** The memory regions to persist; {@link Indexes#open} turns them back into this index. */
  IndexParts parts();

  /**
   * Searches a batch of queries sharing {@code params} and {@code filter}; query {@code i} gets
   * its own {@code k[i]} nearest ordinals. Queries are not modified.
   *
   * @param queries each of the index's dimension, with finite components (asserted: the caller checks
   *     a request once, where it comes in)
   * @param k each >= 1 (asserted)
   * @param filter ordinals that may be returned, or {@code null} for all
   * @throws IllegalArgumentException on a filter of another length
   */
  Neighbors[] search(float[][] queries, int[] k, SearchParams params, Bits filter);

  /** Searches one query. */
  default Neighbors search(float[] query, int k, SearchParams params, Bits filter) {
    return search(new float[][] {query}, new int[] {k}, params, filter)[0];
  }
}
