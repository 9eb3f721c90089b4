package io.vecgate.gateway.readers;

import io.vertx.grpc.common.GrpcStatus;

/**
 * Why a call to a reader failed, in the three kinds routing cares about:
 * <ul>
 *   <li>{@link Kind#CONNECTION}: the call never got an answer (connection refused, closed or
 *       reset, no open connection); the connection is given up and the call may go elsewhere;</li>
 *   <li>{@link Kind#TIMEOUT}: no answer within the request's deadline; there is no time left to
 *       try elsewhere;</li>
 *   <li>{@link Kind#STATUS}: the reader answered with a gRPC error status (its message kept).</li>
 * </ul>
 */
public final class ReaderCallException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The kinds of failure. */
  public enum Kind { CONNECTION, TIMEOUT, STATUS }

  private final Kind kind;
  private final GrpcStatus status;
  private final String nodeId;

  private ReaderCallException(Kind kind, GrpcStatus status, String nodeId, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.status = status;
    this.nodeId = nodeId;
  }

  public static ReaderCallException connection(String nodeId, String detail, Throwable cause) {
    return new ReaderCallException(Kind.CONNECTION, null, nodeId, "reader " + nodeId + ": " + detail, cause);
  }

  public static ReaderCallException timeout(String nodeId, long timeoutMillis) {
    return new ReaderCallException(Kind.TIMEOUT, GrpcStatus.DEADLINE_EXCEEDED, nodeId, "reader " + nodeId
        + " did not answer within " + timeoutMillis + " ms", null);
  }

  public static ReaderCallException status(String nodeId, GrpcStatus status, String message) {
    return new ReaderCallException(Kind.STATUS, status, nodeId, "reader " + nodeId + " answered " + status
        + (message == null || message.isEmpty() ? "" : ": " + message), null);
  }

  public Kind kind() {
    return kind;
  }

  /** The gRPC status for {@link Kind#STATUS} (and DEADLINE_EXCEEDED for timeouts), null for connection failures. */
  public GrpcStatus status() {
    return status;
  }

  public String nodeId() {
    return nodeId;
  }

  /**
   * Whether another reader may answer instead (searches and gets are idempotent): yes for lost
   * connections and for statuses that are this reader's own (stopping, version released, its own
   * error); no for a timeout (the deadline is spent) or a request the reader calls invalid (any
   * reader would).
   */
  public boolean retriable() {
    return switch (kind) {
      case CONNECTION -> true;
      case TIMEOUT -> false;
      case STATUS -> status != GrpcStatus.INVALID_ARGUMENT;
    };
  }

  /** The admission outcome of a call that failed this way: refusals unrelated to load are ignored, the rest dropped. */
  public Admission.Outcome outcome() {
    if (kind == Kind.STATUS && (status == GrpcStatus.INVALID_ARGUMENT || status == GrpcStatus.NOT_FOUND)) {
      return Admission.Outcome.IGNORED;
    }
    return Admission.Outcome.DROPPED;
  }
}
