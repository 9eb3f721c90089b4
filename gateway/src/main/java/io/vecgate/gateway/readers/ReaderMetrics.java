package io.vecgate.gateway.readers;

/**
 * What the reader connections report, behind an interface with a no-op default so the routing
 * logic is tested without a meter registry ({@link MicrometerReaderMetrics} is the real one).
 * Implementations must be cheap and thread-safe: some calls are made once per search.
 */
public interface ReaderMetrics {

  /** One heartbeat round of {@code reader}: answered or missed. */
  default void heartbeat(String reader, boolean answered) {}

  default void evicted(String reader) {}

  default void returned(String reader) {}

  /** A pooled connection to {@code reader} failed and was closed (it will be reopened with backoff). */
  default void connectionLost(String reader) {}

  /** A pooled connection to {@code reader} was reopened and answered. */
  default void reconnected(String reader) {}

  /** An admitted request to {@code reader} ended with {@code outcome}. */
  default void completed(String reader, Admission.Outcome outcome) {}

  /** {@code reader}'s queue was full when a request wanted it. */
  default void rejected(String reader) {}

  /** A failed reader call was retried on another reader; {@code ok} when the retry answered. */
  default void retried(boolean ok) {}

  /** A request was refused at the gateway with {@code status} (429 or 503) and {@code Retry-After}. */
  default void shed(int status) {}

  ReaderMetrics NOOP = new ReaderMetrics() {};
}
