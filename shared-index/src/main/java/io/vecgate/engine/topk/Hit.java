package io.vecgate.engine.topk;

/**
 * One result as users see it: a document's number ({@link HitKey#id}) and its public score (the L2 distance, or the
 * similarity for inner product and cosine; see {@code Metric.toScore}).
 */
public record Hit(long id, float score) {

  /** How {@link TopKReduce} and {@link ScoreOrder} read a {@code Hit}. */
  public static final HitKey<Hit> KEY = HitKey.of(Hit::id, Hit::score);
}
