package io.vecgate.gateway.http;

import io.vecgate.protocol.api.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Collects a request body as raw bytes, whatever its content type, up to a limit (413 above).
 *
 * <p>Why not vertx-web's BodyHandler: it decodes {@code application/x-www-form-urlencoded}
 * bodies as forms, and that is the content type {@code curl -d} sends, so every Vearch script
 * written with curl would have its JSON body parsed as a form (and a large one fail).
 */
public final class RawBody implements Handler<RoutingContext> {

  private static final String KEY = "vecgate.body";

  private final long limit;

  public RawBody(long limit) {
    this.limit = limit;
  }

  /** The body collected for {@code ctx} (empty when there was none). */
  public static Buffer of(RoutingContext ctx) {
    Buffer b = ctx.get(KEY);
    return b == null ? Buffer.buffer() : b;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    String declared = req.getHeader("content-length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.trim()) > limit) {
          ctx.fail(tooLarge(Long.parseLong(declared.trim())));
          return;
        }
      } catch (NumberFormatException e) {
        ctx.fail(ApiException.badRequest("content-length: expected a number of bytes, got '" + declared + "'"));
        return;
      }
    }
    Buffer body = Buffer.buffer();
    boolean[] failed = {false};
    req.handler(chunk -> {
      if (failed[0]) {
        return;
      }
      if (body.length() + chunk.length() > limit) {
        failed[0] = true;
        ctx.fail(tooLarge(body.length() + chunk.length()));
        return;
      }
      body.appendBuffer(chunk);
    });
    req.endHandler(v -> {
      if (!failed[0]) {
        ctx.put(KEY, body);
        ctx.next();
      }
    });
    req.exceptionHandler(e -> {
      if (!failed[0]) {
        failed[0] = true;
        ctx.fail(e);
      }
    });
    req.resume();
  }

  private ApiException tooLarge(long size) {
    return ApiException.tooLarge("the request body is " + (size > limit ? "over " : "") + limit
        + " bytes, the configured limit (max-body-bytes); got at least " + size);
  }
}
