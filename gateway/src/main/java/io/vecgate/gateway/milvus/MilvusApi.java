package io.vecgate.gateway.milvus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vecgate.coordination.alias.Alias;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.gateway.catalog.CatalogCache;
import io.vecgate.gateway.catalog.CatalogView.SpaceEntry;
import io.vecgate.gateway.http.RefreshVisibility;
import io.vecgate.gateway.milvus.MilvusCollections.Collection;
import io.vecgate.milvus.proto.*;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.protocol.reader.Filter;
import io.vecgate.protocol.reader.Hit;
import io.vecgate.protocol.writer.WriterHeaders;
import io.vecgate.protocol.writer.WriterOp;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The methods of {@code milvus.proto.milvus.MilvusService} that vecgate serves ({@link #METHODS}), each a thin
 * translation onto the gateway's read path ({@link MilvusReads}: searches and queries through the
 * SearchCoordinator) and write path ({@link WriterBus}: the writer's operations on the event bus). Every answer
 * carries Milvus's in-band status ({@link MilvusStatus}); a failure never escapes as a gRPC error. Which
 * collection a name means is the catalog's answer (a collection or an alias of the db), as on the HTTP API.
 *
 * <p>Consistency: a search or query at level Strong or Session (asked for, or the collection's default) first
 * refreshes the space and waits until the readers serve the version holding every acknowledged write; Bounded
 * and Eventually read what the readers serve (the writer refreshes every second by default).
 */
final class MilvusApi extends MilvusServiceService {

  static final String DEFAULT_DB = "default";
  /** What GetVersion answers: the Milvus release whose API this is. */
  static final String VERSION = "v2.6.0";

  private final CatalogCache catalog;
  private final AliasStore aliases;
  private final WriterBus writer;
  private final RefreshVisibility visibility;
  private final MilvusReads reads;
  private final MilvusClock clock = new MilvusClock();
  private final boolean standalone;

  MilvusApi(CatalogCache catalog, AliasStore aliases, WriterBus writer, RefreshVisibility visibility, MilvusReads reads,
            boolean standalone) {
    this.catalog = catalog;
    this.aliases = aliases;
    this.writer = writer;
    this.visibility = visibility;
    this.reads = reads;
    this.standalone = standalone;
  }

  private static String db(String db) {
    return db == null || db.isEmpty() ? DEFAULT_DB : db;
  }

  /** Runs {@code call}, turning what it throws or fails with into the answer {@code onError} makes. */
  private static <T> Future<T> guarded(Supplier<Future<T>> call, java.util.function.Function<Status, T> onError) {
    Future<T> f;
    try {
      f = call.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.recover(e -> Future.succeededFuture(onError.apply(MilvusStatus.of(e))));
  }

  private static Future<Status> status(Supplier<Future<?>> call) {
    return guarded(() -> call.get().map(v -> MilvusStatus.OK), s -> s);
  }

  private Collection resolve(String db, String name) {
    if (name == null || name.isEmpty()) {
      throw ApiException.badRequest("collection_name: required");
    }
    try {
      return Collection.of(catalog.resolve(db, name).schema());
    } catch (ApiException e) {
      // Milvus always has the db "default"; vecgate makes it with the first collection.
      if (e.type().equals("db_not_exists") && db.equals(DEFAULT_DB)) {
        throw ApiException.notFound("space_not_exists", "collection not found[database=default][collection=" + name + "]");
      }
      throw e;
    }
  }

  // ---- connection and server ----

  @Override
  public Future<ConnectResponse> connect(ConnectRequest request) {
    ServerInfo info = ServerInfo.newBuilder().setBuildTags(VERSION).setDeployMode(standalone ? "STANDALONE" : "CLUSTER")
        .putReserved("server", "vecgate").build();
    return Future.succeededFuture(ConnectResponse.newBuilder().setStatus(MilvusStatus.OK).setServerInfo(info)
        .setIdentifier(clock.next() & 0x7fffffffL).build());
  }

  @Override
  public Future<GetVersionResponse> getVersion(GetVersionRequest request) {
    return Future.succeededFuture(GetVersionResponse.newBuilder().setStatus(MilvusStatus.OK).setVersion(VERSION).build());
  }

  @Override
  public Future<CheckHealthResponse> checkHealth(CheckHealthRequest request) {
    boolean healthy = catalog.view().revision() >= 0;
    CheckHealthResponse.Builder b = CheckHealthResponse.newBuilder().setStatus(MilvusStatus.OK).setIsHealthy(healthy);
    if (!healthy) {
      b.addReasons("waiting for the writer's catalog");
    }
    return Future.succeededFuture(b.build());
  }

  @Override
  public Future<AllocTimestampResponse> allocTimestamp(AllocTimestampRequest request) {
    return Future.succeededFuture(AllocTimestampResponse.newBuilder().setStatus(MilvusStatus.OK)
        .setTimestamp(clock.next()).build());
  }

  @Override
  public Future<ListDatabasesResponse> listDatabases(ListDatabasesRequest request) {
    return guarded(() -> writer.call(WriterOp.DB_LIST, Map.of(), Buffer.buffer()).map(r -> {
      Set<String> names = new LinkedHashSet<>();
      names.add(DEFAULT_DB);
      r.body().path("data").forEach(d -> names.add(d.isTextual() ? d.asText() : d.path("name").asText()));
      return ListDatabasesResponse.newBuilder().setStatus(MilvusStatus.OK).addAllDbNames(names).build();
    }), s -> ListDatabasesResponse.newBuilder().setStatus(s).build());
  }

  // ---- collections ----

  @Override
  public Future<Status> createCollection(CreateCollectionRequest request) {
    return status(() -> {
      String db = db(request.getDbName());
      CollectionSchema schema;
      try {
        schema = CollectionSchema.parseFrom(request.getSchema());
      } catch (InvalidProtocolBufferException e) {
        throw ApiException.badRequest("schema: not a CollectionSchema message: " + e.getMessage());
      }
      if (!schema.getName().isEmpty() && !schema.getName().equals(request.getCollectionName())) {
        throw ApiException.badRequest("schema.name: '" + schema.getName() + "' differs from collection_name '"
            + request.getCollectionName() + "'");
      }
      ObjectNode body = MilvusCollections.spaceBody(request.getCollectionName(), schema, request.getShardsNum(),
          request.getConsistencyLevel(), clock.next());
      return ensureDb(db).compose(v -> createSpace(db, body));
    });
  }

  private Future<Void> ensureDb(String db) {
    if (catalog.view().spaces().anyMatch(e -> e.schema().db().equals(db))) {
      return Future.succeededFuture();
    }
    return writer.call(WriterOp.DB_CREATE, Map.of(), json(StrictJson.MAPPER.createObjectNode().put("name", db)))
        .<Void>mapEmpty()
        .recover(e -> e instanceof ApiException a && a.status() == 409 ? Future.succeededFuture() : Future.failedFuture(e));
  }

  /** Creates the space and waits for this gateway's catalog to have it (the SDK describes it right after). */
  private Future<Void> createSpace(String db, ObjectNode body) {
    return writer.call(WriterOp.SPACE_CREATE, Map.of(WriterHeaders.DB, db), json(body))
        .compose(r -> catalog.refresh()).mapEmpty();
  }

  @Override
  public Future<Status> dropCollection(DropCollectionRequest request) {
    return status(() -> {
      String db = db(request.getDbName());
      return writer.call(WriterOp.SPACE_DROP, Map.of(WriterHeaders.DB, db, WriterHeaders.SPACE,
              request.getCollectionName()), Buffer.buffer())
          .<Object>map(r -> r)
          // Dropping a collection that does not exist succeeds, as in Milvus.
          .recover(e -> e instanceof ApiException a && a.status() == 404 ? Future.succeededFuture() : Future.failedFuture(e))
          .compose(v -> catalog.refresh());
    });
  }

  @Override
  public Future<BoolResponse> hasCollection(HasCollectionRequest request) {
    return guarded(() -> {
      boolean has;
      try {
        resolve(db(request.getDbName()), request.getCollectionName());
        has = true;
      } catch (ApiException e) {
        if (e.status() != 404) {
          throw e;
        }
        has = false;
      }
      return Future.succeededFuture(BoolResponse.newBuilder().setStatus(MilvusStatus.OK).setValue(has).build());
    }, s -> BoolResponse.newBuilder().setStatus(s).build());
  }

  @Override
  public Future<DescribeCollectionResponse> describeCollection(DescribeCollectionRequest request) {
    return guarded(() -> {
      String db = db(request.getDbName());
      Collection c = resolve(db, request.getCollectionName());
      List<String> names = aliasesOf(db, c.space().name());
      return Future.succeededFuture(DescribeCollectionResponse.newBuilder().setStatus(MilvusStatus.OK)
          .setSchema(MilvusCollections.describe(c, db)).setCollectionID(collectionId(db, c.space().name()))
          .setCollectionName(c.space().name()).setDbName(db).setShardsNum(c.space().partitionNum())
          .setNumPartitions(1).setConsistencyLevel(c.consistency()).addAllAliases(names)
          .setCreatedTimestamp(c.created()).setCreatedUtcTimestamp(c.created() >>> 18)
          .setUpdateTimestamp(c.created()).addVirtualChannelNames(c.space().name() + "_v0")
          .addPhysicalChannelNames(c.space().name()).build());
    }, s -> DescribeCollectionResponse.newBuilder().setStatus(s).build());
  }

  /** A stable positive id for a collection (Milvus clients show and cache it). */
  private static long collectionId(String db, String space) {
    long h = 1125899906842597L;
    for (char ch : (db + "/" + space).toCharArray()) {
      h = 31 * h + ch;
    }
    return h & Long.MAX_VALUE;
  }

  private List<String> aliasesOf(String db, String space) {
    return aliases.local().all().stream().filter(Alias::serves)
        .filter(a -> a.serving().db().equals(db) && a.serving().space().equals(space)).map(Alias::name).sorted().toList();
  }

  @Override
  public Future<ShowCollectionsResponse> showCollections(ShowCollectionsRequest request) {
    return guarded(() -> {
      String db = db(request.getDbName());
      ShowCollectionsResponse.Builder b = ShowCollectionsResponse.newBuilder().setStatus(MilvusStatus.OK);
      catalog.view().spaces().filter(e -> e.schema().db().equals(db)).map(e -> e.schema().name()).sorted()
          .forEach(n -> b.addCollectionNames(n).addCollectionIds(collectionId(db, n)).addCreatedTimestamps(0)
              .addCreatedUtcTimestamps(0).addInMemoryPercentages(100).addQueryServiceAvailable(true).addShardsNum(1));
      return Future.succeededFuture(b.build());
    }, s -> ShowCollectionsResponse.newBuilder().setStatus(s).build());
  }

  @Override
  public Future<GetCollectionStatisticsResponse> getCollectionStatistics(GetCollectionStatisticsRequest request) {
    return guarded(() -> {
      String db = db(request.getDbName());
      Collection c = resolve(db, request.getCollectionName());
      return writer.call(WriterOp.SPACE_GET, Map.of(WriterHeaders.DB, db, WriterHeaders.SPACE, c.space().name()),
          Buffer.buffer()).map(r -> GetCollectionStatisticsResponse.newBuilder().setStatus(MilvusStatus.OK)
          .addStats(KeyValuePair.newBuilder().setKey("row_count")
              .setValue(String.valueOf(r.body().path("data").path("doc_num").asLong()))).build());
    }, s -> GetCollectionStatisticsResponse.newBuilder().setStatus(s).build());
  }

  // ---- loading: vecgate's readers load every published version by themselves ----

  @Override
  public Future<Status> loadCollection(LoadCollectionRequest request) {
    return status(() -> Future.succeededFuture(resolve(db(request.getDbName()), request.getCollectionName())));
  }

  @Override
  public Future<Status> releaseCollection(ReleaseCollectionRequest request) {
    return status(() -> Future.succeededFuture(resolve(db(request.getDbName()), request.getCollectionName())));
  }

  @Override
  public Future<GetLoadStateResponse> getLoadState(GetLoadStateRequest request) {
    return guarded(() -> {
      LoadState state;
      try {
        resolve(db(request.getDbName()), request.getCollectionName());
        state = LoadState.LoadStateLoaded;
      } catch (ApiException e) {
        if (e.status() != 404) {
          throw e;
        }
        state = LoadState.LoadStateNotExist;
      }
      return Future.succeededFuture(GetLoadStateResponse.newBuilder().setStatus(MilvusStatus.OK).setState(state).build());
    }, s -> GetLoadStateResponse.newBuilder().setStatus(s).build());
  }

  @Override
  public Future<GetLoadingProgressResponse> getLoadingProgress(GetLoadingProgressRequest request) {
    return guarded(() -> {
      resolve(db(request.getDbName()), request.getCollectionName());
      return Future.succeededFuture(GetLoadingProgressResponse.newBuilder().setStatus(MilvusStatus.OK).setProgress(100)
          .setRefreshProgress(100).build());
    }, s -> GetLoadingProgressResponse.newBuilder().setStatus(s).build());
  }

  // ---- the index ----

  /**
   * The index of a vecgate space is fixed when the space is made. A collection starts with AUTOINDEX (HNSW,
   * COSINE); CreateIndex on a collection with no documents yet re-creates its space with the index asked for;
   * once it holds documents, only the index it has is accepted (asking again is idempotent).
   */
  @Override
  public Future<Status> createIndex(CreateIndexRequest request) {
    return status(() -> {
      String db = db(request.getDbName());
      Collection c = resolve(db, request.getCollectionName());
      if (!request.getFieldName().equals(c.vectorField())) {
        throw ApiException.badRequest("field_name: vecgate indexes the vector field '" + c.vectorField()
            + "' (scalar fields are always filterable), got '" + request.getFieldName() + "'");
      }
      Map<String, String> params = MilvusCollections.indexParams(request.getExtraParamsList());
      String type = params.getOrDefault("index_type", MilvusCollections.DEFAULT_INDEX);
      String metric = params.getOrDefault("metric_type", MilvusCollections.DEFAULT_METRIC);
      ObjectNode engine = MilvusCollections.engine(type, metric, params);
      String indexName = request.getIndexName().isEmpty() ? c.vectorField() : request.getIndexName();
      String existing = c.meta().path("index").path("name").asText(null);
      if (existing != null && !existing.equals(indexName)) {
        throw ApiException.badRequest("index_name: at most one distinct index is allowed per field; '"
            + c.vectorField() + "' has the index '" + existing + "', got '" + indexName + "'");
      }
      ObjectNode body = c.space().body().deepCopy();
      body.set("engine", engine);
      ObjectNode meta = c.meta().deepCopy();
      ObjectNode index = meta.putObject("index").put("name", indexName).put("type", type.toUpperCase())
          .put("metric", metric.toUpperCase());
      ObjectNode p = index.putObject("params");
      params.forEach((k, v) -> {
        if (!k.equals("index_type") && !k.equals("metric_type")) {
          p.put(k, v);
        }
      });
      body.set("milvus", meta);
      if (body.equals(c.space().body())) {
        return Future.succeededFuture();
      }
      Map<String, String> where = Map.of(WriterHeaders.DB, db, WriterHeaders.SPACE, c.space().name());
      return writer.call(WriterOp.SPACE_GET, where, Buffer.buffer()).compose(r -> {
        JsonNode d = r.body().path("data");
        if (d.path("doc_num").asLong() > 0 || d.path("buffered").asLong() > 0) {
          if (body.get("engine").equals(c.space().body().get("engine"))) {
            return Future.succeededFuture();
          }
          return Future.failedFuture(ApiException.badRequest("collection '" + c.space().name() + "' already holds "
              + "documents indexed as " + MilvusCollections.milvusIndexType(c.space()) + "/"
              + MilvusCollections.milvusMetric(c.space().engine().metricName())
              + "; vecgate fixes a collection's index when documents arrive: create the index before inserting"));
        }
        return writer.call(WriterOp.SPACE_DROP, where, Buffer.buffer()).compose(x -> createSpace(db, body));
      });
    });
  }

  @Override
  public Future<DescribeIndexResponse> describeIndex(DescribeIndexRequest request) {
    return guarded(() -> {
      String db = db(request.getDbName());
      Collection c = resolve(db, request.getCollectionName());
      JsonNode index = c.meta().path("index");
      if (index.isMissingNode()) {
        // Every space has its index: before any CreateIndex (or after one that kept the index of a collection
        // holding documents), the one it was made with, under whatever name is asked for.
        index = StrictJson.MAPPER.createObjectNode()
            .put("name", request.getIndexName().isEmpty() ? c.vectorField() : request.getIndexName())
            .put("type", MilvusCollections.milvusIndexType(c.space()))
            .put("metric", MilvusCollections.milvusMetric(c.space().engine().metricName()));
      }
      if (!request.getIndexName().isEmpty()
          && !request.getIndexName().equals(index.path("name").asText())) {
        return Future.succeededFuture(DescribeIndexResponse.newBuilder().setStatus(MilvusStatus.error(
            MilvusStatus.INDEX_NOT_FOUND, "index not found[collection=" + c.space().name() + "]")).build());
      }
      JsonNode found = index;
      IndexDescription.Builder d = IndexDescription.newBuilder().setIndexName(found.path("name").asText())
          .setIndexID(collectionId(db, c.space().name() + "#index")).setFieldName(c.vectorField())
          .setState(IndexState.Finished)
          .addParams(kv("index_type", found.path("type").asText()))
          .addParams(kv("metric_type", found.path("metric").asText()))
          .addParams(kv("params", found.path("params").isMissingNode() ? "{}" : found.path("params").toString()));
      return Future.succeededFuture(DescribeIndexResponse.newBuilder().setStatus(MilvusStatus.OK)
          .addIndexDescriptions(d).build());
    }, s -> DescribeIndexResponse.newBuilder().setStatus(s).build());
  }

  private static KeyValuePair kv(String k, String v) {
    return KeyValuePair.newBuilder().setKey(k).setValue(v).build();
  }

  // ---- writes ----

  @Override
  public Future<MutationResult> insert(InsertRequest request) {
    return write(request.getDbName(), request.getCollectionName(), request.getFieldsDataList(), request.getNumRows(),
        false);
  }

  @Override
  public Future<MutationResult> upsert(UpsertRequest request) {
    if (request.getPartialUpdate()) {
      return Future.succeededFuture(MutationResult.newBuilder()
          .setStatus(MilvusStatus.invalid("partial_update: not supported; send every field")).build());
    }
    return write(request.getDbName(), request.getCollectionName(), request.getFieldsDataList(), request.getNumRows(),
        true);
  }

  private Future<MutationResult> write(String dbName, String name, List<FieldData> columns, int rows, boolean upsert) {
    return guarded(() -> {
      String db = db(dbName);
      Collection c = resolve(db, name);
      if (upsert && c.autoId()) {
        throw ApiException.badRequest("upsert: the collection's primary key is auto_id; use insert");
      }
      MilvusRows.Bulk bulk = MilvusRows.toBulk(c, columns, rows, clock::next);
      return writer.call(WriterOp.DOC_BULK, Map.of(WriterHeaders.DB, db, WriterHeaders.SPACE, c.space().name()),
          bulk.ndjson()).map(r -> {
            MutationResult.Builder b = MutationResult.newBuilder().setIDs(MilvusRows.ids(c, bulk.ids()));
            List<String> errors = new ArrayList<>();
            JsonNode items = r.body().path("items");
            for (int i = 0; i < items.size(); i++) {
              JsonNode item = items.get(i).path("index");
              if (item.path("status").asInt(200) >= 300) {
                b.addErrIndex(i);
                errors.add(item.path("error").path("reason").asText(item.path("error").toString()));
              } else {
                b.addSuccIndex(i);
              }
            }
            int ok = b.getSuccIndexCount();
            b.setTimestamp(clock.next());
            if (upsert) {
              b.setUpsertCnt(ok);
            } else {
              b.setInsertCnt(ok);
            }
            b.setStatus(errors.isEmpty() ? MilvusStatus.OK : MilvusStatus.invalid(errors.size() + " rows refused, the "
                + "first: " + errors.getFirst()));
            return b.build();
          });
    }, s -> MutationResult.newBuilder().setStatus(s).build());
  }

  @Override
  public Future<MutationResult> delete(DeleteRequest request) {
    return guarded(() -> {
      String db = db(request.getDbName());
      Collection c = resolve(db, request.getCollectionName());
      if (request.getExpr().isBlank()) {
        throw ApiException.badRequest("expr: a delete needs a filter (ids or an expression)");
      }
      List<List<Filter>> conj = MilvusExpr.toFilters(request.getExpr(), c.space(), c.boolFields(),
          MilvusParams.templates(request.getExprTemplateValuesMap()));
      List<String> keys = MilvusExprKeys.primaryKeys(conj, c.primaryKey());
      String space = c.space().name();
      Future<List<String>> deleted = keys != null ? deleteIds(db, space, keys).map(v -> keys)
          : consistent(db, c, request.getConsistencyLevel(), false)
              .compose(v -> unpublished(db, space) ? Future.succeededFuture(List.<String>of())
                  : deleteMatching(c, db, conj, new ArrayList<>(), 0));
      return deleted.map(list -> MutationResult.newBuilder().setStatus(MilvusStatus.OK)
          .setIDs(MilvusRows.ids(c, list)).setDeleteCnt(list.size()).setTimestamp(clock.next()).build());
    }, s -> MutationResult.newBuilder().setStatus(s).build());
  }

  /**
   * Deletes every document the filter matches, a search's worth ({@code --max-top-k}) at a time: after a full
   * batch the space is refreshed and searched again, until a batch comes back short.
   */
  private Future<List<String>> deleteMatching(Collection c, String db, List<List<Filter>> conj, List<String> done,
                                              int round) {
    String space = c.space().name();
    return reads.query(c, db, space, reads.maxTopK(), conj, List.of()).compose(hits -> {
      List<String> ids = hits.stream().map(Hit::getId).toList();
      Future<Void> d = ids.isEmpty() ? Future.succeededFuture() : deleteIds(db, space, ids);
      return d.compose(v -> {
        done.addAll(ids);
        if (ids.size() < reads.maxTopK() || round >= 1000) {
          return Future.succeededFuture(done);
        }
        return refreshed(db, space).compose(x -> deleteMatching(c, db, conj, done, round + 1));
      });
    });
  }

  /** One {@code _bulk} of delete lines. */
  private Future<Void> deleteIds(String db, String space, List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    StringBuilder nd = new StringBuilder();
    for (String id : ids) {
      ObjectNode line = StrictJson.MAPPER.createObjectNode();
      line.putObject("delete").put("_id", id);
      nd.append(line).append('\n');
    }
    return writer.call(WriterOp.DOC_BULK, Map.of(WriterHeaders.DB, db, WriterHeaders.SPACE, space),
        Buffer.buffer(nd.toString())).mapEmpty();
  }

  @Override
  public Future<FlushResponse> flush(FlushRequest request) {
    return guarded(() -> {
      String db = db(request.getDbName());
      List<Future<?>> all = new ArrayList<>();
      FlushResponse.Builder b = FlushResponse.newBuilder().setStatus(MilvusStatus.OK).setDbName(db);
      long ts = clock.next();
      for (String name : request.getCollectionNamesList()) {
        Collection c = resolve(db, name);
        all.add(refreshed(db, c.space().name()));
        b.putCollSegIDs(name, LongArray.getDefaultInstance()).putFlushCollSegIDs(name, LongArray.getDefaultInstance())
            .putCollSealTimes(name, ts >>> 18).putCollFlushTs(name, ts);
      }
      return Future.all(all).map(v -> b.build());
    }, s -> FlushResponse.newBuilder().setStatus(s).build());
  }

  @Override
  public Future<GetFlushStateResponse> getFlushState(GetFlushStateRequest request) {
    // A flush answers once its writes are searchable: whatever was flushed is flushed.
    return Future.succeededFuture(GetFlushStateResponse.newBuilder().setStatus(MilvusStatus.OK).setFlushed(true).build());
  }

  /** Publishes the space's acknowledged writes and waits until this gateway's readers serve them. */
  private Future<Void> refreshed(String db, String space) {
    return writer.call(WriterOp.REFRESH, Map.of(WriterHeaders.DB, db, WriterHeaders.SPACE, space), Buffer.buffer())
        .compose(r -> r.version() > 0 ? visibility.await(db, space, r.version()) : Future.succeededFuture());
  }

  private Future<Void> consistent(String db, Collection c, ConsistencyLevel asked, boolean useDefault) {
    ConsistencyLevel level = useDefault ? c.consistency() : asked;
    return level == ConsistencyLevel.Strong || level == ConsistencyLevel.Session ? refreshed(db, c.space().name())
        : Future.succeededFuture();
  }

  // ---- reads ----

  @Override
  public Future<SearchResults> search(SearchRequest request) {
    long start = System.nanoTime();
    return guarded(() -> Future.<Void>succeededFuture().compose(v -> searchNow(request)).andThen(r -> reads.searched(start, r.cause(),
        r.succeeded() ? (int) r.result().getResults().getNumQueries() : 0)),
        s -> SearchResults.newBuilder().setStatus(s).build());
  }

  private Future<SearchResults> searchNow(SearchRequest request) {
      String db = db(request.getDbName());
      Collection c = resolve(db, request.getCollectionName());
      if (request.getSubReqsCount() > 0 || request.hasFunctionScore()) {
        throw ApiException.badRequest("sub_reqs/function_score: hybrid search is not supported");
      }
      if (!request.hasPlaceholderGroup()) {
        throw ApiException.badRequest("placeholder_group: required (search by primary keys is not supported)");
      }
      Map<String, String> sp = new HashMap<>();
      request.getSearchParamsList().forEach(kv -> sp.put(kv.getKey(), kv.getValue()));
      String anns = sp.getOrDefault("anns_field", c.vectorField());
      if (!anns.isEmpty() && !anns.equals(c.vectorField())) {
        throw ApiException.badRequest("anns_field: the vector field is '" + c.vectorField() + "', got '" + anns + "'");
      }
      int topk = MilvusParams.intParam(sp, "topk", sp.containsKey("limit") ? MilvusParams.intParam(sp, "limit", 10) : 10);
      int offset = MilvusParams.intParam(sp, "offset", 0);
      int roundDecimal = MilvusParams.intParam(sp, "round_decimal", -1);
      if (topk < 1 || offset < 0 || topk + offset > reads.maxTopK()) {
        throw ApiException.badRequest("topk: expected topk >= 1 and topk + offset <= " + reads.maxTopK() + ", got topk "
            + topk + ", offset " + offset);
      }
      String metric = sp.get("metric_type");
      String ours = MilvusCollections.milvusMetric(c.space().engine().metricName());
      if (metric != null && !metric.isEmpty() && !metric.equalsIgnoreCase(ours)) {
        throw ApiException.badRequest("metric_type: the collection's index uses " + ours + ", got " + metric);
      }
      JsonNode p = sp.containsKey("params") && !sp.get("params").isBlank()
          ? MilvusParams.parseJson(sp.get("params"), "search_params.params") : StrictJson.MAPPER.createObjectNode();
      int nprobe = p.path("nprobe").asInt(0);
      int ef = p.path("ef").asInt(0);
      float[] queries = MilvusParams.queries(request.getPlaceholderGroup(), c.dimension());
      int nq = queries.length / c.dimension();
      List<List<Filter>> conj = MilvusExpr.toFilters(request.getDsl(), c.space(), c.boolFields(),
          MilvusParams.templates(request.getExprTemplateValuesMap()));
      List<String> output = MilvusParams.outputFields(c, request.getOutputFieldsList(), false);
      List<String> projection = output.stream().filter(f -> c.space().field(f) != null).toList();
      String name = request.getCollectionName();
      return consistent(db, c, request.getConsistencyLevel(), request.getUseDefaultConsistency())
          .compose(v -> unpublished(db, name) ? Future.succeededFuture(MilvusParams.emptyLists(nq))
              : reads.search(c, db, name, queries, nq, topk + offset, conj, projection, nprobe, ef, false))
          .map(perQuery -> {
            SearchResultData.Builder d = SearchResultData.newBuilder().setNumQueries(nq).setTopK(topk)
                .addAllOutputFields(output).setPrimaryFieldName(c.primaryKey());
            List<Hit> flat = new ArrayList<>();
            for (List<Hit> hits : perQuery) {
              List<Hit> page = hits.subList(Math.min(offset, hits.size()), hits.size());
              d.addTopks(page.size());
              for (Hit h : page) {
                d.addScores(MilvusParams.round(h.getScore(), roundDecimal));
              }
              flat.addAll(page);
            }
            d.setIds(MilvusRows.ids(c, flat.stream().map(Hit::getId).toList()));
            d.addAllFieldsData(MilvusRows.columns(c, output, flat));
            return SearchResults.newBuilder().setStatus(MilvusStatus.OK).setResults(d)
                .setCollectionName(c.space().name()).build();
          });
  }

  @Override
  public Future<QueryResults> query(QueryRequest request) {
    return guarded(() -> {
      String db = db(request.getDbName());
      Collection c = resolve(db, request.getCollectionName());
      Map<String, String> qp = new HashMap<>();
      request.getQueryParamsList().forEach(kv -> qp.put(kv.getKey(), kv.getValue()));
      boolean count = request.getOutputFieldsList().stream().anyMatch(f -> f.replace(" ", "").equalsIgnoreCase("count(*)"));
      int limit = MilvusParams.intParam(qp, "limit", -1);
      int offset = MilvusParams.intParam(qp, "offset", 0);
      if (!count && limit < 0 && request.getExpr().isBlank()) {
        throw ApiException.badRequest("expr: a query needs a filter or a limit");
      }
      int k = count || limit < 0 ? reads.maxTopK() : limit + offset;
      if (k > reads.maxTopK()) {
        throw ApiException.badRequest("limit: limit + offset must be at most " + reads.maxTopK() + ", got " + k);
      }
      List<List<Filter>> conj = MilvusExpr.toFilters(request.getExpr(), c.space(), c.boolFields(),
          MilvusParams.templates(request.getExprTemplateValuesMap()));
      List<String> output = count ? List.of() : MilvusParams.outputFields(c, request.getOutputFieldsList(), true);
      List<String> projection = output.stream().filter(f -> c.space().field(f) != null).toList();
      String name = request.getCollectionName();
      return consistent(db, c, request.getConsistencyLevel(), request.getUseDefaultConsistency())
          .compose(v -> unpublished(db, name) ? Future.succeededFuture(List.<Hit>of())
              : reads.query(c, db, name, k, conj, projection))
          .map(hits -> {
            QueryResults.Builder b = QueryResults.newBuilder().setStatus(MilvusStatus.OK)
                .setCollectionName(c.space().name()).setPrimaryFieldName(c.primaryKey());
            if (count) {
              if (hits.size() >= reads.maxTopK()) {
                throw ApiException.badRequest("count(*): more than " + reads.maxTopK() + " documents match; "
                    + "vecgate counts at most --max-top-k of them with a filter (GetCollectionStatistics counts all)");
              }
              return b.addOutputFields("count(*)").addFieldsData(FieldData.newBuilder().setFieldName("count(*)")
                  .setType(DataType.Int64).setScalars(ScalarField.newBuilder().setLongData(
                      LongArray.newBuilder().addData(hits.size())))).build();
            }
            List<Hit> page = hits.subList(Math.min(offset, hits.size()), hits.size());
            return b.addAllOutputFields(output).addAllFieldsData(MilvusRows.columns(c, output, page)).build();
          });
    }, s -> QueryResults.newBuilder().setStatus(s).build());
  }

  // ---- aliases: the writer's atomic, reader-acknowledged switch ----

  @Override
  public Future<Status> createAlias(CreateAliasRequest request) {
    return status(() -> aliasChange(WriterOp.ALIAS_CREATE, request.getAlias(), db(request.getDbName()),
        request.getCollectionName()));
  }

  @Override
  public Future<Status> alterAlias(AlterAliasRequest request) {
    return status(() -> aliasChange(WriterOp.ALIAS_SWITCH, request.getAlias(), db(request.getDbName()),
        request.getCollectionName()));
  }

  @Override
  public Future<Status> dropAlias(DropAliasRequest request) {
    return status(() -> aliasChange(WriterOp.ALIAS_DELETE, request.getAlias(), null, null));
  }

  /** Makes the change through the writer, then brings this gateway's copy of the aliases up to it. */
  private Future<Void> aliasChange(WriterOp op, String alias, String db, String space) {
    Map<String, String> h = new HashMap<>();
    h.put(WriterHeaders.ALIAS, alias);
    if (db != null) {
      h.put(WriterHeaders.DB, db);
      h.put(WriterHeaders.SPACE, space);
    }
    return writer.call(op, h, Buffer.buffer()).compose(r -> {
      String revision = r.headers().get(WriterHeaders.ALIAS_REVISION);
      return revision == null ? Future.succeededFuture() : aliases.sync(Long.parseLong(revision)).otherwiseEmpty();
    });
  }

  @Override
  public Future<DescribeAliasResponse> describeAlias(DescribeAliasRequest request) {
    return guarded(() -> aliases.get(request.getAlias()).map(a -> {
      Alias found = a.filter(Alias::serves).orElseThrow(() -> ApiException.notFound("alias_not_exists",
          "alias '" + request.getAlias() + "' does not exist"));
      return DescribeAliasResponse.newBuilder().setStatus(MilvusStatus.OK).setDbName(found.serving().db())
          .setAlias(found.name()).setCollection(found.serving().space()).build();
    }), s -> DescribeAliasResponse.newBuilder().setStatus(s).build());
  }

  @Override
  public Future<ListAliasesResponse> listAliases(ListAliasesRequest request) {
    return guarded(() -> {
      String db = db(request.getDbName());
      String coll = request.getCollectionName();
      return aliases.list().map(all -> ListAliasesResponse.newBuilder().setStatus(MilvusStatus.OK).setDbName(db)
          .setCollectionName(coll).addAllAliases(all.stream().filter(Alias::serves)
              .filter(a -> a.serving().db().equals(db) && (coll.isEmpty() || a.serving().space().equals(coll)))
              .map(Alias::name).sorted().toList()).build());
    }, s -> ListAliasesResponse.newBuilder().setStatus(s).build());
  }

  private static Buffer json(JsonNode n) {
    return Buffer.buffer(n.toString());
  }

  /** Whether the space has no published version yet (nothing to search: the readers serve none). */
  private boolean unpublished(String db, String name) {
    SpaceEntry e = catalog.resolve(db, name);
    return e.version() == 0;
  }
}
