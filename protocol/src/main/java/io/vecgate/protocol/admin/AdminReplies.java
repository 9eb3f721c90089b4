package io.vecgate.protocol.admin;

import io.vecgate.protocol.api.ApiException;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * How an admin command fails on the event bus, the same for every role: the reply fails with the
 * HTTP status as failure code and {@code {"error": {"type", "reason"}}} as message (as the writer's
 * replies do), so the admin tool prints one kind of error whoever refused.
 */
public final class AdminReplies {

  private AdminReplies() {}

  /** Fails {@code msg} with {@code e}'s status and body; anything but an {@link ApiException} is a 500. */
  public static void fail(Message<?> msg, Throwable e) {
    ApiException api = e instanceof ApiException a ? a
        : new ApiException(500, "internal_error", e.getClass().getSimpleName() + ": " + e.getMessage());
    msg.fail(api.status(), body(api).encode());
  }

  /** The error body; a refusal that says when to come back also carries {@code "retry_after"} (seconds). */
  public static JsonObject body(ApiException api) {
    JsonObject error = new JsonObject().put("type", api.type()).put("reason", api.reason());
    if (api.retryAfterSeconds() > 0) {
      error.put("retry_after", api.retryAfterSeconds());
    }
    return new JsonObject().put("error", error);
  }
}
