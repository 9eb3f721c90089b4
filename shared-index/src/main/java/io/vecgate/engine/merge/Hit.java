package io.vecgate.engine.merge;

/**
 * One result as users see it: a document id and its public score (the L2 distance, or the
 * similarity for inner product and cosine; see {@code Metric.toScore}).
 */
public record Hit(long id, float score) {

  /** How {@link TopKMerge} and {@link ScoreOrder} read a {@code Hit}. */
  public static final HitKey<Hit> KEY = HitKey.of(Hit::id, Hit::score);
}
