package io.vecgate.writer.rebuild.source;

import io.vertx.core.Future;

/**
 * Carries a sink's own failure through a source's error translation untouched, so that a
 * cancelled rebuild fails with its cancellation and not with a made-up source error.
 */
final class SinkFailure extends RuntimeException {

  private SinkFailure(Throwable cause) {
    super(cause);
  }

  /** {@code taken}, with a failure marked as the sink's. */
  static Future<Void> mark(Future<Void> taken) {
    return taken.recover(e -> Future.failedFuture(new SinkFailure(e)));
  }

  /** The sink's failure when {@code e} is one, else {@code null}. */
  static Throwable unwrap(Throwable e) {
    return e instanceof SinkFailure s ? s.getCause() : null;
  }
}
