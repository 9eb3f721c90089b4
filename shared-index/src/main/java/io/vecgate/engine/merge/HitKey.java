package io.vecgate.engine.merge;

/**
 * What a top-k merge ranks a hit by: its document id and its public score. One merge
 * ({@link TopKMerge}) and one ranking ({@link ScoreOrder}) then serve every hit type: the
 * engine's {@link Hit}, a reader's candidates (which carry where the document lives), a gateway's
 * protobuf hits (which carry its source), without copying them into {@link Hit}s and back.
 *
 * @param <H> the hit type
 */
public interface HitKey<H> {

  /** The document's id (the engine id, unique in a space): equal ids are one document. */
  long id(H hit);

  /** The hit's public score ({@code Metric.toScore}). */
  float score(H hit);
}
