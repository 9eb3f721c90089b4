package io.vecgate.writer.service;

import static io.vecgate.writer.service.SpaceRegistry.required;

import io.vecgate.common.api.ApiException;
import io.vecgate.common.store.DataLayout;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.writer.catalog.Catalog;
import io.vecgate.writer.store.MergeJob;
import io.vecgate.writer.store.SpaceStore;
import io.vecgate.writer.store.StoreConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The writer service over local files: a {@link Catalog} and one {@link SpaceStore} per space,
 * and the validator of alias changes, which it makes in the {@link AliasStore}.
 *
 * <p>Threads: catalog changes run on one catalog lane; every operation on a space (writes, seals,
 * merges, descriptions) runs on that space's lane ({@link SpaceLane}), a single thread, so
 * concurrent requests to a space are serialised in arrival order while spaces proceed in
 * parallel. A merge is picked and swapped in on the lane, but its segments are built on the merge
 * thread, so writes to the space go on while it builds (see {@link SpaceRefresher} and
 * {@link MergeJob}).
 *
 * <p>Its parts: {@link CatalogRequests} (dbs), {@link AliasRequests} (aliases),
 * {@link SpaceRequests} (spaces, refresh), {@link DocumentRequests} (documents, bulk),
 * {@link SpaceRefresher} (seals and merges), {@link SpaceRegistry} (the catalog, the lanes,
 * and names resolved through aliases).
 */
public final class DefaultWriterService implements WriterService {

  private static final System.Logger LOG = System.getLogger(DefaultWriterService.class.getName());

  /**
   * Settings.
   *
   * @param store per-space store settings
   * @param sealDocs a space seals as soon as it buffers this many documents
   * @param maxBodyBytes larger request bodies are refused with 413
   * @param quietPeriod a space with no write for this long is merged to one indexed segment per partition
   * @param buildThreads threads an index build may use while the writer takes writes (its fork-join
   *     pool's parallelism; a quiet writer builds on every core), >= 1
   */
  public record Settings(StoreConfig store, int sealDocs, long maxBodyBytes, Duration quietPeriod, int buildThreads) {

    /** Default {@link #quietPeriod}. */
    public static final Duration QUIET_PERIOD = Duration.ofSeconds(3);

    public Settings {
      if (quietPeriod == null || quietPeriod.isNegative()) {
        throw new IllegalArgumentException("quietPeriod: expected a duration >= 0, got " + quietPeriod);
      }
      if (buildThreads < 1) {
        throw new IllegalArgumentException("buildThreads: expected >= 1, got " + buildThreads);
      }
    }

    /** With the default quiet period and build threads. */
    public Settings(StoreConfig store, int sealDocs, long maxBodyBytes) {
      this(store, sealDocs, maxBodyBytes, QUIET_PERIOD, defaultBuildThreads());
    }

    /** One core less than the machine has (at least one): a core stays with the write lanes. */
    public static int defaultBuildThreads() {
      return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }
  }

  private final Settings settings;
  private final SpaceRegistry spaces;
  private final SpaceRefresher refresher;
  private final CatalogRequests catalogRequests;
  private final AliasRequests aliasRequests;
  private final SpaceRequests spaceRequests;
  private final DocumentRequests documentRequests;
  private final ExecutorService mergeExec;
  private final ForkJoinPool buildPool;
  private volatile boolean ready;
  /** Set by {@link #close}: queued seals and merges are skipped (stopping seals nothing extra). */
  private volatile boolean stopping;

  private DefaultWriterService(DataLayout layout, Settings settings, WriterNotices notices, Catalog catalog,
      AliasStore aliases, ExecutorService mergeExec) {
    this.settings = settings;
    this.mergeExec = mergeExec;
    this.buildPool = new ForkJoinPool(settings.buildThreads(), pool -> {
      ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
      t.setName("writer-build-" + t.getPoolIndex());
      return t;
    }, null, false);
    this.spaces = new SpaceRegistry(catalog, notices, aliases);
    this.refresher = new SpaceRefresher(spaces, notices, mergeExec, buildPool, settings.buildThreads(),
        settings.quietPeriod(), () -> stopping);
    this.catalogRequests = new CatalogRequests(spaces);
    this.aliasRequests = new AliasRequests(spaces);
    this.spaceRequests = new SpaceRequests(spaces, refresher, notices, layout, settings.store(), aliasRequests);
    this.documentRequests = new DocumentRequests(spaces, refresher, settings.sealDocs());
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
        s.spaces.add(new SpaceLane(e.schema(), store));
        if (store.version() != e.version()) {
          catalog.setVersion(e.schema().db(), e.schema().name(), store.version());
        }
      }
      s.aliasRequests.moveLegacyAliases();
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    s.ready = true;
    s.spaces.catalogChanged();
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
        case "db.create" -> catalogRequests.createDb(b);
        case "db.list" -> catalogRequests.listDbs();
        case "db.get" -> catalogRequests.getDb(headers);
        case "db.drop" -> catalogRequests.dropDb(headers);
        case "space.create" -> spaceRequests.create(required(headers, "db"), b);
        case "space.get" -> spaceRequests.get(required(headers, "db"), required(headers, "space"));
        case "space.list" -> spaceRequests.list(required(headers, "db"));
        case "space.drop" -> spaceRequests.drop(required(headers, "db"), required(headers, "space"));
        case "doc.index" -> documentRequests.index(headers, b);
        case "doc.bulk" -> documentRequests.bulk(headers, b);
        case "doc.delete" -> documentRequests.delete(headers);
        case "refresh" -> spaceRequests.refresh(required(headers, "db"), required(headers, "space"));
        case "space.compact" -> spaceRequests.compact(required(headers, "db"), required(headers, "space"));
        case "alias.create", "alias.switch", "alias.rollback", "alias.delete" -> aliasRequests.change(op, headers);
        case "alias.get" -> aliasRequests.get(headers);
        case "alias.list" -> aliasRequests.list();
        case "catalog.get" -> catalogRequests.get();
        default -> throw ApiException.badRequest("op: expected a writer operation (db.create, space.create, doc.bulk, ...), "
            + "got '" + op + "'");
      };
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Adds documents that are checked already (a rebuild's source rows) to a space as upserts,
   * logged and fsynced like any write. The space is bulk loading from then on: it is sealed only
   * when its buffer is full, until {@code space.compact} seals the rest and indexes it.
   */
  public CompletableFuture<Void> load(String db, String space, java.util.List<io.vecgate.common.space.Document> docs) {
    try {
      if (!ready) {
        throw ApiException.unavailable("the writer is not ready");
      }
      return documentRequests.load(db, space, docs);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Asks every space with unpublished writes to seal (the periodic refresh). */
  public void sealDirty() {
    for (SpaceLane lane : spaces.all()) {
      if (!lane.bulkLoading) {
        refresher.queueSeal(lane);
      }
    }
  }

  /**
   * Merges spaces that have had no write for the quiet period into one indexed segment per
   * partition (the periodic index check; cheap where there is nothing to do).
   */
  public void mergeQuietSpaces() {
    refresher.mergeQuietSpaces();
  }

  /** The build pool's parallelism now (for tests). */
  int buildThreadsNow() {
    return buildPool.getParallelism();
  }

  /**
   * Stops: queued seals and merges are skipped, every store is closed on its lane (a merge in
   * flight is cancelled there: closing waits for its build to stop and deletes its output, and no
   * version is published after), then the merge thread and the build pool are stopped.
   */
  @Override
  public void close() {
    ready = false;
    stopping = true;
    shutdown(spaces.catalogLane());
    for (SpaceLane lane : spaces.all()) {
      try {
        lane.exec.execute(() -> {
          try {
            lane.merge = null;
            lane.store.close();
          } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + lane.db() + "/" + lane.name(), e);
          }
        });
      } catch (RejectedExecutionException e) {
        // Already shut down (dropped).
      }
      shutdown(lane.exec);
    }
    spaces.clear();
    shutdown(mergeExec);
    shutdown(buildPool);
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
