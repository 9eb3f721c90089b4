package io.vecgate.gateway.http;

import io.vecgate.gateway.readers.RetryLaterException;
import io.vecgate.protocol.api.ApiException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The one failure handler of both endpoints: every failed route becomes
 * {@code {"error": {"type", "reason"}}} with a 4xx for the caller's mistakes and a 5xx (logged)
 * for ours; a 429 or 503 that says when to come back carries {@code Retry-After}.
 */
public final class Errors {

  private static final System.Logger LOG = System.getLogger(Errors.class.getName());

  private Errors() {}

  public static void handle(RoutingContext ctx) {
    handle(ctx, (status, body) -> body);
  }

  /**
   * As {@link #handle(RoutingContext)}, the error body reshaped by {@code shape} (an API whose
   * clients expect another error shape, as Vearch 3.5's {@code {"code", "msg"}}).
   */
  public static void handle(RoutingContext ctx, java.util.function.BiFunction<Integer, JsonObject, JsonObject> shape) {
    Throwable t = ctx.failure();
    int status;
    JsonObject body;
    if (t instanceof RetryLaterException e) {
      status = e.status();
      body = body(e.type(), e.reason());
      if (!ctx.response().headWritten()) {
        ctx.response().putHeader("retry-after", String.valueOf(e.retryAfterSeconds()));
      }
    } else if (t instanceof ApiException e) {
      status = e.status();
      body = body(e.type(), e.reason());
      retryAfter(ctx, e.retryAfterSeconds());
    } else if (t instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      // The writer's refusal: its failure code is the HTTP status, its message the JSON error body
      // (with "retry_after" when it shed the request).
      status = r.failureCode() >= 400 && r.failureCode() < 600 ? r.failureCode() : 500;
      body = parseOr(r.getMessage(), status);
      Object after = body.getValue("error") instanceof JsonObject error ? error.getValue("retry_after") : null;
      retryAfter(ctx, after instanceof Number n ? n.longValue() : 0);
    } else if (t instanceof ReplyException r) {
      status = 503;
      body = body("unavailable_exception", r.failureType() == ReplyFailure.NO_HANDLERS
          ? "the writer is not reachable (no writer node in the cluster); retry when it is up"
          : "the writer did not answer in time: " + r.getMessage());
    } else if (t == null && ctx.statusCode() == 413) {
      status = 413;
      body = body("request_entity_too_large", "the request body is larger than the configured limit");
    } else if (t == null) {
      status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      body = body(status < 500 ? "illegal_argument_exception" : "internal_error", "HTTP " + status);
    } else {
      status = 500;
      LOG.log(System.Logger.Level.ERROR, "request " + ctx.request().method() + " " + ctx.request().path() + " failed", t);
      body = body("internal_error", t.getClass().getSimpleName() + ": " + t.getMessage());
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (status == 401) {
      // RFC 6750: a 401 names the scheme the caller should use.
      ctx.response().putHeader("www-authenticate", "Bearer realm=\"vecgate\"");
    }
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(shape.apply(status, body).encode());
  }

  private static void retryAfter(RoutingContext ctx, long seconds) {
    if (seconds > 0 && !ctx.response().headWritten()) {
      ctx.response().putHeader("retry-after", String.valueOf(seconds));
    }
  }

  static JsonObject body(String type, String reason) {
    return new JsonObject().put("error", new JsonObject().put("type", type).put("reason", reason));
  }

  private static JsonObject parseOr(String message, int status) {
    try {
      JsonObject o = new JsonObject(message);
      if (o.containsKey("error")) {
        return o;
      }
    } catch (RuntimeException ignored) {
      // not JSON: wrap it below
    }
    return body(status < 500 ? "illegal_argument_exception" : "internal_error", message);
  }
}
