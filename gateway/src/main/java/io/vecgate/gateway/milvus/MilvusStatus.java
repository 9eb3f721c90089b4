package io.vecgate.gateway.milvus;

import io.vecgate.gateway.readers.RetryLaterException;
import io.vecgate.milvus.proto.ErrorCode;
import io.vecgate.milvus.proto.Status;
import io.vecgate.protocol.api.ApiException;

/**
 * The in-band status of every Milvus answer. Milvus 2.3+ clients read {@code code} (and older ones
 * {@code error_code}); both are set. Codes are Milvus's own ({@code merr}): 0 success, 8 rate limit
 * (retriable: the SDK retries it), 100 collection not found, 700 index not found, 800 database not
 * found, 1100 invalid parameter, 5 internal error.
 */
final class MilvusStatus {

  static final int RATE_LIMIT = 8;
  static final int INTERNAL = 5;
  static final int COLLECTION_NOT_FOUND = 100;
  static final int INDEX_NOT_FOUND = 700;
  static final int DATABASE_NOT_FOUND = 800;
  static final int PARAMETER_INVALID = 1100;

  static final Status OK = Status.newBuilder().setErrorCode(ErrorCode.Success).setCode(0).build();

  private MilvusStatus() {}

  static Status error(int code, String reason) {
    ErrorCode legacy = switch (code) {
      case COLLECTION_NOT_FOUND -> ErrorCode.CollectionNotExists;
      case INDEX_NOT_FOUND -> ErrorCode.IndexNotExist;
      case PARAMETER_INVALID -> ErrorCode.IllegalArgument;
      case RATE_LIMIT -> ErrorCode.RateLimit;
      default -> ErrorCode.UnexpectedError;
    };
    return Status.newBuilder().setErrorCode(legacy).setCode(code).setReason(reason)
        .setRetriable(code == RATE_LIMIT).build();
  }

  static Status invalid(String reason) {
    return error(PARAMETER_INVALID, reason);
  }

  /** The status of a failure of vecgate's read or write path: its HTTP-style error in Milvus's words. */
  static Status of(Throwable e) {
    if (e instanceof RetryLaterException r) {
      return error(RATE_LIMIT, r.getMessage());
    }
    if (e instanceof ApiException a) {
      return switch (a.type()) {
        case "space_not_exists" -> error(COLLECTION_NOT_FOUND, a.getMessage());
        case "db_not_exists" -> error(DATABASE_NOT_FOUND, a.getMessage());
        default -> a.status() == 429 || a.status() == 503 ? error(RATE_LIMIT, a.getMessage())
            : a.status() < 500 ? error(PARAMETER_INVALID, a.getMessage()) : error(INTERNAL, a.getMessage());
      };
    }
    return error(INTERNAL, e.getClass().getSimpleName() + ": " + e.getMessage());
  }
}
