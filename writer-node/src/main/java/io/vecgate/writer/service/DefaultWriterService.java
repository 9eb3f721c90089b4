package io.vecgate.writer.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.writer.SwitchGuard;
import io.vecgate.space.Document;
import io.vecgate.store.DataLayout;
import io.vecgate.writer.catalog.Catalog;
import io.vecgate.writer.store.CompactionJob;
import io.vecgate.writer.store.SpaceStore;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;

/**
 * The writer service over local files: a {@link Catalog} and one {@link SpaceStore} per space,
 * and the validator of alias changes, which it makes in the {@link AliasStore}.
 *
 * <p>Threads: catalog changes run on one catalog lane; every operation on a space (writes, seals,
 * compactions, descriptions) runs on that space's lane ({@link SpaceLane}), a single thread, so
 * concurrent requests to a space are serialised in arrival order while spaces proceed in parallel.
 * A compaction is picked and swapped in on the lane, but its segments are built on the compaction
 * thread, so writes to the space go on while it builds (see {@link SpaceRefresher} and
 * {@link CompactionJob}).
 *
 * <p>Its parts: {@link CatalogRequests} (dbs), {@link AliasRequests} (aliases),
 * {@link SpaceRequests} (spaces, refresh), {@link DocumentRequests} (documents, bulk),
 * {@link SpaceRefresher} (seals and compactions), {@link SpaceRegistry} (the catalog, the lanes,
 * and names resolved through aliases).
 */
public final class DefaultWriterService implements WriterService {

  private final SpaceRegistry spaces;
  private final SpaceRefresher refresher;
  private final CatalogRequests catalogRequests;
  private final AliasRequests aliasRequests;
  private final BackupRequests backupRequests;
  private final SpaceRequests spaceRequests;
  private final DocumentRequests documentRequests;
  private final ExecutorService compactionExec;
  private final ForkJoinPool buildPool;
  private volatile boolean ready;
  private volatile WriterJobs jobs = WriterJobs.NONE;
  /** Set by {@link #close}: queued seals and compactions are skipped (stopping seals nothing extra). */
  private volatile boolean stopping;

  private DefaultWriterService(DataLayout layout, ServiceSettings settings, WriterNotices notices, Catalog catalog,
      AliasStore aliases, ExecutorService compactionExec) {
    this.compactionExec = compactionExec;
    this.buildPool = SpaceRefresher.buildPool(settings.buildThreads());
    this.spaces = new SpaceRegistry(catalog, notices, aliases);
    this.refresher = new SpaceRefresher(spaces, notices, compactionExec, buildPool, settings.buildThreads(),
        settings.quietPeriod(), () -> stopping);
    this.catalogRequests = new CatalogRequests(spaces);
    this.aliasRequests = new AliasRequests(spaces);
    this.backupRequests = new BackupRequests(spaces, layout);
    this.spaceRequests = new SpaceRequests(spaces, refresher, notices, layout, settings.store(), aliasRequests);
    this.documentRequests = new DocumentRequests(spaces, refresher, settings.sealDocs());
  }

  /**
   * Opens the catalog and every space of {@code layout} (blocking: recovery reads segments and
   * replays logs), moves the aliases of an older {@code catalog.json} into {@code aliases}, then
   * announces the catalog once.
   */
  public static DefaultWriterService open(DataLayout layout, ServiceSettings settings, WriterNotices notices,
      AliasStore aliases) throws IOException {
    return open(layout, settings, notices, aliases, Executors.newSingleThreadExecutor(
        Thread.ofPlatform().daemon().name("writer-compaction").factory()));
  }

  /**
   * A writer without aliases (tools and tests of documents and compactions): the alias operations
   * answer 503 and names resolve to spaces only.
   */
  public static DefaultWriterService open(DataLayout layout, ServiceSettings settings, WriterNotices notices)
      throws IOException {
    return open(layout, settings, notices, (AliasStore) null);
  }

  /** Without aliases, building compactions on {@code compactionExec} (closed by {@link #close}). */
  static DefaultWriterService open(DataLayout layout, ServiceSettings settings, WriterNotices notices,
      ExecutorService compactionExec) throws IOException {
    return open(layout, settings, notices, null, compactionExec);
  }

  /**
   * As {@link #open(DataLayout, ServiceSettings, WriterNotices, AliasStore)}, building compactions
   * on {@code compactionExec} (closed by {@link #close}).
   */
  static DefaultWriterService open(DataLayout layout, ServiceSettings settings, WriterNotices notices,
      AliasStore aliases, ExecutorService compactionExec) throws IOException {
    Catalog catalog;
    try {
      catalog = Catalog.open(layout.catalog());
    } catch (IOException | RuntimeException e) {
      compactionExec.shutdown();
      throw e;
    }
    DefaultWriterService s = new DefaultWriterService(layout, settings, notices, catalog, aliases, compactionExec);
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

  /**
   * Serves {@code jobs} as {@link #jobs()} from now on: rebuild jobs write through this service, so
   * they are made after it opens; until then job operations answer 503.
   */
  public void attachJobs(WriterJobs jobs) {
    this.jobs = jobs;
  }

  /**
   * Has manual alias switches and rollbacks check {@code readers} first (until then, and in a
   * writer without readers, {@link ServingReaders#NONE}: nothing to wait for).
   */
  public void attachReaders(ServingReaders readers) {
    aliasRequests.readers(readers);
  }

  /** Runs {@code call} while the writer is ready (503 otherwise); what it throws fails the future. */
  private <T> CompletableFuture<T> ready(Supplier<CompletableFuture<T>> call) {
    try {
      if (!ready) {
        throw ApiException.unavailable("the writer is not ready");
      }
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<WriterReply> createDb(String name) {
    return ready(() -> catalogRequests.createDb(name));
  }

  @Override
  public CompletableFuture<WriterReply> listDbs() {
    return ready(catalogRequests::listDbs);
  }

  @Override
  public CompletableFuture<WriterReply> getDb(String db) {
    return ready(() -> catalogRequests.getDb(db));
  }

  @Override
  public CompletableFuture<WriterReply> dropDb(String db) {
    return ready(() -> catalogRequests.dropDb(db));
  }

  @Override
  public CompletableFuture<WriterReply> createSpace(String db, ObjectNode body) {
    return ready(() -> spaceRequests.create(db, body));
  }

  @Override
  public CompletableFuture<WriterReply> backup(ObjectNode request) {
    return ready(() -> backupRequests.backup(request));
  }

  @Override
  public CompletableFuture<WriterReply> getSpace(String db, String space) {
    return ready(() -> spaceRequests.get(db, space));
  }

  @Override
  public CompletableFuture<WriterReply> listSpaces(String db) {
    return ready(() -> spaceRequests.list(db));
  }

  @Override
  public CompletableFuture<WriterReply> dropSpace(String db, String space) {
    return ready(() -> spaceRequests.drop(db, space));
  }

  @Override
  public CompletableFuture<WriterReply> refresh(String db, String space) {
    return ready(() -> spaceRequests.refresh(db, space));
  }

  @Override
  public CompletableFuture<WriterReply> compact(String db, String space) {
    return ready(() -> spaceRequests.compact(db, space));
  }

  @Override
  public CompletableFuture<WriterReply> index(String db, String space, String id, Payload document, boolean refresh) {
    return ready(() -> documentRequests.index(db, space, id, document, refresh));
  }

  @Override
  public CompletableFuture<WriterReply> bulk(String db, String space, Payload ndjson, boolean refresh) {
    return ready(() -> documentRequests.bulk(db, space, ndjson, refresh));
  }

  @Override
  public CompletableFuture<WriterReply> delete(String db, String space, String id, boolean refresh) {
    return ready(() -> documentRequests.delete(db, space, id, refresh));
  }

  @Override
  public CompletableFuture<WriterReply> createAlias(String alias, String db, String space) {
    return ready(() -> aliasRequests.create(alias, db, space));
  }

  @Override
  public CompletableFuture<WriterReply> switchAlias(String alias, String db, String space, SwitchGuard guard) {
    return ready(() -> aliasRequests.switchTo(alias, db, space, guard));
  }

  @Override
  public CompletableFuture<WriterReply> rollbackAlias(String alias, SwitchGuard guard) {
    return ready(() -> aliasRequests.rollback(alias, guard));
  }

  @Override
  public CompletableFuture<WriterReply> deleteAlias(String alias) {
    return ready(() -> aliasRequests.delete(alias));
  }

  @Override
  public CompletableFuture<WriterReply> getAlias(String alias) {
    return ready(() -> aliasRequests.get(alias));
  }

  @Override
  public CompletableFuture<WriterReply> listAliases() {
    return ready(aliasRequests::list);
  }

  @Override
  public CompletableFuture<WriterReply> catalog() {
    return ready(catalogRequests::get);
  }

  @Override
  public WriterJobs jobs() {
    return jobs;
  }

  /**
   * Adds documents that are checked already (a rebuild's source rows) to a space as upserts,
   * logged and fsynced like any write. The space is bulk loading from then on: it is sealed only
   * when its buffer is full, until {@code space.compact} seals the rest and indexes it.
   */
  public CompletableFuture<Void> load(String db, String space, List<Document> docs) {
    return ready(() -> documentRequests.load(db, space, docs));
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
   * Compacts spaces that have had no write for the quiet period into one indexed segment per
   * partition (the periodic index check; cheap where there is nothing to do).
   */
  public void compactQuietSpaces() {
    refresher.compactQuietSpaces();
  }

  /** The build pool's parallelism now (for tests). */
  int buildThreadsNow() {
    return buildPool.getParallelism();
  }

  /**
   * Stops: queued seals and compactions are skipped, every store is closed on its lane (a
   * compaction in flight is cancelled there: closing waits for its build to stop and deletes its
   * output, and no version is published after), then the compaction thread and the build pool are
   * stopped.
   */
  @Override
  public void close() {
    ready = false;
    stopping = true;
    backupRequests.close();
    spaces.closeAll();
    SpaceLane.shutdown(compactionExec);
    SpaceLane.shutdown(buildPool);
  }
}
