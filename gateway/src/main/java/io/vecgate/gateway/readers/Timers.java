package io.vecgate.gateway.readers;

import io.vertx.core.Vertx;

/**
 * The clock and timers the connection pools and the directory run on: Vert.x timers on the
 * gateway's event loop in production, a hand-driven clock in tests (so heartbeats, backoff and
 * eviction are tested without sleeping).
 */
public interface Timers {

  long nanoTime();

  /** Runs {@code task} once after {@code delayMillis}; returns an id for {@link #cancel}. */
  long setTimer(long delayMillis, Runnable task);

  /** Runs {@code task} every {@code periodMillis}; returns an id for {@link #cancel}. */
  long setPeriodic(long periodMillis, Runnable task);

  void cancel(long id);

  /** Timers of {@code vertx}, run on the context that sets them. */
  static Timers of(Vertx vertx) {
    return new Timers() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public long setTimer(long delayMillis, Runnable task) {
        return vertx.setTimer(Math.max(1, delayMillis), id -> task.run());
      }

      @Override
      public long setPeriodic(long periodMillis, Runnable task) {
        return vertx.setPeriodic(Math.max(1, periodMillis), id -> task.run());
      }

      @Override
      public void cancel(long id) {
        vertx.cancelTimer(id);
      }
    };
  }
}
