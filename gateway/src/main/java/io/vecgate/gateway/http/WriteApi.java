package io.vecgate.gateway.http;

import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.gateway.GatewayConfig;
import io.vecgate.gateway.catalog.CatalogCache;
import io.vecgate.gateway.readers.ReaderDirectory;
import io.vecgate.protocol.admin.AdminToken;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.writer.WriterOp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import java.util.Set;

/**
 * The write endpoint: dbs and spaces (the Vearch master API of the source texts' era), documents,
 * refresh, aliases (Vearch's current routes, see {@link AliasRoutes}) and rebuild jobs, each change
 * forwarded to the writer.
 */
public final class WriteApi {

  private WriteApi() {}

  public static Router router(Vertx vertx, GatewayConfig config, CatalogCache catalog, ReaderDirectory readers,
      AliasStore aliases) {
    return router(vertx, config, catalog, readers, aliases, AdminToken.off());
  }

  /**
   * @param adminToken when set, the admin routes ({@code /_jobs*}, {@code /_gc}) need
   *     {@code Authorization: Bearer <token>} (401/403 otherwise)
   */
  public static Router router(Vertx vertx, GatewayConfig config, CatalogCache catalog, ReaderDirectory readers,
      AliasStore aliases, AdminToken adminToken) {
    Router r = Router.router(vertx);
    WriterClient w = new WriterClient(vertx, config.writerTimeoutMillis(),
        new RefreshVisibility(vertx, catalog, readers, config.writerTimeoutMillis()), adminToken);
    Set<String> none = Set.of();
    Set<String> refresh = Set.of("refresh");
    String readEndpoint = "http://" + config.host() + ":" + config.readPort();
    r.route().handler(new NoBodyAllowed());
    r.route().handler(new RawBody(config.maxBodyBytes()));

    r.put("/db/_create").handler(w.forward(WriterOp.DB_CREATE, none));
    r.get("/db/_list").handler(w.forward(WriterOp.DB_LIST, none));
    r.get("/list/db").handler(w.forward(WriterOp.DB_LIST, none));
    r.get("/space/:db/_list").handler(w.forward(WriterOp.SPACE_LIST, none));
    r.get("/list/space").handler(w.forward(WriterOp.SPACE_LIST, Set.of("db")));
    r.put("/space/:db/_create").handler(w.forward(WriterOp.SPACE_CREATE, none));
    r.get("/space/:db/:space").handler(w.forward(WriterOp.SPACE_GET, none));
    r.delete("/space/:db/:space").handler(w.forward(WriterOp.SPACE_DROP, none));
    r.get("/db/:db").handler(w.forward(WriterOp.DB_GET, none));
    r.delete("/db/:db").handler(w.forward(WriterOp.DB_DROP, none));

    new AliasRoutes(aliases).mountChanges(r, w);

    io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> admin = ctx -> {
      adminToken.checkBearer(ctx.request().getHeader("Authorization"));
      ctx.next();
    };
    r.route("/_jobs").handler(admin);
    r.route("/_jobs/*").handler(admin);
    r.route("/_gc").handler(admin);
    r.route("/_backup").handler(admin);
    r.post("/_gc").handler(w.forward(WriterOp.GC, none));
    r.post("/_backup").handler(w.forward(WriterOp.BACKUP, none));
    r.post("/_jobs/rebuild").handler(w.forward(WriterOp.JOB_REBUILD, none));
    r.get("/_jobs").handler(w.forward(WriterOp.JOB_LIST, none));
    r.get("/_jobs/:id").handler(w.forward(WriterOp.JOB_GET, none));
    r.delete("/_jobs/:id").handler(w.forward(WriterOp.JOB_CANCEL, none));

    r.route("/:db/:space/_search").handler(ctx -> {
      throw new ApiException(405, "method_not_allowed", "searches go to the read endpoint " + readEndpoint
          + ", not the write endpoint");
    });
    r.post("/:db/:space/_bulk").handler(w.forward(WriterOp.DOC_BULK, refresh));
    r.post("/:db/:space/_refresh").handler(w.forward(WriterOp.REFRESH, none));
    r.post("/:db/:space/_forcemerge").handler(w.forward(WriterOp.SPACE_COMPACT, none));
    r.post("/:db/:space").handler(w.forward(WriterOp.DOC_INDEX, refresh));
    r.post("/:db/:space/:id").handler(w.forward(WriterOp.DOC_INDEX, refresh));
    r.delete("/:db/:space/:id").handler(w.forward(WriterOp.DOC_DELETE, refresh));
    r.get("/:db/:space/:id").handler(ctx -> {
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

  static boolean isWrite(HttpMethod m) {
    return m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.DELETE || m == HttpMethod.PATCH;
  }
}
