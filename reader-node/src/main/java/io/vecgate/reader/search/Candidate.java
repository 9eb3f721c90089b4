package io.vecgate.reader.search;

import io.vecgate.engine.topk.HitKey;
import io.vecgate.reader.version.LoadedSegment;

/**
 * A hit of one partition with where it lives, so that the winners of the top k can be turned into
 * documents without a lookup.
 *
 * @param seq the document's {@code seq} (its internal document number; the segment's id of the
 *     ordinal)
 * @param score the hit's score: the weighted sum of its entries' scores
 * @param fieldScores each entry's own score, or null when the plan does not ask for them
 */
record Candidate(long seq, float score, LoadedSegment segment, int ordinal, float[] fieldScores) {

  /** How the engine's top-K reduce and ranking read a candidate. */
  static final HitKey<Candidate> KEY = HitKey.of(Candidate::seq, Candidate::score);
}
