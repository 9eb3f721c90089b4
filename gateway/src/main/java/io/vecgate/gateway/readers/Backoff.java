package io.vecgate.gateway.readers;

/**
 * Waits between reconnect attempts: {@code first}, then doubling per failure in a row, at most
 * {@code max}. No jitter: a gateway has a handful of connections per reader and each reconnects
 * on its own failure count, so there is no herd to spread.
 */
public record Backoff(long firstMillis, long maxMillis) {

  public Backoff {
    if (firstMillis < 1 || maxMillis < firstMillis) {
      throw new IllegalArgumentException("backoff: expected 1 <= first <= max, got first " + firstMillis + " ms, max "
          + maxMillis + " ms");
    }
  }

  /** The wait after {@code failures} failures in a row (1 = the first failure). */
  public long delayMillis(int failures) {
    int doublings = Math.max(0, Math.min(failures - 1, 30));
    long d = firstMillis << doublings;
    return d <= 0 || d > maxMillis ? maxMillis : d;
  }
}
