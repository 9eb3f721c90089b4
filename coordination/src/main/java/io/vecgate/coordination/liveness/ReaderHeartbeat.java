package io.vecgate.coordination.liveness;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * A reader's heartbeat in the deployment's shared store, beside the state it publishes on the
 * event bus: gateways and the writer route only to readers whose heartbeat is alive (see
 * {@link ReaderLiveness}). {@link #none()} when the deployment has no such store (Hazelcast alias
 * store, standalone); {@link RedisReaderHeartbeat} in distributed mode.
 *
 * <p>The reader announces {@link #announcedKey()} in its state; it is set only while the last
 * write succeeded, so a reader that cannot reach the store stops announcing a key, and watchers
 * then go by its other signals instead of taking it for dead.
 */
public interface ReaderHeartbeat {

  /**
   * Starts writing {@code state} every interval; completes after the first write was tried (it
   * never fails: a failed write is logged, remembered and tried again at the next interval).
   */
  Future<Void> start(Vertx vertx, Supplier<JsonObject> state);

  /** The key to announce in the reader's state, or null (no store, or the last write failed). */
  String announcedKey();

  /** Whether writing is failing now (for {@code /health/ready}: degraded). */
  boolean failing();

  /** A short human explanation for {@code /health/ready}. */
  String detail();

  /** Stops writing and deletes the key (a graceful leave: watchers stop routing at their next look). */
  Future<Void> close();

  /** No heartbeat store. */
  static ReaderHeartbeat none() {
    return new ReaderHeartbeat() {
      @Override
      public Future<Void> start(Vertx vertx, Supplier<JsonObject> state) {
        return Future.succeededFuture();
      }

      @Override
      public String announcedKey() {
        return null;
      }

      @Override
      public boolean failing() {
        return false;
      }

      @Override
      public String detail() {
        return "no heartbeat store (aliases in Hazelcast)";
      }

      @Override
      public Future<Void> close() {
        return Future.succeededFuture();
      }
    };
  }
}
