package io.vecgate.gateway.http;

import io.vecgate.gateway.catalog.CatalogCache;
import io.vecgate.gateway.catalog.CatalogView.SpaceEntry;
import io.vecgate.gateway.readers.ReaderDirectory;
import io.vecgate.protocol.api.ApiException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Makes {@code _refresh} (and {@code ?refresh=true} writes) mean what users of Elasticsearch
 * expect: when the answer arrives, a search on this gateway sees the writes. The writer's reply
 * names the version that holds them (header {@code version}); this waits until the routable
 * readers cover it (loaded and warm), up to a deadline. Nothing polls: a wait is checked when it
 * starts, after every reader state message the {@link ReaderDirectory} applies (readers publish
 * one on every change and every second) and after every catalog change (a space created a moment
 * ago may not be in this gateway's catalog yet).
 */
public final class RefreshVisibility {

  /** A space as the readers know it: its name (an alias resolved) and its partition count. */
  record Located(String space, int partitions) {}

  /** One refreshed request waiting for its version, answered on the context it came from. */
  private static final class Wait {
    final String db;
    final String space;
    final long version;
    final Context context;
    final Promise<Void> done = Promise.promise();
    /** The deadline's timer, cancelled when the version is served first. */
    long timer;

    Wait(String db, String space, long version, Context context) {
      this.db = db;
      this.space = space;
      this.version = version;
      this.context = context;
    }
  }

  private final Vertx vertx;
  private final ReaderDirectory readers;
  private final BiFunction<String, String, Located> locate;
  private final long timeoutMillis;
  private final Set<Wait> waits = ConcurrentHashMap.newKeySet();

  public RefreshVisibility(Vertx vertx, CatalogCache catalog, ReaderDirectory readers, long timeoutMillis) {
    this(vertx, readers, (db, space) -> {
      try {
        SpaceEntry e = catalog.resolve(db, space);
        return new Located(e.schema().name(), e.schema().partitionNum());
      } catch (ApiException notYetInTheCatalog) {
        return null;
      }
    }, timeoutMillis);
    catalog.onChange(this::recheck);
  }

  /**
   * @param locate the space a request names, or null while this gateway does not know it
   */
  RefreshVisibility(Vertx vertx, ReaderDirectory readers, BiFunction<String, String, Located> locate,
      long timeoutMillis) {
    this.vertx = vertx;
    this.readers = readers;
    this.locate = locate;
    this.timeoutMillis = timeoutMillis;
    readers.onStateApplied(this::recheck);
  }

  /**
   * Completes once readers serve {@code version} (or newer) of {@code db/space}, on the caller's
   * context; fails with 504 after the deadline.
   */
  public Future<Void> await(String db, String space, long version) {
    if (served(db, space, version)) {
      return Future.succeededFuture();
    }
    Wait w = new Wait(db, space, version, vertx.getOrCreateContext());
    w.timer = vertx.setTimer(timeoutMillis, id -> {
      if (waits.remove(w)) {
        w.done.fail(new ApiException(504, "timeout_exception", "version " + version + " of " + db + "/" + space
            + " is published but no live reader served it within " + timeoutMillis + " ms; it becomes searchable "
            + "when a reader loads it"));
      }
    });
    waits.add(w);
    // A state message may have been applied between the first look and the add.
    recheck();
    return w.done.future();
  }

  /** Answers every wait whose version is served now (any thread: each is answered on its own context). */
  void recheck() {
    for (Wait w : waits) {
      if (served(w.db, w.space, w.version) && waits.remove(w)) {
        vertx.cancelTimer(w.timer);
        w.context.runOnContext(v -> w.done.complete());
      }
    }
  }

  private boolean served(String db, String space, long version) {
    Located at = locate.apply(db, space);
    return at != null && readers.newestServed(db, at.space(), at.partitions()) >= version;
  }
}
