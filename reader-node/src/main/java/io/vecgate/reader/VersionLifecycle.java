package io.vecgate.reader;

import io.vecgate.engine.manifest.Manifest;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.reader.admin.ReaderControl;
import io.vecgate.reader.search.Warmup;
import io.vecgate.reader.version.LoadedVersion;
import io.vecgate.reader.version.MemoryBudget;
import io.vecgate.reader.version.SharedSegments;
import io.vecgate.reader.version.VersionKey;
import io.vecgate.reader.version.VersionLoader;
import io.vecgate.reader.version.VersionRegistry;
import io.vecgate.reader.version.VersionScan;
import io.vecgate.store.DataLayout;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The life of the versions a reader serves, in one place:
 * <ol>
 *   <li><b>load</b> and <b>map</b>: {@link VersionLoader} reads and verifies the manifest and the
 *       tombstones and maps the segments, each file once however many versions list it
 *       ({@link SharedSegments}); off the event loop;</li>
 *   <li><b>warm</b>: {@link Warmup} touches the pages of the segments no older version maps; the
 *       first version of a space this reader serves also gets {@link ReaderConfig#warmupQueries()}
 *       simulated queries, later ones none;</li>
 *   <li><b>serve</b>: {@link VersionRegistry#install} lets it take searches, unless a newer version
 *       or a drop of the space came first;</li>
 *   <li><b>release</b>: the version it supersedes serves on for {@link ReaderConfig#releaseGrace()}
 *       and is then removed; a removed version unmaps when its last search ends. A drop, an admin
 *       {@code release} or {@code gc}, and the reader's stop release without the grace period.</li>
 * </ol>
 * Versions come from the data directory at start ({@link #loadAtStart}), from the writer's
 * announcements ({@link #announced}) and from the admin {@code load}. A version whose files do
 * not fit in the {@link MemoryBudget} beside what is served is refused before anything is
 * mapped; the refusal stays in the reader's state ({@link #refused}) until the version loads or
 * its space is dropped, so the writer's rebuild fails before its switch instead of waiting.
 * Every change of what is served is reported to {@code changed} (the reader publishes its
 * state). Methods are called on the reader's event loop.
 */
final class VersionLifecycle implements ReaderControl {

  private static final System.Logger LOG = System.getLogger(VersionLifecycle.class.getName());
  private static final int MAX_REFUSALS = 16;

  private final Supplier<Vertx> vertx;
  private final ReaderConfig config;
  private final Runnable changed;
  private final DataLayout layout;
  private final SharedSegments shared = new SharedSegments();
  private final VersionLoader loader;
  private final VersionRegistry registry = new VersionRegistry();
  /** Versions being loaded: a second announcement (or load) of one waits for none of them. */
  private final Set<VersionKey> loading = ConcurrentHashMap.newKeySet();
  /**
   * Versions refused for the memory budget, with the reason; the oldest go past {@link #MAX_REFUSALS}.
   * Guarded by itself: the heartbeat reads the state from its own thread.
   */
  private final Map<VersionKey, String> refused = new LinkedHashMap<>();
  /** Warm-up queries run since start (loads of new versions; not admin warm-ups). */
  private final AtomicLong warmupQueries = new AtomicLong();

  /**
   * @param vertx the reader's Vert.x, there once the reader is deployed (the registry and the
   *     segments can be inspected before)
   * @param changed called (on the event loop) whenever the versions served change
   */
  VersionLifecycle(Supplier<Vertx> vertx, ReaderConfig config, Runnable changed) {
    this.vertx = vertx;
    this.config = config;
    this.changed = changed;
    this.layout = new DataLayout(config.dataDir());
    this.loader = new VersionLoader(shared, config::serves, config.memoryBudget());
  }

  VersionRegistry registry() {
    return registry;
  }

  SharedSegments segments() {
    return shared;
  }

  long warmupQueriesRun() {
    return warmupQueries.get();
  }

  /** The versions refused for the memory budget and why, oldest first. */
  Map<VersionKey, String> refused() {
    synchronized (refused) {
      return new LinkedHashMap<>(refused);
    }
  }

  /**
   * Loads the newest complete version of every space of the data directory (an unreadable one
   * falls back to the one before) and lets them serve. Never fails: what cannot be loaded is logged.
   */
  Future<Void> loadAtStart() {
    Map<VersionKey, Exception> refusals = new ConcurrentHashMap<>();
    return vertx.get().<List<LoadedVersion>>executeBlocking(() -> {
      List<LoadedVersion> out = new ArrayList<>();
      for (List<VersionScan.Found> space : VersionScan.completeVersions(layout)) {
        for (VersionScan.Found f : space) {
          try {
            out.add(loadAndWarm(f.key(), f.dir()));
            break;
          } catch (ApiException e) {
            // Refused for the memory budget: the version before may be smaller.
            LOG.log(System.Logger.Level.WARNING, "reader {0}: cannot load {1}, trying the version before: {2}",
                config.nodeId(), f.key(), e.getMessage());
            refusals.put(f.key(), e);
          } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "reader " + config.nodeId() + ": cannot load " + f.key() + " from "
                + f.dir() + ", trying the version before: " + e.getMessage(), e);
          }
        }
      }
      return out;
    }, false).transform(ar -> {
      refusals.forEach((key, e) -> refusedForBudget(key, e));
      if (ar.succeeded()) {
        ar.result().forEach(v -> install(v, 0));
      } else {
        LOG.log(System.Logger.Level.ERROR, "reader " + config.nodeId() + ": scanning " + layout.root() + " failed",
            ar.cause());
      }
      return Future.succeededFuture();
    });
  }

  /**
   * A version the writer announced: loaded and warmed off the event loop, then it serves. Nothing
   * happens when this version or a newer one is held or loading already.
   *
   * @param dirName its directory relative to the data directory, or null for the usual place
   */
  void announced(VersionKey key, String dirName) {
    Path dir = dirName == null ? layout.versionDir(key.db(), key.space(), key.version()) : layout.root().resolve(dirName);
    if (registry.holdsAtLeast(key.db(), key.space(), key.version()) || !loading.add(key)) {
      return;
    }
    long epoch = registry.epoch(key.db(), key.space());
    vertx.get().executeBlocking(() -> loadAndWarm(key, dir), false).onComplete(ar -> {
      loading.remove(key);
      if (ar.succeeded()) {
        install(ar.result(), epoch);
      } else if (!refusedForBudget(key, ar.cause())) {
        LOG.log(System.Logger.Level.ERROR, "reader " + config.nodeId() + ": cannot load announced " + key + " from "
            + dir, ar.cause());
      }
    });
  }

  /** Records a refusal for the memory budget (and publishes it); whether {@code failure} was one. */
  private boolean refusedForBudget(VersionKey key, Throwable failure) {
    if (!(failure instanceof ApiException e) || e.status() != 507) {
      return false;
    }
    LOG.log(System.Logger.Level.ERROR, "reader {0}: refused {1}: {2}", config.nodeId(), key, e.getMessage());
    synchronized (refused) {
      refused.remove(key);
      refused.put(key, "reader " + config.nodeId() + ": " + e.getMessage());
      while (refused.size() > MAX_REFUSALS) {
        refused.remove(refused.keySet().iterator().next());
      }
    }
    changed.run();
    return true;
  }

  /** The space was dropped: every version of it is released at once, and loads under way are refused. */
  void dropped(String db, String space) {
    List<LoadedVersion> dropped = registry.drop(db, space);
    synchronized (refused) {
      refused.keySet().removeIf(k -> k.db().equals(db) && k.space().equals(space));
    }
    LOG.log(System.Logger.Level.INFO, "reader {0}: {1}/{2} dropped, releasing {3}", config.nodeId(), db, space,
        dropped.stream().map(LoadedVersion::key).toList());
    changed.run();
  }

  @Override
  public Future<Boolean> load(VersionKey key) {
    if (registry.keys().contains(key)) {
      return Future.succeededFuture(false);
    }
    Path dir = layout.versionDir(key.db(), key.space(), key.version());
    if (!Files.exists(dir.resolve(Manifest.FILE_NAME))) {
      return Future.failedFuture(ApiException.notFound("version_not_found", key + " is not published in " + layout.root()
          + " (no " + dir.resolve(Manifest.FILE_NAME) + ")"));
    }
    if (registry.holdsAtLeast(key.db(), key.space(), key.version())) {
      return Future.failedFuture(ApiException.conflict("newer_version_held", "reader " + config.nodeId()
          + " holds a newer version of " + key.spaceName() + " than " + key.version() + "; release it first"));
    }
    if (!loading.add(key)) {
      return Future.failedFuture(ApiException.conflict("version_loading", key + " is being loaded already"));
    }
    long epoch = registry.epoch(key.db(), key.space());
    return vertx.get().executeBlocking(() -> loadAndWarm(key, dir), false)
        .onComplete(ar -> loading.remove(key))
        .recover(e -> Future.failedFuture(refusedForBudget(key, e) ? new ApiException(507, "memory_budget_exceeded",
            refused().get(key)) : new ApiException(500, "load_failed", "reader " + config.nodeId() + " could not load "
            + key + ": " + e.getMessage())))
        .compose(v -> install(v, epoch) ? Future.succeededFuture(true)
            : Future.failedFuture(ApiException.conflict("newer_version_held", "reader " + config.nodeId()
                + " took a newer version of " + key.spaceName() + " (or the space was dropped) while loading " + key)));
  }

  @Override
  public void release(VersionKey key) {
    LoadedVersion v = registry.versions().stream().filter(x -> x.key().equals(key)).findFirst()
        .orElseThrow(() -> ApiException.notFound("version_not_held", "reader " + config.nodeId() + " does not hold "
            + key + "; it holds " + registry.keys()));
    registry.remove(v);
    LOG.log(System.Logger.Level.INFO, "reader {0}: {1} released by an admin command", config.nodeId(), key);
    changed.run();
  }

  @Override
  public List<VersionKey> collectGarbage() {
    List<LoadedVersion> all = registry.versions();
    List<VersionKey> released = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      LoadedVersion v = all.get(i);
      boolean superseded = i + 1 < all.size() && all.get(i + 1).key().spaceName().equals(v.key().spaceName());
      boolean gone = !Files.exists(v.dir().resolve(Manifest.FILE_NAME));
      if (superseded || gone) {
        registry.remove(v);
        released.add(v.key());
      }
    }
    if (!released.isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "reader {0}: garbage collection released {1}", config.nodeId(), released);
      changed.run();
    }
    return released;
  }

  /**
   * Takes no more versions and releases every one; completes when the running searches have ended
   * and everything is unmapped, or after {@code drain} (logged) when searches are still running.
   */
  Future<Void> close(Context context, Duration drain) {
    List<LoadedVersion> all = registry.close();
    CompletableFuture<Void> closed = CompletableFuture.allOf(all.stream().map(LoadedVersion::closed)
        .toArray(CompletableFuture[]::new));
    return Future.fromCompletionStage(closed.orTimeout(drain.toMillis(), TimeUnit.MILLISECONDS),
        context).recover(e -> {
          if (e instanceof TimeoutException) {
            LOG.log(System.Logger.Level.WARNING, "reader {0}: searches still running after {1} s; closing anyway",
                config.nodeId(), drain.toSeconds());
          }
          return Future.succeededFuture();
        });
  }

  private LoadedVersion loadAndWarm(VersionKey key, Path dir) throws Exception {
    long t0 = System.nanoTime();
    LoadedVersion v = loader.load(key, dir);
    try {
      // A segment mapped by an older version too is warm already. Warm-up queries are for the first
      // version of a space this reader serves (cold JIT, cold pages); a later one whose segments
      // are all new (the idle compaction rewrites every partition) holds data already compiled for,
      // just written, so touching its pages is enough: its queries cost a core for 2 s per compaction
      // of 200k FLAT documents, in the middle of an ingest.
      int queries = registry.holdsAtLeast(key.db(), key.space(), 0) ? 0 : config.warmupQueries();
      int n = Warmup.warm(v, queries, s -> shared.references(key.db(), key.space(), s.file()) == 1);
      warmupQueries.addAndGet(n);
      LOG.log(System.Logger.Level.INFO, "reader {0}: {1} loaded ({2} live docs) and warmed with {3} queries in {4} ms",
          config.nodeId(), key, v.liveCount(), n, (System.nanoTime() - t0) / 1_000_000);
      return v;
    } catch (RuntimeException e) {
      v.retire();
      throw e;
    }
  }

  /** Lets a warm version serve; whether it was taken (not when a newer one is held or the space was dropped). */
  private boolean install(LoadedVersion v, long epoch) {
    VersionRegistry.Installed r = registry.install(v, epoch);
    if (!r.accepted()) {
      LOG.log(System.Logger.Level.INFO, "reader {0}: {1} is not needed any more (newer held, space dropped, or stopping)",
          config.nodeId(), v.key());
      return false;
    }
    synchronized (refused) {
      refused.remove(v.key());
    }
    changed.run();
    for (LoadedVersion old : r.superseded()) {
      // In-flight searches and gateways still on the old version get the grace period to move.
      vertx.get().setTimer(Math.max(1, config.releaseGrace().toMillis()), t -> {
        registry.remove(old);
        changed.run();
      });
    }
    return true;
  }
}
