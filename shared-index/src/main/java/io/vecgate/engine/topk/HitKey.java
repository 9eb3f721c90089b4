package io.vecgate.engine.topk;

import java.util.function.ToLongFunction;

/**
 * What the top-K reduce ranks a hit by: its document number and its public score. One reduce
 * ({@link TopKReduce}) and one ranking ({@link ScoreOrder}) then serve every hit type: the
 * engine's {@link Hit}, a reader's candidates (which carry where the document lives), a gateway's
 * protobuf hits (which carry its source), without copying them into {@link Hit}s and back.
 *
 * @param <H> the hit type
 */
public interface HitKey<H> {

  /**
   * The document's number, unique in a space: equal numbers are one document. The engine calls it
   * the id ({@code SegmentReader.id(ordinal)}); the services call it {@code seq}.
   */
  long id(H hit);

  /** The hit's public score ({@code Metric.toScore}). */
  float score(H hit);

  /** The key that reads a hit's id and score with these functions (e.g. {@code HitKey.of(Hit::id, Hit::score)}). */
  static <H> HitKey<H> of(ToLongFunction<? super H> id, ScoreOf<? super H> score) {
    return new HitKey<>() {
      @Override
      public long id(H hit) {
        return id.applyAsLong(hit);
      }

      @Override
      public float score(H hit) {
        return score.score(hit);
      }
    };
  }

  /** Reads a hit's score: a float, so that no widening can change how -0.0 or NaN compare. */
  @FunctionalInterface
  interface ScoreOf<H> {
    float score(H hit);
  }
}
