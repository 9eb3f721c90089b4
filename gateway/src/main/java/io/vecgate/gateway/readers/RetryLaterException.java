package io.vecgate.gateway.readers;

/**
 * A request the gateway answers "come back later" instead of letting it wait: 429 when every
 * reader that could answer has its queue full, 503 when no reader can answer (none serves it,
 * every one that does is evicted, or the readers failed it even after a retry). Both tell the
 * client when to come back ({@code Retry-After}); the reason names the limit or what is missing.
 * The read endpoint's error handler turns it into {@code {"error": {"type", "reason"}}} with the
 * header.
 */
public final class RetryLaterException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;
  private final long retryAfterSeconds;

  private RetryLaterException(int status, String type, String reason, long retryAfterSeconds) {
    super(reason);
    this.status = status;
    this.type = type;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** 429: the readers are there but at their limit of outstanding requests. */
  public static RetryLaterException tooManyRequests(String reason, long retryAfterSeconds) {
    return new RetryLaterException(429, "too_many_requests", reason, retryAfterSeconds);
  }

  /** 503: no reader can take the request (none serves it, or every one that does is evicted). */
  public static RetryLaterException unavailable(String reason, long retryAfterSeconds) {
    return new RetryLaterException(503, "unavailable_exception", reason, retryAfterSeconds);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String reason() {
    return getMessage();
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
