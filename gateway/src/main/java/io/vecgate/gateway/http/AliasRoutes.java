package io.vecgate.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.coordination.alias.Alias;
import io.vecgate.coordination.alias.AliasErrors;
import io.vecgate.coordination.alias.AliasJson;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.protocol.access.AccessLevel;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.protocol.writer.SwitchGuard;
import io.vecgate.protocol.writer.WriterHeaders;
import io.vecgate.protocol.writer.WriterOp;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * The alias routes (Vearch's current API, plus a rollback): reads answer straight from the alias
 * store (from this gateway's local copy while the store is unreachable), on both endpoints;
 * changes go to the writer, which checks them and makes them in the store, and are answered once
 * this gateway's local copy has them, so that a search right after the answer uses the new
 * target.
 *
 * <pre>
 * POST   /alias/{alias}/dbs/{db}/spaces/{space}   create           (write endpoint, admin)
 * PUT    /alias/{alias}/dbs/{db}/spaces/{space}   switch (atomic)  (write endpoint, admin) [?wait=30s] [?force=true]
 * POST   /alias/{alias}/_rollback                 back to the previous target (write endpoint, admin) [?wait] [?force]
 * DELETE /alias/{alias}                           delete           (write endpoint, admin)
 * GET    /alias/{alias}, GET /alias               read             (both endpoints, read)
 * </pre>
 *
 * A switch or rollback is refused with 409 while a live reader of the target's partitions has
 * not loaded and warmed it; {@code ?wait=} waits for them (the gateway's answer waits as long),
 * {@code ?force=true} switches anyway.
 */
final class AliasRoutes {

  private static final System.Logger LOG = System.getLogger(AliasRoutes.class.getName());

  private final AliasStore aliases;

  AliasRoutes(AliasStore aliases) {
    this.aliases = aliases;
  }

  void mountReads(Router r, RouteAccess access) {
    access.require(r.get("/alias"), AccessLevel.READ).handler(this::list);
    access.require(r.get("/alias/:alias"), AccessLevel.READ).handler(this::get);
  }

  /** @param body reads the request body (after the access check) */
  void mountChanges(Router r, WriterClient writer, RouteAccess access, Handler<RoutingContext> body) {
    Set<String> none = Set.of();
    // ?wait=30s waits for the readers to serve the target, ?force=true switches anyway (the writer checks both).
    Set<String> guarded = Set.of(SwitchGuard.WAIT, SwitchGuard.FORCE);
    access.require(r.post("/alias/:alias/dbs/:db/spaces/:space"), WriterOp.ALIAS_CREATE.level()).handler(body)
        .handler(writer.forward(WriterOp.ALIAS_CREATE, none, this::synced));
    access.require(r.put("/alias/:alias/dbs/:db/spaces/:space"), WriterOp.ALIAS_SWITCH.level()).handler(body)
        .handler(writer.forward(WriterOp.ALIAS_SWITCH, guarded, this::synced));
    access.require(r.post("/alias/:alias/_rollback"), WriterOp.ALIAS_ROLLBACK.level()).handler(body)
        .handler(writer.forward(WriterOp.ALIAS_ROLLBACK, guarded, this::synced));
    access.require(r.delete("/alias/:alias"), WriterOp.ALIAS_DELETE.level()).handler(body)
        .handler(writer.forward(WriterOp.ALIAS_DELETE, none, this::synced));
    mountReads(r, access);
  }

  /**
   * Brings the local copy up to the change the writer made (its revision is in the reply). The
   * change is made whatever happens here: a store that became unreachable meanwhile delays only
   * this gateway's copy (it re-reads on reconnect), so the caller still gets the writer's answer.
   */
  private Future<?> synced(Message<Buffer> reply) {
    String revision = reply.headers().get(WriterHeaders.ALIAS_REVISION);
    if (revision == null) {
      return Future.succeededFuture();
    }
    return aliases.sync(Long.parseLong(revision)).otherwise(e -> {
      LOG.log(System.Logger.Level.WARNING, "alias revision " + revision + " is made but not yet in this gateway's copy: "
          + e.getMessage());
      return null;
    });
  }

  private void get(RoutingContext ctx) {
    QueryParams.requireOnly(ctx, Set.of());
    String name = ctx.pathParam("alias");
    aliases.get(name)
        .recover(e -> unreachable(e) ? Future.succeededFuture(aliases.local().get(name)) : Future.failedFuture(e))
        .map(a -> a.filter(Alias::serves).orElseThrow(() -> AliasErrors.notFound(name)))
        .onSuccess(a -> answer(ctx, AliasJson.api(a)))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    QueryParams.requireOnly(ctx, Set.of());
    aliases.list()
        .recover(e -> unreachable(e) ? Future.succeededFuture(aliases.local().all()) : Future.<List<Alias>>failedFuture(e))
        .onSuccess(all -> answer(ctx, AliasJson.apiList(all)))
        .onFailure(ctx::fail);
  }

  private static boolean unreachable(Throwable e) {
    return e instanceof ApiException a && AliasErrors.UNAVAILABLE.equals(a.type());
  }

  /** {@code {"code":0,"msg":"success","data":data}}, as the writer answers the alias routes. */
  private static void answer(RoutingContext ctx, JsonNode data) {
    ObjectNode o = StrictJson.MAPPER.createObjectNode();
    o.put("code", 0).put("msg", "success").set("data", data);
    try {
      ctx.response().putHeader("content-type", "application/json").end(Buffer.buffer(StrictJson.MAPPER.writeValueAsBytes(o)));
    } catch (JsonProcessingException e) {
      ctx.fail(e);
    }
  }
}
