package io.vecgate.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.gateway.GatewayConfig;
import io.vecgate.gateway.readers.ReaderDirectory;
import io.vecgate.gateway.readers.RetryLaterException;
import io.vecgate.gateway.search.SearchCoordinator;
import io.vecgate.gateway.search.SearchResponses;
import io.vecgate.protocol.access.AccessLevel;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.protocol.writer.WriterOp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The read endpoint: {@code _search}, get by id, descriptions of dbs, spaces and aliases, and the
 * cluster's readers. Writes sent here are answered 405 with the write endpoint's address. Every
 * route needs a token that opens reads ({@link RouteAccess}).
 */
public final class ReadApi {

  private final SearchCoordinator searches;
  private final ReaderDirectory readers;
  private final String writeEndpoint;
  private final MeterRegistry meters;

  private ReadApi(SearchCoordinator searches, ReaderDirectory readers, GatewayConfig config, MeterRegistry meters) {
    this.meters = meters;
    this.searches = searches;
    this.readers = readers;
    this.writeEndpoint = "http://" + config.host() + ":" + config.writePort();
  }

  /** @param access checks and records each route's level (the gateway's, shared with the write endpoint) */
  public static Router router(Vertx vertx, GatewayConfig config, SearchCoordinator searches, ReaderDirectory readers,
      AliasStore aliases, MeterRegistry meters, RouteAccess access) {
    ReadApi api = new ReadApi(searches, readers, config, meters);
    WriterClient w = new WriterClient(vertx, config.writerTimeoutMillis(), null, access.tokens());
    Set<String> none = Set.of();
    Router r = Router.router(vertx);
    r.route().handler(new NoBodyAllowed());
    AccessLevel read = AccessLevel.READ;
    access.require(r.post("/:db/:space/_search"), read).handler(new RawBody(config.maxBodyBytes()))
        .handler(api::handleSearch);
    access.require(r.get("/db/_list"), WriterOp.DB_LIST.level()).handler(w.forward(WriterOp.DB_LIST, none));
    access.require(r.get("/list/db"), WriterOp.DB_LIST.level()).handler(w.forward(WriterOp.DB_LIST, none));
    access.require(r.get("/space/:db/_list"), WriterOp.SPACE_LIST.level())
        .handler(w.forward(WriterOp.SPACE_LIST, none));
    access.require(r.get("/list/space"), WriterOp.SPACE_LIST.level())
        .handler(w.forward(WriterOp.SPACE_LIST, Set.of("db")));
    access.require(r.get("/space/:db/:space"), WriterOp.SPACE_GET.level()).handler(w.forward(WriterOp.SPACE_GET, none));
    access.require(r.get("/db/:db"), WriterOp.DB_GET.level()).handler(w.forward(WriterOp.DB_GET, none));
    new AliasRoutes(aliases).mountReads(r, access);
    access.require(r.get("/_cluster/nodes"), read).handler(api::handleNodes);
    access.require(r.get("/:db/:space/:id"), read).handler(api::handleGet);
    r.route().last().handler(api::handleUnknown);
    r.route().failureHandler(Errors::handle);
    return r;
  }

  private void handleSearch(RoutingContext ctx) {
    long start = System.nanoTime();
    QueryParams.requireOnly(ctx, Set.of("size"));
    ObjectNode body = StrictJson.parseObject(RawBody.of(ctx).getBytes(), "_search body", StrictJson.FAST);
    searches.search(ctx.pathParam("db"), ctx.pathParam("space"), body, ctx.queryParams().get("size"))
        .onSuccess(o -> {
          long micros = (System.nanoTime() - start) / 1000;
          JsonNode out = SearchResponses.render(o, micros / 1000, micros);
          ctx.response().putHeader("content-type", "application/json").end(Buffer.buffer(toBytes(out)));
          searchDone(start, "ok", o.query().nq());
        })
        .onFailure(e -> {
          searchDone(start, outcome(e), 0);
          ctx.fail(e);
        });
  }

  /** {@code shed} (429/503 with Retry-After), {@code rejected} (the caller's mistake) or {@code failed}. */
  private static String outcome(Throwable e) {
    if (e instanceof RetryLaterException) {
      return "shed";
    }
    return e instanceof ApiException a && a.status() < 500 ? "rejected" : "failed";
  }

  /**
   * vecgate_search_seconds{outcome=ok|shed|rejected|failed} (latency at the gateway) and
   * vecgate_search_queries_total (query vectors).
   */
  private void searchDone(long startNanos, String outcome, int queries) {
    Timer.builder("vecgate.search").description("searches at the gateway, by outcome").tag("outcome", outcome)
        .register(meters).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    if (queries > 0) {
      meters.counter("vecgate.search.queries").increment(queries);
    }
  }

  /** {@code GET /{db}/{space}/{id}}, with {@code ?vector_value=true} for the vectors in {@code _source}. */
  private void handleGet(RoutingContext ctx) {
    QueryParams.requireOnly(ctx, Set.of("vector_value"));
    boolean vectorValue = QueryParams.flag(ctx, "vector_value");
    String db = ctx.pathParam("db");
    String space = ctx.pathParam("space");
    String id = ctx.pathParam("id");
    searches.get(db, space, id, vectorValue).onSuccess(hit -> {
      JsonObject out = new JsonObject().put("_index", db).put("_type", space).put("_id", id).put("found", hit != null);
      if (hit != null) {
        out.put("_source", new JsonObject(SearchCoordinator.sourceWithVectors(hit).toString()));
      }
      ctx.response().setStatusCode(hit != null ? 200 : 404).putHeader("content-type", "application/json").end(out.encode());
    }).onFailure(ctx::fail);
  }

  private void handleNodes(RoutingContext ctx) {
    ctx.json(new JsonObject().put("readers", readers.describe()));
  }

  private void handleUnknown(RoutingContext ctx) {
    if (WriteApi.isWrite(ctx.request().method())) {
      throw new ApiException(405, "method_not_allowed", ctx.request().method() + " " + ctx.request().path()
          + " is a write; send it to the write endpoint " + writeEndpoint + ctx.request().uri());
    }
    throw ApiException.notFound("no_handler", "no route " + ctx.request().method() + " " + ctx.request().path()
        + " on the read endpoint");
  }

  private static byte[] toBytes(JsonNode n) {
    try {
      return StrictJson.MAPPER.writeValueAsBytes(n);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
