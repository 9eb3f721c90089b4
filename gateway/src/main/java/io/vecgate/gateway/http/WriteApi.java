package io.vecgate.gateway.http;

import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.gateway.GatewayConfig;
import io.vecgate.gateway.catalog.CatalogCache;
import io.vecgate.gateway.readers.ReaderDirectory;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.writer.WriterOp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.Set;

/**
 * The write endpoint: dbs and spaces (the Vearch master API of the source texts' era), documents,
 * refresh, aliases (Vearch's current routes, see {@link AliasRoutes}) and rebuild jobs, each change
 * forwarded to the writer. Each route needs a token that opens its operation's level
 * ({@link WriterOp#level()}, checked by {@link RouteAccess} before the body is read).
 */
public final class WriteApi {

  private WriteApi() {}

  /**
   * @param access checks and records each route's level (the gateway's, shared with the read
   *     endpoint); the check runs before the body is read
   */
  public static Router router(Vertx vertx, GatewayConfig config, CatalogCache catalog, ReaderDirectory readers,
      AliasStore aliases, RouteAccess access) {
    Router r = Router.router(vertx);
    WriterClient w = new WriterClient(vertx, config.writerTimeoutMillis(),
        new RefreshVisibility(vertx, catalog, readers, config.writerTimeoutMillis()), access.tokens());
    Set<String> none = Set.of();
    Set<String> refresh = Set.of("refresh");
    String readEndpoint = "http://" + config.host() + ":" + config.readPort();
    r.route().handler(new NoBodyAllowed());
    RawBody body = new RawBody(config.maxBodyBytes());
    // Each route: the check for its operation's level, then the body, then the writer.
    Forward forward = (route, op, params) -> access.require(route, op.level()).handler(body).handler(w.forward(op, params));

    forward.to(r.put("/db/_create"), WriterOp.DB_CREATE, none);
    forward.to(r.get("/db/_list"), WriterOp.DB_LIST, none);
    forward.to(r.get("/list/db"), WriterOp.DB_LIST, none);
    forward.to(r.get("/space/:db/_list"), WriterOp.SPACE_LIST, none);
    forward.to(r.get("/list/space"), WriterOp.SPACE_LIST, Set.of("db"));
    forward.to(r.put("/space/:db/_create"), WriterOp.SPACE_CREATE, none);
    forward.to(r.get("/space/:db/:space"), WriterOp.SPACE_GET, none);
    forward.to(r.delete("/space/:db/:space"), WriterOp.SPACE_DROP, none);
    forward.to(r.get("/db/:db"), WriterOp.DB_GET, none);
    forward.to(r.delete("/db/:db"), WriterOp.DB_DROP, none);

    new AliasRoutes(aliases).mountChanges(r, w, access, body);

    forward.to(r.post("/_gc"), WriterOp.GC, none);
    forward.to(r.post("/_backup"), WriterOp.BACKUP, none);
    forward.to(r.post("/_restore"), WriterOp.RESTORE, none);
    forward.to(r.post("/_jobs/rebuild"), WriterOp.JOB_REBUILD, none);
    forward.to(r.get("/_jobs"), WriterOp.JOB_LIST, none);
    forward.to(r.get("/_jobs/:id"), WriterOp.JOB_GET, none);
    forward.to(r.delete("/_jobs/:id"), WriterOp.JOB_CANCEL, none);

    access.open(r.route("/:db/:space/_search")).handler(ctx -> {
      throw new ApiException(405, "method_not_allowed", "searches go to the read endpoint " + readEndpoint
          + ", not the write endpoint");
    });
    forward.to(r.post("/:db/:space/_bulk"), WriterOp.DOC_BULK, refresh);
    forward.to(r.post("/:db/:space/_refresh"), WriterOp.REFRESH, none);
    forward.to(r.post("/:db/:space/_forcemerge"), WriterOp.SPACE_COMPACT, none);
    forward.to(r.post("/:db/:space"), WriterOp.DOC_INDEX, refresh);
    forward.to(r.post("/:db/:space/:id"), WriterOp.DOC_INDEX, refresh);
    forward.to(r.delete("/:db/:space/:id"), WriterOp.DOC_DELETE, refresh);
    access.open(r.get("/:db/:space/:id")).handler(ctx -> {
      throw new ApiException(405, "method_not_allowed", "documents are read from the read endpoint " + readEndpoint
          + "/" + ctx.pathParam("db") + "/" + ctx.pathParam("space") + "/" + ctx.pathParam("id"));
    });
    r.route().last().handler(ctx -> {
      throw ApiException.notFound("no_handler", "no route " + ctx.request().method() + " " + ctx.request().path()
          + " on the write endpoint");
    });
    r.route().failureHandler(Errors::handle);
    return r;
  }

  /** Mounts a route that forwards to {@code op}. */
  @FunctionalInterface
  private interface Forward {
    void to(Route route, WriterOp op, Set<String> params);
  }

  static boolean isWrite(HttpMethod m) {
    return m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.DELETE || m == HttpMethod.PATCH;
  }
}
