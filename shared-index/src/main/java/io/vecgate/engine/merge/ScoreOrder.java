package io.vecgate.engine.merge;

import io.vecgate.engine.vector.Metric;
import java.util.Comparator;

/** Which way public scores rank: ascending distances (L2) or descending similarities (IP, cosine). */
public enum ScoreOrder {
  /** Smaller score first (L2 distance). */
  ASCENDING,
  /** Larger score first (inner product, cosine similarity). */
  DESCENDING;

  /** The order of {@code metric}'s public scores. */
  public static ScoreOrder of(Metric metric) {
    return metric.higherScoreIsCloser() ? DESCENDING : ASCENDING;
  }

  /** Best hit first; equal scores by ascending id, so the ranking never depends on arrival order. */
  public Comparator<Hit> comparator() {
    // + 0f turns -0.0 into 0.0: Float.compare would otherwise rank them apart and break the id tie-break.
    Comparator<Hit> byScore = (a, b) -> Float.compare(a.score() + 0f, b.score() + 0f);
    return (this == ASCENDING ? byScore : byScore.reversed()).thenComparingLong(Hit::id);
  }
}
