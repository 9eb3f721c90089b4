package io.vecgate.protocol.api;

/**
 * A request the service refuses or cannot serve, with the HTTP status and the JSON error body
 * {@code {"error": {"type": ..., "reason": ...}}} it becomes. Reasons name the field, the
 * expected and the received value. 4xx statuses are the caller's mistakes, 5xx ours.
 */
public final class ApiException extends RuntimeException {

  private final int status;
  private final String type;
  private final long retryAfterSeconds;

  public ApiException(int status, String type, String reason) {
    this(status, type, reason, 0);
  }

  private ApiException(int status, String type, String reason, long retryAfterSeconds) {
    super(reason);
    this.status = status;
    this.type = type;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** 429: the service is at a limit; the caller should send the same request again after {@code retryAfterSeconds}. */
  public static ApiException tooManyRequests(String reason, long retryAfterSeconds) {
    return new ApiException(429, "too_many_requests", reason, retryAfterSeconds);
  }

  public static ApiException badRequest(String reason) {
    return new ApiException(400, "illegal_argument_exception", reason);
  }

  public static ApiException parse(String reason) {
    return new ApiException(400, "parse_exception", reason);
  }

  public static ApiException notFound(String type, String reason) {
    return new ApiException(404, type, reason);
  }

  public static ApiException conflict(String type, String reason) {
    return new ApiException(409, type, reason);
  }

  public static ApiException tooLarge(String reason) {
    return new ApiException(413, "request_entity_too_large", reason);
  }

  public static ApiException unavailable(String reason) {
    return new ApiException(503, "unavailable_exception", reason);
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

  /** What {@code Retry-After} should say, in seconds; 0 when the answer has none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
