package io.vecgate.gateway.http;

import io.vecgate.common.cluster.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;

/**
 * Forwards a request to the writer over the event bus (docs/internals.md, {@code vecgate.writer}):
 * the op, the route's path parameters and the URL parameters as headers, the body as is; the
 * writer's reply status and body go back to the caller unchanged.
 */
final class WriterClient {

  private final Vertx vertx;
  private final long timeoutMillis;

  WriterClient(Vertx vertx, long timeoutMillis) {
    this.vertx = vertx;
    this.timeoutMillis = timeoutMillis;
  }

  /** A route handler that forwards to {@code op}, allowing the URL parameters {@code params}. */
  io.vertx.core.Handler<RoutingContext> forward(String op, Set<String> params) {
    return ctx -> {
      QueryParams.requireOnly(ctx, params);
      DeliveryOptions o = new DeliveryOptions().setSendTimeout(timeoutMillis).addHeader("op", op);
      for (Map.Entry<String, String> e : ctx.pathParams().entrySet()) {
        o.addHeader(e.getKey(), e.getValue());
      }
      ctx.queryParams().forEach(e -> o.addHeader("q." + e.getKey(), e.getValue()));
      send(RawBody.of(ctx), o).onSuccess(reply -> {
        String status = reply.headers().get("status");
        ctx.response().setStatusCode(status == null ? 200 : Integer.parseInt(status))
            .putHeader("content-type", "application/json").end(reply.body());
      }).onFailure(ctx::fail);
    };
  }

  Future<Message<Buffer>> send(Buffer body, DeliveryOptions o) {
    return vertx.eventBus().request(Addresses.WRITER, body, o);
  }
}
