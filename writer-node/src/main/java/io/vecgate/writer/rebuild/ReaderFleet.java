package io.vecgate.writer.rebuild;

import io.vertx.core.Future;
import java.time.Duration;

/** The readers that are to serve a new version, as a rebuild waits for them. */
public interface ReaderFleet {

  /**
   * Completes with the number of readers once every live reader has mapped {@code version} of
   * the space and warmed it with {@code warmupQueries} simulated queries; fails when that has
   * not happened within {@code timeout}, naming the readers that did not report, or when no
   * reader is live.
   */
  Future<Integer> awaitServing(String db, String space, long version, int warmupQueries, Duration timeout);
}
