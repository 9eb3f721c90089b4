package io.vecgate.gateway.http;

import io.vecgate.protocol.access.AccessTokens;
import io.vecgate.protocol.bus.Addresses;
import io.vecgate.protocol.writer.WriterHeaders;
import io.vecgate.protocol.writer.SwitchGuard;
import io.vecgate.protocol.writer.WriterOp;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Forwards a request to the writer over the event bus (docs/internals.md, {@code vecgate.writer}):
 * the op, the route's path parameters and the URL parameters as headers, the body as is; the
 * writer's reply status and body go back to the caller unchanged. Each request carries this
 * node's credential for the operation's level (the route checked the caller's before).
 */
final class WriterClient {

  private final Vertx vertx;
  private final long timeoutMillis;
  private final RefreshVisibility visibility;
  private final AccessTokens tokens;

  /** @param visibility waits for refreshed writes to be searchable, or null not to wait (read-only routes) */
  WriterClient(Vertx vertx, long timeoutMillis, RefreshVisibility visibility) {
    this(vertx, timeoutMillis, visibility, AccessTokens.none());
  }

  /** @param tokens the node's tokens: each request carries the lowest that opens its operation's level */
  WriterClient(Vertx vertx, long timeoutMillis, RefreshVisibility visibility, AccessTokens tokens) {
    this.vertx = vertx;
    this.timeoutMillis = timeoutMillis;
    this.visibility = visibility;
    this.tokens = tokens;
  }

  /** A route handler that forwards to {@code op}, allowing the URL parameters {@code params}. */
  Handler<RoutingContext> forward(WriterOp op, Set<String> params) {
    return forward(op, params, reply -> Future.succeededFuture());
  }

  /** As {@link #forward(WriterOp, Set)}, answering the caller only once {@code after} the writer's reply completes. */
  Handler<RoutingContext> forward(WriterOp op, Set<String> params, Function<Message<Buffer>, Future<?>> after) {
    return ctx -> {
      QueryParams.requireOnly(ctx, params);
      DeliveryOptions o = tokens.sign(new DeliveryOptions().setSendTimeout(timeoutMillis + waitMillis(ctx, params))
          .addHeader(WriterHeaders.OP, op.wireName()), op.level());
      for (Map.Entry<String, String> e : ctx.pathParams().entrySet()) {
        o.addHeader(e.getKey(), e.getValue());
      }
      ctx.queryParams().forEach(e -> o.addHeader(WriterHeaders.QUERY_PREFIX + e.getKey(), e.getValue()));
      // ?refresh, ?refresh=true and ?refresh=wait_for publish before answering (the writer refuses other values).
      String refresh = ctx.queryParams().get("refresh");
      boolean refreshes = op == WriterOp.REFRESH || refresh != null && (refresh.isEmpty() || refresh.equals("true")
          || refresh.equals("wait_for"));
      send(RawBody.of(ctx), o)
          .compose(reply -> refreshes && visibility != null ? visible(ctx, reply).map(v -> reply)
              : Future.succeededFuture(reply))
          .compose(reply -> after.apply(reply).map(v -> reply))
          .onSuccess(reply -> {
            String status = reply.headers().get(WriterHeaders.STATUS);
            ctx.response().setStatusCode(status == null ? 200 : Integer.parseInt(status))
                .putHeader("content-type", "application/json").end(reply.body());
          }).onFailure(ctx::fail);
    };
  }

  /** How long the writer may wait on the caller's {@code ?wait=} (an alias switch waiting for readers), else 0. */
  private static long waitMillis(RoutingContext ctx, Set<String> params) {
    String w = ctx.queryParams().get(SwitchGuard.WAIT);
    return w == null || !params.contains(SwitchGuard.WAIT) ? 0 : SwitchGuard.parseWait(w).toMillis();
  }

  /**
   * Waits until the readers serve the version the writer's reply names as holding the request's
   * writes (none before the space's first version: nothing to wait for).
   */
  private Future<Void> visible(RoutingContext ctx, Message<Buffer> reply) {
    String version = reply.headers().get(WriterHeaders.VERSION);
    long v = version == null ? 0 : Long.parseLong(version);
    return v > 0 ? visibility.await(ctx.pathParam("db"), ctx.pathParam("space"), v) : Future.succeededFuture();
  }

  private Future<Message<Buffer>> send(Buffer body, DeliveryOptions o) {
    return vertx.eventBus().request(Addresses.WRITER, body, o);
  }
}
