package io.vecgate.reader.search;

import io.vecgate.reader.version.LoadedVersion;
import java.util.concurrent.CompletableFuture;

/**
 * Runs searches on a reader's search threads: each request alone ({@link DirectRunner}) or merged
 * with compatible ones into one engine batch ({@link io.vecgate.reader.search.merge.QueryMerger}).
 * Either way a request's answer is the one it gets alone.
 */
public interface SearchRunner {

  /**
   * Runs {@code p}, a plan checked against its version. Never blocks the caller: the work runs on
   * the search threads. The caller holds {@code p.version()} ({@link LoadedVersion#acquire()})
   * until the future completes.
   *
   * @return completes with the answer, or exceptionally with an {@link IllegalArgumentException}
   *     for a request the engine refuses past the plan's checks (a filter that does not fit its
   *     column: only that request fails), or another exception for a failure of ours
   */
  CompletableFuture<SearchAnswer> search(SearchPlan p);

  /** Takes no new searches once called; searches already taken are still answered. */
  default void close() {}
}
