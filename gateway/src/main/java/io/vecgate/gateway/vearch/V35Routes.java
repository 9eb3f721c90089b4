package io.vecgate.gateway.vearch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.gateway.catalog.CatalogCache;
import io.vecgate.gateway.http.Errors;
import io.vecgate.gateway.http.RawBody;
import io.vecgate.gateway.http.RouteAccess;
import io.vecgate.protocol.access.AccessLevel;
import io.vecgate.gateway.search.SearchCoordinator;
import io.vecgate.gateway.search.SearchResponses;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.bus.Addresses;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.protocol.reader.Hit;
import io.vecgate.protocol.writer.WriterHeaders;
import io.vecgate.protocol.writer.WriterOp;
import io.vecgate.space.FieldSpec;
import io.vecgate.space.SpaceSchema;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Vearch 3.5 HTTP API on vecgate's two endpoints (docs/api.md, "Vearch 3.5"): databases and
 * spaces under {@code /dbs}, documents under {@code /document}. Reads (search, query, GETs) are on
 * the read endpoint, changes on the write endpoint, as vecgate's own routes. Each request is read
 * by {@link V35Requests} into vecgate's own form, run on the same paths as vecgate's routes (the
 * search coordinator, the writer over the event bus), and answered by {@link V35Replies} in 3.5's
 * shape; errors are {@code {"code": <HTTP status>, "msg": <reason>, "error": {"type", "reason"}}}.
 */
public final class V35Routes {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final Vertx vertx;
  private final RouteAccess access;
  private final CatalogCache catalog;
  private final SearchCoordinator searches;
  private final long writerTimeoutMillis;
  private final RawBody body;
  private final int maxTopK;

  /** @param access declares each route's level and checks it; its tokens sign the requests to the writer */
  public V35Routes(Vertx vertx, RouteAccess access, CatalogCache catalog, SearchCoordinator searches,
                   long writerTimeoutMillis, long maxBodyBytes, int maxTopK) {
    this.vertx = vertx;
    this.access = access;
    this.catalog = catalog;
    this.searches = searches;
    this.writerTimeoutMillis = writerTimeoutMillis;
    this.body = new RawBody(maxBodyBytes);
    this.maxTopK = maxTopK;
  }

  /** The read endpoint's routes: GETs of dbs and spaces, search, query. */
  public void mountReads(Router r, String writeEndpoint) {
    mountCommon(r);
    require(r.post("/document/search"), AccessLevel.READ).handler(this::handleSearch);
    require(r.post("/document/query"), AccessLevel.READ).handler(this::handleQuery);
    access.open(r.route("/document/upsert")).handler(ctx -> wrongEndpoint("a write", writeEndpoint));
    access.open(r.route("/document/delete")).handler(ctx -> wrongEndpoint("a write", writeEndpoint));
  }

  /** The write endpoint's routes: creates and drops of dbs and spaces, upsert, delete (and the same GETs). */
  public void mountWrites(Router r, String readEndpoint) {
    mountCommon(r);
    require(r.post("/dbs/:db"), WriterOp.DB_CREATE).handler(ctx -> forward(ctx, WriterOp.DB_CREATE, Map.of(),
        bytes(F.objectNode().put("name", ctx.pathParam("db")))));
    require(r.delete("/dbs/:db"), WriterOp.DB_DROP).handler(ctx -> forward(ctx, WriterOp.DB_DROP,
        Map.of(WriterHeaders.DB, ctx.pathParam("db")), new byte[0]));
    require(r.post("/dbs/:db/spaces"), WriterOp.SPACE_CREATE).handler(ctx -> forward(ctx, WriterOp.SPACE_CREATE,
        Map.of(WriterHeaders.DB, ctx.pathParam("db")), bytes(V35Requests.space(body(ctx, "the space")))));
    require(r.delete("/dbs/:db/spaces/:space"), WriterOp.SPACE_DROP).handler(ctx -> forward(ctx, WriterOp.SPACE_DROP,
        Map.of(WriterHeaders.DB, ctx.pathParam("db"), WriterHeaders.SPACE, ctx.pathParam("space")), new byte[0]));
    require(r.put("/dbs/:db/spaces/:space"), AccessLevel.ADMIN).handler(ctx -> {
      throw new ApiException(400, "illegal_argument_exception", "PUT /dbs/{db}/spaces/{space}: changing a space "
          + "(its partition_num or fields) is not supported; build a new space with a rebuild (POST /_jobs/rebuild) "
          + "and switch an alias to it");
    });
    require(r.post("/document/upsert"), WriterOp.DOC_BULK).handler(this::handleUpsert);
    require(r.post("/document/delete"), WriterOp.DOC_BULK).handler(this::handleDelete);
    access.open(r.route("/document/search")).handler(ctx -> wrongEndpoint("a read", readEndpoint));
    access.open(r.route("/document/query")).handler(ctx -> wrongEndpoint("a read", readEndpoint));
  }

  /** {@code route}, checked for the level of the writer operation it runs, then its body read. */
  private Route require(Route route, WriterOp op) {
    return require(route, op.level());
  }

  /** {@code route}, checked for {@code level}, then its body read (a refused caller's body is never read). */
  private Route require(Route route, AccessLevel level) {
    return access.require(route, level).handler(body);
  }

  /** The 3.5 error shape for both prefixes, and the GETs both endpoints answer. */
  private void mountCommon(Router r) {
    for (String prefix : List.of("/dbs*", "/document/*")) {
      access.open(r.route(prefix)).failureHandler(V35Routes::fail);
    }
    require(r.get("/dbs"), WriterOp.DB_LIST).handler(ctx -> forward(ctx, WriterOp.DB_LIST, Map.of(), new byte[0]));
    require(r.get("/dbs/:db"), WriterOp.DB_GET).handler(ctx -> forward(ctx, WriterOp.DB_GET,
        Map.of(WriterHeaders.DB, ctx.pathParam("db")), new byte[0]));
    require(r.get("/dbs/:db/spaces"), WriterOp.SPACE_LIST).handler(ctx -> forward(ctx, WriterOp.SPACE_LIST,
        Map.of(WriterHeaders.DB, ctx.pathParam("db")), new byte[0]));
    require(r.get("/dbs/:db/spaces/:space"), WriterOp.SPACE_GET).handler(ctx -> forward(ctx, WriterOp.SPACE_GET,
        Map.of(WriterHeaders.DB, ctx.pathParam("db"), WriterHeaders.SPACE, ctx.pathParam("space")), new byte[0]));
  }

  private static void wrongEndpoint(String what, String endpoint) {
    throw new ApiException(405, "method_not_allowed", "this is " + what + "; send it to " + endpoint);
  }

  private static void fail(RoutingContext ctx) {
    Errors.handle(ctx, (status, body) -> new JsonObject().put("code", status)
        .put("msg", body.getJsonObject("error").getString("reason")).put("error", body.getJsonObject("error")));
  }

  private void handleSearch(RoutingContext ctx) {
    requireNoParams(ctx);
    ObjectNode body = body(ctx, "the search");
    V35Requests.Target t = V35Requests.target(body);
    SpaceSchema schema = catalog.resolve(t.db(), t.space()).schema();
    ObjectNode search = V35Requests.search(body, schema);
    long start = System.nanoTime();
    searches.search(t.db(), t.space(), search, null).recover(V35Routes::in35Terms).onSuccess(o -> {
      long micros = (System.nanoTime() - start) / 1000;
      reply(ctx, V35Replies.ok(V35Replies.search(SearchResponses.render(o, micros / 1000, micros), vectors(schema))));
    }).onFailure(ctx::fail);
  }

  /**
   * A refusal of the translated search as the 3.5 body spells it: vecgate's parser names
   * {@code query.sum[i]} and {@code size}, the caller sent {@code vectors[i]} and {@code limit}.
   */
  private static <T> Future<T> in35Terms(Throwable e) {
    if (e instanceof ApiException a && a.status() < 500) {
      String reason = a.reason();
      if (reason.startsWith("query.sum[")) {
        reason = "vectors[" + reason.substring("query.sum[".length());
      } else if (reason.startsWith("size:")) {
        reason = "limit:" + reason.substring("size:".length());
      } else if (reason.startsWith("retrieval_param")) {
        reason = "index_params" + reason.substring("retrieval_param".length());
      }
      return Future.failedFuture(new ApiException(a.status(), a.type(), reason));
    }
    return Future.failedFuture(e);
  }

  private void handleQuery(RoutingContext ctx) {
    requireNoParams(ctx);
    ObjectNode body = body(ctx, "the query");
    StrictJson.requireOnly(body, "", V35Requests.QUERY);
    V35Requests.Target t = V35Requests.target(body);
    SpaceSchema schema = catalog.resolve(t.db(), t.space()).schema();
    boolean vectorValue = StrictJson.bool(body, "vector_value", "", false);
    Set<String> keep = projection(body.get("fields"), schema);
    matching(t, schema, body, vectorValue, keep).onSuccess(found ->
        reply(ctx, V35Replies.ok(V35Replies.query(found, vectors(schema))))).onFailure(ctx::fail);
  }

  /**
   * The documents a query or delete names: by {@code document_ids} (each fetched, duplicates kept,
   * missing ones left out) or by {@code filters} (an exact scan of the space with the filter, up to
   * {@code limit}); as (id, fields) pairs.
   */
  private Future<List<Map.Entry<String, JsonNode>>> matching(V35Requests.Target t, SpaceSchema schema,
      ObjectNode body, boolean vectorValue, Set<String> keep) {
    List<String> ids = V35Requests.ids(body);
    JsonNode filters = body.get("filters");
    if ((ids == null) == (filters == null)) {
      throw ApiException.badRequest("document_ids, filters: expected exactly one of them, got "
          + (ids == null ? "neither" : "both"));
    }
    if (ids != null) {
      List<Future<Hit>> gets = ids.stream().map(id -> searches.get(t.db(), t.space(), id, vectorValue)).toList();
      return Future.all(gets).map(all -> {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
          Hit h = gets.get(i).result();
          if (h != null) {
            out.add(new AbstractMap.SimpleEntry<>(ids.get(i), project(SearchCoordinator.sourceWithVectors(h), keep)));
          }
        }
        return out;
      });
    }
    // A filter alone: an exact scan with the filter, scored against any vector (the order does not matter).
    FieldSpec vector = schema.fields().stream().filter(FieldSpec::isVector).findFirst().orElseThrow();
    ArrayNode unit = F.arrayNode();
    for (int i = 0; i < vector.dimension(); i++) {
      unit.add(i == 0 ? 1f : 0f);
    }
    ObjectNode scan = F.objectNode();
    ObjectNode query = scan.putObject("query");
    query.putArray("sum").addObject().put("field", vector.name()).set("feature", unit);
    query.set("filter", V35Requests.filters(filters, schema));
    scan.put("size", V35Requests.limit(body, maxTopK)).put("is_brute_search", true).put("vector_value", vectorValue);
    return searches.search(t.db(), t.space(), scan, null).map(o -> {
      List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
      JsonNode rendered = SearchResponses.render(o, 0, 0);
      for (JsonNode h : rendered.path("hits").path("hits")) {
        out.add(new AbstractMap.SimpleEntry<>(h.get("_id").asText(), project(V35Replies.source(h), keep)));
      }
      return out;
    });
  }

  private void handleUpsert(RoutingContext ctx) {
    requireNoParams(ctx);
    ObjectNode body = body(ctx, "the upsert");
    V35Requests.Target t = V35Requests.target(body);
    SpaceSchema schema = catalog.resolve(t.db(), t.space()).schema();
    V35Requests.Bulk bulk = V35Requests.upsert(body, schema);
    bulk(schema, bulk.ndjson()).onSuccess(r -> reply(ctx, V35Replies.ok(V35Replies.upsert(r)))).onFailure(ctx::fail);
  }

  private void handleDelete(RoutingContext ctx) {
    requireNoParams(ctx);
    ObjectNode raw = body(ctx, "the delete");
    StrictJson.requireOnly(raw, "", V35Requests.DELETE);
    ObjectNode body = V35Requests.hoistQuery(raw);
    V35Requests.Target t = V35Requests.target(body);
    SpaceSchema schema = catalog.resolve(t.db(), t.space()).schema();
    matching(t, schema, body, false, null)
        .compose(found -> found.isEmpty()
            ? Future.succeededFuture(V35Replies.ok(F.objectNode().put("total", 0).set("document_ids", F.arrayNode())))
            : bulk(schema, V35Requests.deletes(found.stream().map(Map.Entry::getKey).distinct().toList()))
                .map(r -> V35Replies.ok(V35Replies.delete(r))))
        .onSuccess(r -> reply(ctx, r)).onFailure(ctx::fail);
  }

  /** Sends NDJSON to the writer's {@code doc.bulk} of the space (an alias resolved to it) and parses its answer. */
  private Future<JsonNode> bulk(SpaceSchema schema, byte[] ndjson) {
    return send(WriterOp.DOC_BULK, Map.of(WriterHeaders.DB, schema.db(), WriterHeaders.SPACE, schema.name()), ndjson)
        .map(m -> StrictJson.parseObject(m.body().getBytes(), "the writer's answer"));
  }

  /** Forwards to the writer and answers with its status and body (already {@code {"code", "msg", "data"}}). */
  private void forward(RoutingContext ctx, WriterOp op, Map<String, String> headers, byte[] body) {
    requireNoParams(ctx);
    send(op, headers, body).onSuccess(m -> {
      String status = m.headers().get(WriterHeaders.STATUS);
      ctx.response().setStatusCode(status == null ? 200 : Integer.parseInt(status))
          .putHeader("content-type", "application/json").end(m.body());
    }).onFailure(ctx::fail);
  }

  private Future<io.vertx.core.eventbus.Message<Buffer>> send(WriterOp op, Map<String, String> headers, byte[] body) {
    DeliveryOptions o = access.tokens().sign(new DeliveryOptions().setSendTimeout(writerTimeoutMillis)
        .addHeader(WriterHeaders.OP, op.wireName()), op.level());
    headers.forEach(o::addHeader);
    return vertx.eventBus().request(Addresses.WRITER, Buffer.buffer(body), o);
  }

  /** 3.5 clients add {@code ?timeout=} (milliseconds); vecgate's own deadlines apply, so it is checked and not used. */
  private static void requireNoParams(RoutingContext ctx) {
    for (String name : ctx.queryParams().names()) {
      if (!name.equals("timeout")) {
        throw ApiException.badRequest("URL parameter '" + name + "': unknown; expected none or timeout");
      }
      String v = ctx.queryParams().get(name);
      if (!v.matches("[0-9]{1,10}")) {
        throw ApiException.badRequest("URL parameter 'timeout': expected milliseconds (a whole number), got '" + v + "'");
      }
    }
  }

  private static ObjectNode body(RoutingContext ctx, String what) {
    return StrictJson.parseObject(RawBody.of(ctx).getBytes(), what);
  }

  private static Set<String> vectors(SpaceSchema schema) {
    return schema.fields().stream().filter(FieldSpec::isVector).map(FieldSpec::name).collect(Collectors.toSet());
  }

  /** {@code fields}: the field names to return, checked against the schema; null when absent (all). */
  private static Set<String> projection(JsonNode fields, SpaceSchema schema) {
    if (fields == null) {
      return null;
    }
    if (!fields.isArray()) {
      throw StrictJson.wrongType("fields", "an array of field names", fields);
    }
    Set<String> keep = new HashSet<>();
    for (int i = 0; i < fields.size(); i++) {
      JsonNode f = fields.get(i);
      if (!f.isTextual() || schema.field(f.textValue()) == null) {
        throw ApiException.badRequest("fields[" + i + "]: expected a field of " + schema.name() + " ("
            + schema.fields().stream().map(FieldSpec::name).toList() + "), got " + f);
      }
      keep.add(f.textValue());
    }
    return keep;
  }

  private static JsonNode project(JsonNode source, Set<String> keep) {
    if (keep == null) {
      return source;
    }
    ObjectNode out = F.objectNode();
    source.properties().forEach(e -> {
      if (keep.contains(e.getKey())) {
        out.set(e.getKey(), e.getValue());
      }
    });
    return out;
  }

  private static void reply(RoutingContext ctx, JsonNode body) {
    ctx.response().putHeader("content-type", "application/json").end(Buffer.buffer(bytes(body)));
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return StrictJson.MAPPER.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
