package io.vecgate.engine.topk;

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
    return comparator(Hit.KEY);
  }

  /** {@link #comparator()} for hits of any type, read through {@code key}. */
  public <H> Comparator<H> comparator(HitKey<? super H> key) {
    boolean ascending = this == ASCENDING;
    return (a, b) -> {
      // + 0f turns -0.0 into 0.0: Float.compare would otherwise rank them apart and break the id tie-break.
      int byScore = ascending ? Float.compare(key.score(a) + 0f, key.score(b) + 0f)
          : Float.compare(key.score(b) + 0f, key.score(a) + 0f);
      return byScore != 0 ? byScore : Long.compare(key.id(a), key.id(b));
    };
  }
}
