package io.vecgate.writer.bus;

import io.vecgate.protocol.api.ApiException;
import java.time.Duration;

/**
 * Load shedding on the writer: document writes ({@code _bulk}, index, delete) are admitted while
 * fewer than {@link Limits#maxRequests()} of them, holding fewer than {@link Limits#maxBytes()}
 * body bytes, are in flight (queued on a space's lane or being applied). Past either limit a
 * write is refused at once with 429 and {@code Retry-After}, before anything of it is parsed or
 * logged, so a shed request changes nothing and the caller can send it again whole. Without this,
 * a writer that falls behind queues writes without bound and runs out of heap. Thread-safe.
 */
public final class WriteAdmission {

  /**
   * @param maxRequests document writes in flight at most ({@code --max-inflight-writes})
   * @param maxBytes body bytes of the writes in flight at most ({@code --max-inflight-write-bytes});
   *     one write bigger than this is still taken when nothing else is in flight
   * @param retryAfter what a shed write's {@code Retry-After} says (whole seconds, at least 1)
   */
  public record Limits(int maxRequests, long maxBytes, Duration retryAfter) {

    public static final Limits DEFAULTS = new Limits(64, 512L << 20, Duration.ofSeconds(1));

    public Limits {
      if (maxRequests < 1) {
        throw new IllegalArgumentException("--max-inflight-writes: expected at least 1, got " + maxRequests);
      }
      if (maxBytes < 1) {
        throw new IllegalArgumentException("--max-inflight-write-bytes: expected at least 1, got " + maxBytes);
      }
      if (retryAfter.toSeconds() < 1) {
        throw new IllegalArgumentException("--write-retry-after: expected at least 1s, got " + retryAfter.toMillis()
            + "ms");
      }
    }
  }

  private final Limits limits;
  private int requests;
  private long bytes;
  private long shed;

  public WriteAdmission(Limits limits) {
    this.limits = limits;
  }

  /**
   * Admits a write of {@code bodyBytes}; the caller must {@link Permit#close() close} the permit
   * when the write has been answered.
   *
   * @throws ApiException 429 {@code too_many_requests} with a {@code Retry-After}, naming the limit
   */
  public synchronized Permit admit(String op, long bodyBytes) {
    boolean overRequests = requests >= limits.maxRequests();
    boolean overBytes = requests > 0 && bytes + bodyBytes > limits.maxBytes();
    if (overRequests || overBytes) {
      shed++;
      throw ApiException.tooManyRequests("the writer is at its limit of " + (overRequests
          ? limits.maxRequests() + " document writes in flight (--max-inflight-writes)"
          : limits.maxBytes() + " body bytes of document writes in flight (--max-inflight-write-bytes; " + bytes
              + " in flight, this " + op + " has " + bodyBytes + ")")
          + "; nothing of this request was applied: send it again after the Retry-After",
          limits.retryAfter().toSeconds());
    }
    requests++;
    bytes += bodyBytes;
    boolean[] closed = {false};
    return () -> {
      synchronized (this) {
        if (!closed[0]) {
          closed[0] = true;
          requests--;
          bytes -= bodyBytes;
        }
      }
    };
  }

  /** Writes in flight now. */
  public synchronized int inFlight() {
    return requests;
  }

  /** Body bytes of the writes in flight now. */
  public synchronized long inFlightBytes() {
    return bytes;
  }

  /** Writes refused since start. */
  public synchronized long shed() {
    return shed;
  }

  /** An admitted write; closing it (once is enough, more is harmless) lets the next one in. */
  @FunctionalInterface
  public interface Permit extends AutoCloseable {
    @Override
    void close();
  }
}
