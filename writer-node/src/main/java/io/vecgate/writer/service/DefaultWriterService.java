package io.vecgate.writer.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.common.api.ApiException;
import io.vecgate.common.json.StrictJson;
import io.vecgate.common.space.Document;
import io.vecgate.common.space.Documents;
import io.vecgate.common.space.SpaceSchema;
import io.vecgate.common.store.DataLayout;
import io.vecgate.coordination.alias.Alias;
import io.vecgate.coordination.alias.AliasJson;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasTarget;
import io.vecgate.writer.catalog.Catalog;
import io.vecgate.writer.store.MergeJob;
import io.vecgate.writer.store.SpaceStore;
import io.vecgate.writer.store.StoreConfig;
import io.vecgate.writer.store.WriteOp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The writer service over local files: a {@link Catalog} and one {@link SpaceStore} per space,
 * and the validator of alias changes, which it makes in the {@link AliasStore}.
 *
 * <p>Threads: catalog changes run on one catalog lane; every operation on a space (writes, seals,
 * merges, descriptions) runs on that space's lane, a single thread, so concurrent requests to a
 * space are serialised in arrival order while spaces proceed in parallel. A merge is picked and
 * swapped in on the lane, but its segments are built on the merge thread, so writes to the space
 * go on while it builds (see {@link MergeJob}); a space has at most one merge in flight.
 *
 * <p>Aliases: a change is checked (its target space exists) and made in the store on the
 * catalog lane, which waits for the store, so that no space is dropped between the check and
 * the change; dropping a space makes the store forget it first (its aliases are deleted, as
 * Vearch does, and it leaves every history), and a store that cannot be reached refuses the drop
 * with nothing dropped. Writes name a space directly or through an alias of its db, resolved in
 * the store's local copy.
 */
public final class DefaultWriterService implements WriterService {

  private static final System.Logger LOG = System.getLogger(DefaultWriterService.class.getName());

  /**
   * Settings.
   *
   * @param store per-space store settings
   * @param sealDocs a space seals as soon as it buffers this many documents
   * @param maxBodyBytes larger request bodies are refused with 413
   */
  public record Settings(StoreConfig store, int sealDocs, long maxBodyBytes) {}

  /** One space's store and the single thread that runs everything on it. */
  private static final class Lane {
    final SpaceSchema schema;
    final SpaceStore store;
    final ExecutorService exec;
    final AtomicBoolean sealQueued = new AtomicBoolean();
    volatile boolean closed;
    /** Refresh ticks in a row that found nothing to seal (touched on the lane's thread only). */
    int idleTicks;
    /** The merge picked and not yet swapped in (lane's thread only). */
    MergeJob merge;
    /** A full merge came due while {@link #merge} was in flight: it is picked next (lane's thread only). */
    boolean fullMergeDue;

    Lane(SpaceSchema schema, SpaceStore store) {
      this.schema = schema;
      this.store = store;
      this.exec = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
          .name("writer-" + schema.db() + "-" + schema.name()).factory());
    }
  }

  /** How long the catalog lane waits for the alias store (a reachable store answers in milliseconds). */
  static final long ALIAS_STORE_WAIT_MILLIS = 15_000;

  private final DataLayout layout;
  private final Settings settings;
  private final WriterNotices notices;
  private final Catalog catalog;
  private final AliasStore aliases;
  private final ExecutorService catalogLane = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().daemon().name("writer-catalog").factory());
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
  /**
   * Builds merged segments, one at a time for all spaces: an index build already uses every core
   * (k-means, encoding and HNSW insertion run in parallel), so a second concurrent build would
   * only share the same cores and double the memory builds hold. Spaces take turns; each queues
   * at most one merge.
   */
  private final ExecutorService mergeExec;
  private volatile boolean ready;
  /** Set by {@link #close}: queued seals and merges are skipped (stopping seals nothing extra). */
  private volatile boolean stopping;

  private DefaultWriterService(DataLayout layout, Settings settings, WriterNotices notices, Catalog catalog,
      AliasStore aliases, ExecutorService mergeExec) {
    this.layout = layout;
    this.settings = settings;
    this.notices = notices;
    this.catalog = catalog;
    this.aliases = aliases;
    this.mergeExec = mergeExec;
  }

  /**
   * Opens the catalog and every space of {@code layout} (blocking: recovery reads segments and
   * replays logs), moves the aliases of an older {@code catalog.json} into {@code aliases}, then
   * announces the catalog once.
   */
  public static DefaultWriterService open(DataLayout layout, Settings settings, WriterNotices notices, AliasStore aliases)
      throws IOException {
    return open(layout, settings, notices, aliases, Executors.newSingleThreadExecutor(
        Thread.ofPlatform().daemon().name("writer-merge").factory()));
  }

  /**
   * A writer without aliases (tools and tests of documents and merges): the alias operations
   * answer 503 and names resolve to spaces only.
   */
  public static DefaultWriterService open(DataLayout layout, Settings settings, WriterNotices notices) throws IOException {
    return open(layout, settings, notices, (AliasStore) null);
  }

  /** Without aliases, building merges on {@code mergeExec} (closed by {@link #close}). */
  static DefaultWriterService open(DataLayout layout, Settings settings, WriterNotices notices, ExecutorService mergeExec)
      throws IOException {
    return open(layout, settings, notices, null, mergeExec);
  }

  /** As {@link #open(DataLayout, Settings, WriterNotices, AliasStore)}, building merges on {@code mergeExec} (closed by {@link #close}). */
  static DefaultWriterService open(DataLayout layout, Settings settings, WriterNotices notices, AliasStore aliases,
      ExecutorService mergeExec) throws IOException {
    Catalog catalog;
    try {
      catalog = Catalog.open(layout.catalog());
    } catch (IOException | RuntimeException e) {
      mergeExec.shutdown();
      throw e;
    }
    DefaultWriterService s = new DefaultWriterService(layout, settings, notices, catalog, aliases, mergeExec);
    try {
      for (Catalog.SpaceEntry e : catalog.allSpaces()) {
        SpaceStore store = SpaceStore.open(e.schema(), layout, settings.store());
        s.lanes.put(key(e.schema().db(), e.schema().name()), new Lane(e.schema(), store));
        if (store.version() != e.version()) {
          catalog.setVersion(e.schema().db(), e.schema().name(), store.version());
        }
      }
      s.moveLegacyAliases();
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    s.ready = true;
    notices.catalogChanged(catalog.toJson());
    return s;
  }

  @Override
  public boolean isReady() {
    return ready;
  }

  @Override
  public CompletableFuture<WriterReply> handle(String op, Map<String, String> headers, byte[] body) {
    try {
      if (!ready) {
        throw ApiException.unavailable("the writer is not ready");
      }
      if (body != null && body.length > settings.maxBodyBytes()) {
        throw ApiException.tooLarge("request body: expected at most " + settings.maxBodyBytes() + " bytes, got "
            + body.length);
      }
      byte[] b = body == null ? new byte[0] : body;
      return switch (op == null ? "" : op) {
        case "db.create" -> onCatalog(() -> {
          String name = StrictJson.string(StrictJson.parseObject(b, "db.create"), "name", "", null);
          catalog.createDb(name);
          catalogChanged();
          return Json.success(Json.name(name));
        });
        case "db.list" -> onCatalog(() -> {
          ArrayNode a = StrictJson.MAPPER.createArrayNode();
          catalog.dbNames().forEach(n -> a.add(Json.name(n)));
          return Json.success(a);
        });
        case "db.get" -> onCatalog(() -> {
          String db = required(headers, "db");
          ObjectNode o = Json.name(db);
          ArrayNode spaces = o.putArray("spaces");
          catalog.spaceNames(db).forEach(spaces::add);
          return Json.success(o);
        });
        case "db.drop" -> onCatalog(() -> {
          String db = required(headers, "db");
          catalog.dropDb(db);
          catalogChanged();
          return Json.success(Json.name(db));
        });
        case "space.create" -> createSpace(required(headers, "db"), b);
        case "space.get" -> {
          Lane lane = lane(required(headers, "db"), required(headers, "space"));
          yield onLane(lane, () -> Json.success(Json.describe(lane.schema, lane.store.stats())));
        }
        case "space.list" -> listSpaces(required(headers, "db"));
        case "space.drop" -> dropSpace(required(headers, "db"), required(headers, "space"));
        case "doc.index" -> indexDoc(headers, b);
        case "doc.bulk" -> bulk(headers, b);
        case "doc.delete" -> deleteDoc(headers);
        case "refresh" -> {
          Lane lane = lane(required(headers, "db"), required(headers, "space"));
          yield onLane(lane, () -> Json.success(Json.object().put("version", sealNow(lane))));
        }
        case "alias.create", "alias.switch", "alias.rollback", "alias.delete" -> changeAlias(op, headers);
        case "alias.get" -> {
          String name = required(headers, "alias");
          yield aliasStore().get(name).toCompletionStage().toCompletableFuture().thenApply(a -> aliasReply(
              a.filter(Alias::serves).orElseThrow(() -> io.vecgate.coordination.alias.AliasErrors.notFound(name))));
        }
        case "alias.list" -> aliasStore().list().toCompletionStage().toCompletableFuture()
            .thenApply(all -> Json.success(AliasJson.apiList(all)));
        case "catalog.get" -> CompletableFuture.completedFuture(new WriterReply(200, Json.bytes(catalog.toJson())));
        default -> throw ApiException.badRequest("op: expected a writer operation (db.create, space.create, doc.bulk, ...), "
            + "got '" + op + "'");
      };
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  // ---- spaces ----

  private CompletableFuture<WriterReply> createSpace(String db, byte[] body) {
    return onCatalog(() -> {
      ObjectNode req = StrictJson.parseObject(body, "space.create");
      // Parse (and refuse) before touching anything, and fail early on duplicates.
      SpaceSchema parsed = io.vecgate.common.space.SpaceSchemas.parse(db, req);
      catalog.spaceNames(db);
      if (catalog.spaceNames(db).contains(parsed.name())) {
        throw ApiException.conflict("space_exists_exception", "space '" + parsed.name() + "' already exists in db '" + db + "'");
      }
      // Files of an earlier space of this name (a drop cut short by a crash) must not come back.
      deleteSpaceFiles(db, parsed.name());
      SpaceStore store = SpaceStore.open(parsed, layout, settings.store());
      SpaceSchema schema;
      try {
        schema = catalog.createSpace(db, req);
      } catch (IOException | RuntimeException e) {
        store.drop();
        throw e;
      }
      Lane lane = new Lane(schema, store);
      lanes.put(key(db, schema.name()), lane);
      catalogChanged();
      return Json.success(Json.describe(schema, store.stats()));
    });
  }

  private CompletableFuture<WriterReply> listSpaces(String db) {
    return onCatalog(() -> catalog.spaceNames(db)).thenCompose(names -> {
      List<CompletableFuture<ObjectNode>> descs = new ArrayList<>();
      for (String n : names) {
        Lane lane = lanes.get(key(db, n));
        if (lane != null) {
          descs.add(onLane(lane, () -> Json.describe(lane.schema, lane.store.stats())));
        }
      }
      return CompletableFuture.allOf(descs.toArray(CompletableFuture[]::new)).thenApply(v -> {
        ArrayNode a = StrictJson.MAPPER.createArrayNode();
        descs.forEach(d -> a.add(d.join()));
        return Json.success(a);
      });
    });
  }

  private CompletableFuture<WriterReply> dropSpace(String db, String space) {
    return onCatalog(() -> {
      catalog.space(db, space);
      // Aliases first: a store that cannot be reached refuses the drop before anything is gone.
      List<String> deletedAliases = aliases == null ? List.of() : join(aliases.forgetSpace(db, space));
      if (!deletedAliases.isEmpty()) {
        LOG.log(System.Logger.Level.INFO, "dropping " + db + "/" + space + " deleted the aliases serving it: " + deletedAliases);
      }
      Lane lane = lanes.remove(key(db, space));
      catalog.dropSpace(db, space);
      if (lane != null) {
        lane.closed = true;
        // Runs after the writes already queued on the lane (they fail as not found from now on).
        CompletableFuture<Void> dropped = new CompletableFuture<>();
        lane.exec.execute(() -> {
          try {
            lane.store.drop();
            dropped.complete(null);
          } catch (Throwable t) {
            dropped.completeExceptionally(t);
          }
        });
        lane.exec.shutdown();
        dropped.join();
      } else {
        deleteSpaceFiles(db, space);
      }
      notices.spaceDropped(db, space);
      catalogChanged();
      ObjectNode data = Json.object().put("db", db).put("name", space);
      ArrayNode gone = data.putArray("aliases_deleted");
      deletedAliases.forEach(gone::add);
      return Json.success(data);
    });
  }

  // ---- aliases ----

  /**
   * On the catalog lane: checks the request (the alias name; for create and switch, that the
   * target space exists) and makes the change in the store, waiting for it.
   */
  private CompletableFuture<WriterReply> changeAlias(String op, Map<String, String> headers) {
    AliasStore store = aliasStore();
    return onCatalog(() -> {
      String name = io.vecgate.common.space.SpaceSchemas.checkName("alias", required(headers, "alias"));
      Alias a = switch (op) {
        case "alias.create", "alias.switch" -> {
          String db = required(headers, "db");
          String space = required(headers, "space");
          catalog.space(db, space);
          AliasTarget target = new AliasTarget(db, space);
          yield join(op.equals("alias.create") ? store.create(name, target) : store.switchTo(name, null, target));
        }
        case "alias.rollback" -> join(store.rollback(name, null));
        default -> join(store.delete(name));
      };
      return aliasReply(a);
    });
  }

  private AliasStore aliasStore() {
    if (aliases == null) {
      throw ApiException.unavailable("this writer runs without an alias store");
    }
    return aliases;
  }

  /** The alias in the API form, with the store revision of the change in the {@code alias-revision} header. */
  private static WriterReply aliasReply(Alias a) {
    WriterReply r = Json.success(AliasJson.api(a));
    return new WriterReply(r.status(), r.body(), Map.of(WriterReply.ALIAS_REVISION, String.valueOf(a.revision())));
  }

  /** Waits for the alias store on a writer thread (never an event loop); its refusals come out as they are. */
  private static <T> T join(io.vertx.core.Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(ALIAS_STORE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    } catch (TimeoutException e) {
      throw ApiException.unavailable("the alias store did not answer within " + ALIAS_STORE_WAIT_MILLIS + " ms");
    }
  }

  /** Moves the aliases an older {@code catalog.json} held into the store (those it does not have yet). */
  private void moveLegacyAliases() throws IOException {
    if (catalog.legacyAliases().isEmpty() || aliases == null) {
      return;
    }
    try {
      for (Catalog.LegacyAlias l : catalog.legacyAliases()) {
        if (catalog.find(l.db(), l.space()) != null && join(aliases.get(l.name())).isEmpty()) {
          join(aliases.create(l.name(), new AliasTarget(l.db(), l.space())));
        }
      }
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "moving the aliases of catalog.json into the alias store failed; they stay in "
          + "the file and the next start tries again: " + e.getMessage());
      return;
    }
    catalog.rewrite();
    LOG.log(System.Logger.Level.INFO, "moved " + catalog.legacyAliases().size() + " aliases of catalog.json into the alias store");
  }

  private void deleteSpaceFiles(String db, String space) throws IOException {
    for (var dir : List.of(layout.walDir(db, space), layout.spaceDir(db, space))) {
      if (java.nio.file.Files.exists(dir)) {
        try (var walk = java.nio.file.Files.walk(dir)) {
          for (var p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
            java.nio.file.Files.deleteIfExists(p);
          }
        }
      }
    }
  }

  // ---- documents ----

  private CompletableFuture<WriterReply> indexDoc(Map<String, String> headers, byte[] body) {
    String db = required(headers, "db");
    Lane lane = lane(db, required(headers, "space"));
    String id = headers.get("id");
    if (id != null) {
      Documents.checkId(id, "id");
    }
    return onLane(lane, () -> {
      ObjectNode json = StrictJson.parseObject(body, "document");
      Document doc = Documents.parse(lane.schema, json, id, "");
      WriteOp.Index op = lane.store.prepareIndex(doc, "_id");
      String result = lane.store.apply(List.of(op)).getFirst();
      refreshOrMaybeSeal(lane, headers);
      int status = result.equals("created") ? 201 : 200;
      ObjectNode o = Json.object();
      o.put("_index", db).put("_type", lane.schema.name()).put("_id", op.id()).put("result", result).put("status", status);
      return new WriterReply(status, Json.bytes(o));
    });
  }

  private CompletableFuture<WriterReply> deleteDoc(Map<String, String> headers) {
    Lane lane = lane(required(headers, "db"), required(headers, "space"));
    String id = Documents.checkId(required(headers, "id"), "id");
    return onLane(lane, () -> {
      WriteOp.Delete op = lane.store.prepareDelete(id, "id");
      String result = lane.store.apply(List.of(op)).getFirst();
      refreshOrMaybeSeal(lane, headers);
      int status = result.equals("deleted") ? 200 : 404;
      ObjectNode o = Json.object().put("_id", id).put("result", result).put("status", status);
      return new WriterReply(status, Json.bytes(o));
    });
  }

  private CompletableFuture<WriterReply> bulk(Map<String, String> headers, byte[] body) {
    Lane lane = lane(required(headers, "db"), required(headers, "space"));
    long start = System.nanoTime();
    // Parsing needs no store state: it starts now, off the lane, so it overlaps the previous
    // request's WAL fsync; the lane task (queued now, so arrival order holds) waits for it.
    CompletableFuture<List<BulkParser.Item>> parsed = CompletableFuture.supplyAsync(
        () -> new BulkParser(lane.schema).parse(body));
    return onLane(lane, () -> {
      List<BulkParser.Item> items = parsed.join();
      List<WriteOp> ops = new ArrayList<>(items.size());
      ApiException[] errors = new ApiException[items.size()];
      int[] opOf = new int[items.size()];
      for (int i = 0; i < items.size(); i++) {
        BulkParser.Item it = items.get(i);
        opOf[i] = -1;
        if (it.error() != null) {
          errors[i] = it.error();
          continue;
        }
        try {
          String where = "line " + it.line();
          WriteOp op = it.doc() != null ? lane.store.prepareIndex(it.doc(), where + "._id")
              : lane.store.prepareDelete(it.id(), where + "._id");
          opOf[i] = ops.size();
          ops.add(op);
        } catch (ApiException e) {
          errors[i] = e;
        }
      }
      List<String> results = lane.store.apply(ops);
      refreshOrMaybeSeal(lane, headers);
      ObjectNode o = Json.object();
      ArrayNode arr = StrictJson.MAPPER.createArrayNode();
      boolean anyError = false;
      for (int i = 0; i < items.size(); i++) {
        BulkParser.Item it = items.get(i);
        ObjectNode item = arr.addObject().putObject(it.action());
        if (errors[i] != null) {
          anyError = true;
          if (it.id() != null) {
            item.put("_id", it.id());
          } else {
            item.putNull("_id");
          }
          item.put("status", errors[i].status()).set("error", Json.error(errors[i]).get("error"));
        } else {
          String result = results.get(opOf[i]);
          int status = switch (result) {
            case "created" -> 201;
            case "not_found" -> 404;
            default -> 200;
          };
          item.put("_id", ops.get(opOf[i]).id()).put("status", status).put("result", result);
        }
      }
      o.put("took", (System.nanoTime() - start) / 1_000_000).put("errors", anyError).set("items", arr);
      return new WriterReply(200, Json.bytes(o));
    });
  }

  /** {@code ?refresh=true} publishes before answering; otherwise a full buffer seals right after. */
  private void refreshOrMaybeSeal(Lane lane, Map<String, String> headers) throws IOException {
    String refresh = headers.get("q.refresh");
    if (refresh != null && (refresh.isEmpty() || refresh.equals("true") || refresh.equals("wait_for"))) {
      sealNow(lane);
    } else if (lane.store.bufferedCount() >= settings.sealDocs()) {
      queueSeal(lane);
    }
  }

  // ---- sealing ----

  /** Asks every space with unpublished writes to seal (the periodic refresh). */
  public void sealDirty() {
    for (Lane lane : lanes.values()) {
      queueSeal(lane);
    }
  }

  private void queueSeal(Lane lane) {
    if (!lane.sealQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      lane.exec.execute(() -> {
        lane.sealQueued.set(false);
        if (lane.closed || stopping) {
          return;
        }
        try {
          sealNow(lane);
        } catch (IOException | RuntimeException e) {
          LOG.log(System.Logger.Level.ERROR, "sealing " + lane.schema.db() + "/" + lane.schema.name()
              + " failed; the writes stay in the WAL and the next refresh retries", e);
        }
      });
    } catch (RejectedExecutionException e) {
      lane.sealQueued.set(false);
    }
  }

  /**
   * Refreshes a space has to stay idle before its partitions are merged into one segment each:
   * searches then scan one index per partition instead of a tier of small ones, as after an
   * Elasticsearch force-merge.
   */
  static final int IDLE_TICKS_BEFORE_FULL_MERGE = 5;

  /** Seals and publishes on the lane's thread; checks for merges after a new version. */
  private long sealNow(Lane lane) throws IOException {
    long before = lane.store.version();
    long v = lane.store.seal();
    if (v == before && ++lane.idleTicks == IDLE_TICKS_BEFORE_FULL_MERGE) {
      startMerge(lane, MergeJob.Scope.ALL);
    }
    if (v != before) {
      lane.idleTicks = 0;
      announce(lane);
      startMerge(lane, MergeJob.Scope.TIERED);
    }
    return v;
  }

  /**
   * On the lane: picks a merge and hands its build to the merge thread, unless a merge of this
   * space is in flight (then a full merge is remembered, and a tiered one is checked anyway when
   * the running one is swapped in).
   */
  private void startMerge(Lane lane, MergeJob.Scope scope) {
    if (lane.closed || stopping) {
      return;
    }
    if (lane.merge != null) {
      lane.fullMergeDue |= scope == MergeJob.Scope.ALL;
      return;
    }
    MergeJob job = lane.store.pickMerge(scope);
    if (job == null) {
      return;
    }
    lane.merge = job;
    try {
      mergeExec.execute(() -> {
        job.build();
        try {
          lane.exec.execute(() -> finishMerge(lane, job));
        } catch (RejectedExecutionException e) {
          // The lane is shut down: closing its store abandoned the job.
        }
      });
    } catch (RejectedExecutionException e) {
      lane.merge = null;
      lane.store.abandonMerge(job);
    }
  }

  /** On the lane: swaps a built merge in and publishes, then checks for the next merge. */
  private void finishMerge(Lane lane, MergeJob job) {
    lane.merge = null;
    if (lane.closed || stopping) {
      lane.store.abandonMerge(job);
      return;
    }
    try {
      if (lane.store.finishMerge(job)) {
        announce(lane);
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "merging " + lane.schema.db() + "/" + lane.schema.name()
          + " failed; its segments stay as they were and the next seal tries again", e);
      return;
    }
    // Seals during the build may have made more segments to merge.
    MergeJob.Scope next = lane.fullMergeDue ? MergeJob.Scope.ALL : MergeJob.Scope.TIERED;
    lane.fullMergeDue = false;
    startMerge(lane, next);
  }

  private void announce(Lane lane) {
    String db = lane.schema.db();
    String space = lane.schema.name();
    long v = lane.store.version();
    notices.versionPublished(db, space, v, lane.store.versionDir(v));
    try {
      catalog.setVersion(db, space, v);
      catalogChanged();
    } catch (IOException | ApiException e) {
      LOG.log(System.Logger.Level.WARNING, "recording version " + v + " of " + db + "/" + space + " in the catalog failed", e);
    }
  }

  private void catalogChanged() {
    notices.catalogChanged(catalog.toJson());
  }

  // ---- plumbing ----

  private static String key(String db, String space) {
    return db + '\u0000' + space;
  }

  private static String required(Map<String, String> headers, String name) {
    String v = headers.get(name);
    if (v == null || v.isEmpty()) {
      throw ApiException.badRequest(name + ": missing; the route must name the " + name);
    }
    return v;
  }

  /** The lane of a space named directly or through an alias of its db (resolved in the alias store's local copy). */
  private Lane lane(String db, String spaceOrAlias) {
    Catalog.SpaceEntry entry = catalog.find(db, spaceOrAlias);
    if (entry == null && aliases != null) {
      AliasTarget t = aliases.local().resolve(spaceOrAlias);
      if (t != null && t.db().equals(db)) {
        entry = catalog.find(db, t.space());
      }
    }
    SpaceSchema schema = entry != null ? entry.schema() : catalog.space(db, spaceOrAlias).schema();
    Lane lane = lanes.get(key(db, schema.name()));
    if (lane == null) {
      throw spaceGone(db, schema.name());
    }
    return lane;
  }

  private static ApiException spaceGone(String db, String space) {
    return ApiException.notFound("space_not_found_exception", "space '" + space + "' not found in db '" + db + "'");
  }

  private <T> CompletableFuture<T> onCatalog(Callable<T> task) {
    return run(catalogLane, task, null);
  }

  private <T> CompletableFuture<T> onLane(Lane lane, Callable<T> task) {
    return run(lane.exec, task, lane);
  }

  private static <T> CompletableFuture<T> run(ExecutorService exec, Callable<T> task, Lane lane) {
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      exec.execute(() -> {
        if (lane != null && lane.closed) {
          f.completeExceptionally(spaceGone(lane.schema.db(), lane.schema.name()));
          return;
        }
        try {
          f.complete(task.call());
        } catch (Throwable t) {
          f.completeExceptionally(t);
        }
      });
    } catch (RejectedExecutionException e) {
      f.completeExceptionally(lane != null ? spaceGone(lane.schema.db(), lane.schema.name())
          : ApiException.unavailable("the writer is stopping"));
    }
    return f;
  }

  /**
   * Stops: queued seals and merges are skipped, every store is closed on its lane (a merge in
   * flight is cancelled there: closing waits for its build to stop and deletes its output, and no
   * version is published after), then the merge thread is stopped.
   */
  @Override
  public void close() {
    ready = false;
    stopping = true;
    shutdown(catalogLane);
    for (Lane lane : lanes.values()) {
      try {
        lane.exec.execute(() -> {
          try {
            lane.merge = null;
            lane.store.close();
          } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + lane.schema.db() + "/" + lane.schema.name(), e);
          }
        });
      } catch (RejectedExecutionException e) {
        // Already shut down (dropped).
      }
      shutdown(lane.exec);
    }
    lanes.clear();
    shutdown(mergeExec);
  }

  private static void shutdown(ExecutorService exec) {
    exec.shutdown();
    try {
      if (!exec.awaitTermination(60, TimeUnit.SECONDS)) {
        LOG.log(System.Logger.Level.WARNING, "writer work still running after 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
