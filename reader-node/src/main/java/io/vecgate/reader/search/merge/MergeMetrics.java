package io.vecgate.reader.search.merge;

/** What the merger reports; {@link #NONE} when nobody listens. */
public interface MergeMetrics {

  MergeMetrics NONE = (requests, queries) -> {};

  /**
   * An engine batch ran.
   *
   * @param requests the requests merged into it (1: a request alone)
   * @param queries its query vectors
   */
  void batch(int requests, int queries);
}
