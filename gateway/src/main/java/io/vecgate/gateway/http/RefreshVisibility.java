package io.vecgate.gateway.http;

import io.vecgate.common.api.ApiException;
import io.vecgate.gateway.catalog.CatalogCache;
import io.vecgate.gateway.catalog.CatalogView.SpaceEntry;
import io.vecgate.gateway.readers.ReaderDirectory;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Makes {@code _refresh} (and {@code ?refresh=true} writes) mean what users of Elasticsearch
 * expect: when the answer arrives, a search on this gateway sees the writes. The writer has
 * published the version by then; this waits until the live readers cover it (loaded and warm),
 * polling the reader directory, up to a deadline.
 */
final class RefreshVisibility {

  private static final long POLL_MS = 10;

  private final Vertx vertx;
  private final CatalogCache catalog;
  private final ReaderDirectory readers;
  private final long timeoutMillis;

  RefreshVisibility(Vertx vertx, CatalogCache catalog, ReaderDirectory readers, long timeoutMillis) {
    this.vertx = vertx;
    this.catalog = catalog;
    this.readers = readers;
    this.timeoutMillis = timeoutMillis;
  }

  /** Completes once readers serve {@code version} (or newer) of {@code db/space}; fails with 504 after the deadline. */
  Future<Void> await(String db, String space, long version) {
    Promise<Void> done = Promise.promise();
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    poll(db, space, version, deadline, done);
    return done.future();
  }

  private void poll(String db, String space, long version, long deadline, Promise<Void> done) {
    SpaceEntry entry = null;
    try {
      entry = catalog.resolve(db, space);
    } catch (ApiException notYetInTheCatalog) {
      // A space created a moment ago: the catalog notice may still be on its way.
    }
    if (entry != null && readers.newestServed(db, entry.schema().name(), entry.schema().partitionNum()) >= version) {
      done.complete();
      return;
    }
    if (System.nanoTime() > deadline) {
      done.fail(new ApiException(504, "timeout_exception", "version " + version + " of " + db + "/" + space
          + " is published but no live reader served it within " + timeoutMillis + " ms; it becomes searchable "
          + "when a reader loads it"));
      return;
    }
    vertx.setTimer(POLL_MS, id -> poll(db, space, version, deadline, done));
  }
}
