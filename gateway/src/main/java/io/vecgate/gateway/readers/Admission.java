package io.vecgate.gateway.readers;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request admitted to a reader's {@link ReaderQueue}: it holds one place in the queue until
 * its outcome is reported, exactly once (later reports are ignored, so a late answer after a
 * timeout cannot count twice).
 *
 * <ul>
 *   <li>{@link #success()}: the reader answered;</li>
 *   <li>{@link #dropped()}: the call failed on the way (connection lost, timed out) — the reader
 *       may be overloaded or gone;</li>
 *   <li>{@link #ignored()}: the request never reached the reader (its plan was abandoned) or the
 *       reader refused it for a reason unrelated to load (a version it no longer holds, a bad
 *       request).</li>
 * </ul>
 */
public final class Admission {

  /** How an admitted request ended. */
  public enum Outcome { SUCCESS, DROPPED, IGNORED }

  private final ReaderQueue queue;
  private final AtomicBoolean done = new AtomicBoolean();

  Admission(ReaderQueue queue) {
    this.queue = queue;
  }

  public void success() {
    complete(Outcome.SUCCESS);
  }

  public void dropped() {
    complete(Outcome.DROPPED);
  }

  public void ignored() {
    complete(Outcome.IGNORED);
  }

  /** Reports {@code outcome} unless one was reported already; true when this call did. */
  public boolean complete(Outcome outcome) {
    if (!done.compareAndSet(false, true)) {
      return false;
    }
    queue.complete(outcome);
    return true;
  }

  public boolean isDone() {
    return done.get();
  }
}
