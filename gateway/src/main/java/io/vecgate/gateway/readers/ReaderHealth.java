package io.vecgate.gateway.readers;

/**
 * Whether the gateway routes to a reader, from its heartbeats: each heartbeat round either got an
 * answer or not; after {@code missedToEvict} rounds in a row without one the reader is
 * <em>evicted</em> (no new searches go to it), and the first answer after that takes it back.
 * A reader that has never answered is not evicted: it was never taken in (it has no open
 * connection, so nothing is routed to it) and is still being connected to, typically a JVM
 * that has just started. Plain state, no clock or I/O of its own: the caller passes the time, so
 * it is tested without sockets. Thread-safe (one monitor; called a few times a second).
 */
public final class ReaderHealth {

  /** What an event changed. */
  public enum Transition { NONE, EVICTED, RETURNED }

  private final int missedToEvict;
  private int missed;
  private boolean evicted;
  private long lastAnswerNanos = Long.MIN_VALUE;
  private long evictedAtNanos;
  private long lastEvictionSilenceNanos = -1;
  private long evictions;
  private long returns;
  private String lastError = "";

  public ReaderHealth(int missedToEvict) {
    if (missedToEvict < 1) {
      throw new IllegalArgumentException("missedToEvict: expected at least 1, got " + missedToEvict);
    }
    this.missedToEvict = missedToEvict;
  }

  /** The reader answered (a ping, or a reconnect's ping). */
  public synchronized Transition answered(long nowNanos) {
    missed = 0;
    lastAnswerNanos = nowNanos;
    if (evicted) {
      evicted = false;
      returns++;
      return Transition.RETURNED;
    }
    return Transition.NONE;
  }

  /** A heartbeat round ended without any answer; {@code error} says why (for logs and {@code /_cluster/nodes}). */
  public synchronized Transition missed(long nowNanos, String error) {
    missed++;
    lastError = error == null ? "" : error;
    if (!evicted && missed >= missedToEvict && answeredEver()) {
      evicted = true;
      evictions++;
      evictedAtNanos = nowNanos;
      lastEvictionSilenceNanos = nowNanos - lastAnswerNanos;
      return Transition.EVICTED;
    }
    return Transition.NONE;
  }

  /** Whether it has answered at least once. */
  public synchronized boolean answeredEver() {
    return lastAnswerNanos != Long.MIN_VALUE;
  }

  public synchronized boolean evicted() {
    return evicted;
  }

  /** Heartbeat rounds missed in a row. */
  public synchronized int missed() {
    return missed;
  }

  /** When it last answered, or {@link Long#MIN_VALUE} if never. */
  public synchronized long lastAnswerNanos() {
    return lastAnswerNanos;
  }

  public synchronized long evictedAtNanos() {
    return evictedAtNanos;
  }

  /** How long it had been silent when it was last evicted (nanoseconds), or -1 if never evicted. */
  public synchronized long lastEvictionSilenceNanos() {
    return lastEvictionSilenceNanos;
  }

  public synchronized long evictions() {
    return evictions;
  }

  public synchronized long returns() {
    return returns;
  }

  public synchronized String lastError() {
    return lastError;
  }
}
