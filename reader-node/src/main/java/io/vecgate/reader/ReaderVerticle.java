package io.vecgate.reader;

import io.vecgate.common.admin.AdminToken;
import io.vecgate.common.api.ApiException;
import io.vecgate.common.cluster.Addresses;
import io.vecgate.common.node.LocalReaders;
import io.vecgate.common.rpc.ReaderGrpcService;
import io.vecgate.common.store.DataLayout;
import io.vecgate.coordination.liveness.ClusterMembers;
import io.vecgate.coordination.liveness.ReaderHeartbeat;
import io.vecgate.reader.grpc.ReaderGrpc;
import io.vecgate.reader.admin.ReaderAdmin;
import io.vecgate.reader.admin.ReaderControl;
import io.vecgate.engine.manifest.Manifest;
import java.nio.file.Files;
import io.vecgate.common.cluster.ClusterBootstrap;
import io.vecgate.reader.search.DirectRunner;
import io.vecgate.reader.search.SearchRunner;
import io.vecgate.reader.search.Warmup;
import io.vecgate.reader.search.merge.MicrometerMergeMetrics;
import io.vecgate.reader.search.merge.QueryMerger;
import io.vecgate.reader.version.LoadedVersion;
import io.vecgate.reader.version.SharedSegments;
import io.vecgate.reader.version.VersionKey;
import io.vecgate.reader.version.VersionLoader;
import io.vecgate.reader.version.VersionRegistry;
import io.vecgate.reader.version.VersionScan;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.server.GrpcServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reader role: serves {@code Search}, {@code Get} and {@code Ping} over gRPC from the
 * versions it has mapped, follows the writer's announcements on {@value #VERSIONS_ADDRESS}, and
 * publishes what it serves on {@value #READERS_ADDRESS} every second and on every change. Its state
 * names its Hazelcast member and, in distributed mode, the Redis key of its {@link ReaderHeartbeat}
 * (written every second with a TTL), which gateways and the writer check before routing to it.
 *
 * <pre>{@code
 * ReaderVerticle reader = new ReaderVerticle(ReaderConfig.defaults(dataDir, "reader-1"));
 * vertx.deployVerticle(reader).await();
 * reader.ready().await();      // the versions found at start are warm
 * int port = reader.grpcPort();
 * }</pre>
 *
 * <p>{@code start()} completes once the gRPC server listens; the data directory is scanned and
 * the newest complete version of each space is loaded and warmed in the background, after which
 * {@link #isReady()} turns true. A newly announced version is loaded and warmed off the event
 * loop, then serves; the version it supersedes keeps serving for {@link ReaderConfig#releaseGrace()}
 * and is unmapped when its last search ends. {@code stop()} refuses new requests, lets running
 * searches finish, closes the server and unmaps everything.
 */
public final class ReaderVerticle extends VerticleBase implements ReaderControl {

  /** Where the writer announces versions and drops. */
  public static final String VERSIONS_ADDRESS = Addresses.VERSIONS;
  /** Where readers publish their state. */
  public static final String READERS_ADDRESS = Addresses.READERS;

  private static final System.Logger LOG = System.getLogger(ReaderVerticle.class.getName());
  private static final long STATE_PERIOD_MS = 1000;
  private static final long STOP_DRAIN_SECONDS = 30;

  private final ReaderConfig config;
  private final ReaderHeartbeat heartbeat;
  private final AdminToken adminToken;
  private final DataLayout layout;
  private final SharedSegments shared = new SharedSegments();
  private final VersionLoader loader;
  private final VersionRegistry registry = new VersionRegistry();
  /** Warm-up queries run since start (loads of new versions; not admin warm-ups). */
  private final AtomicLong warmupQueries = new AtomicLong();
  private final Set<VersionKey> loading = ConcurrentHashMap.newKeySet();
  private final Promise<Void> ready = Promise.promise();

  private ExecutorService executor;
  private SearchRunner runner;
  private ReaderGrpc service;
  private HttpServer server;
  private MessageConsumer<JsonObject> consumer;
  private ReaderAdmin admin;
  private long stateTimer = -1;
  private volatile boolean readyFlag;
  private volatile int boundPort;

  /** A reader without a heartbeat store (standalone, or aliases in Hazelcast). */
  public ReaderVerticle(ReaderConfig config) {
    this(config, ReaderHeartbeat.none());
  }

  /** @param heartbeat where the reader keeps its heartbeat (started and closed with the verticle) */
  public ReaderVerticle(ReaderConfig config, ReaderHeartbeat heartbeat) {
    this(config, heartbeat, AdminToken.off());
  }

  /** @param adminToken the token its admin commands must carry (off: any command is taken) */
  public ReaderVerticle(ReaderConfig config, ReaderHeartbeat heartbeat, AdminToken adminToken) {
    this.config = config;
    this.heartbeat = heartbeat;
    this.adminToken = adminToken;
    this.layout = new DataLayout(config.dataDir());
    this.loader = new VersionLoader(shared, config::serves);
  }

  @Override
  public Future<?> start() {
    executor = Executors.newFixedThreadPool(config.searchThreads(), threads("vecgate-search-" + config.nodeId()));
    runner = config.merge().enabled()
        ? new QueryMerger(executor, config.searchThreads(), config.merge(),
            new MicrometerMergeMetrics(ClusterBootstrap.registry(), config.nodeId()))
        : new DirectRunner(executor);
    service = new ReaderGrpc(registry, executor, runner, config.nodeId());
    GrpcServer grpc = GrpcServer.server(vertx).addService(ReaderGrpcService.of(service));
    consumer = vertx.eventBus().consumer(VERSIONS_ADDRESS, this::onVersions);
    admin = new ReaderAdmin(vertx, config.nodeId(), registry, this, adminToken);
    return consumer.completion()
        .compose(x -> admin.start())
        .compose(x -> vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.grpcPort()))
            .requestHandler(grpc)
            .listen())
        .recover(e -> {
          // A failed start leaves nothing behind: no consumer, no threads.
          runner.close();
          executor.shutdown();
          return consumer.unregister().compose(x -> admin.stop()).transform(x -> Future.failedFuture(new IllegalStateException("reader "
              + config.nodeId() + " cannot listen for gRPC on " + config.host() + ":" + config.grpcPort()
              + " (is the port taken? set another or 0): " + e.getMessage(), e)));
        })
        .onSuccess(s -> {
          server = s;
          boundPort = s.actualPort();
          stateTimer = vertx.setPeriodic(STATE_PERIOD_MS, id -> publishState());
          LocalReaders.register(vertx, config.nodeId(), service);
          scanAtStart();
        })
        // Written once before the first state message, so that message can already announce the key.
        .compose(s -> heartbeat.start(vertx, this::publishedState));
  }

  @Override
  public Future<?> stop() {
    LocalReaders.unregister(vertx, config.nodeId());
    if (service != null) {
      service.stopTaking();
    }
    if (stateTimer >= 0) {
      vertx.cancelTimer(stateTimer);
    }
    // The heartbeat key goes first: gateways stop routing here at their next look.
    Future<Void> left = heartbeat.close();
    List<LoadedVersion> all = registry.close();
    CompletableFuture<Void> drained = CompletableFuture.allOf(all.stream().map(LoadedVersion::closed)
        .toArray(CompletableFuture[]::new));
    Future<Void> drain = Future.fromCompletionStage(drained.orTimeout(STOP_DRAIN_SECONDS, TimeUnit.SECONDS), context)
        .recover(e -> {
          if (e instanceof TimeoutException) {
            LOG.log(System.Logger.Level.WARNING, "reader {0}: searches still running after {1} s; closing anyway",
                config.nodeId(), STOP_DRAIN_SECONDS);
          }
          return Future.succeededFuture();
        });
    return left.compose(x -> drain)
        .compose(x -> consumer == null ? Future.succeededFuture() : consumer.unregister())
        .compose(x -> admin == null ? Future.succeededFuture() : admin.stop())
        .compose(x -> server == null ? Future.succeededFuture() : server.close())
        .onComplete(x -> {
          if (runner != null) {
            runner.close();
          }
          if (executor != null) {
            executor.shutdown();
          }
        });
  }

  /** The port the gRPC server listens on (the one chosen when the config said 0); 0 before start. */
  public int grpcPort() {
    return boundPort;
  }

  /** Whether the versions found in the data directory at start are loaded and warm. */
  public boolean isReady() {
    return readyFlag;
  }

  /** Completes when {@link #isReady()} turns true. */
  public Future<Void> ready() {
    return ready.future();
  }

  /** The versions mapped, warm and taking searches. */
  public List<VersionKey> loadedVersions() {
    return registry.keys();
  }

  /** Warm-up queries run on loaded versions since start, for inspection (tests). */
  public long warmupQueriesRun() {
    return warmupQueries.get();
  }

  /** The versions held, for inspection (tests, admin). */
  public VersionRegistry registry() {
    return registry;
  }

  /** The mapped segment files, for inspection (tests, admin). */
  public SharedSegments segments() {
    return shared;
  }

  /** Searches answered so far (the QPS the node registry reports). */
  public long searchCount() {
    ReaderGrpc s = service;
    return s == null ? 0 : s.searchCount();
  }

  /** The reader state as {@value #READERS_ADDRESS} carries it (see docs/internals.md). */
  public JsonObject publishedState() {
    JsonArray versions = new JsonArray();
    for (VersionKey k : registry.keys()) {
      versions.add(new JsonObject().put("db", k.db()).put("space", k.space()).put("version", k.version()));
    }
    JsonObject state = new JsonObject()
        .put("node_id", config.nodeId())
        .put("grpc_host", config.host())
        .put("grpc_port", boundPort)
        .put("ready", readyFlag)
        .put("versions", versions);
    if (!config.partitions().isEmpty()) {
      state.put("partitions", new JsonArray(config.partitions()));
    }
    // Asked each time: a member that rejoins after a split-brain merge has a new UUID.
    String member = vertx == null ? null : ClusterMembers.localMember(vertx);
    if (member != null) {
      state.put("member", member);
    }
    String key = heartbeat.announcedKey();
    if (key != null) {
      state.put("heartbeat_key", key);
    }
    return state;
  }

  private void publishState() {
    vertx.eventBus().publish(READERS_ADDRESS, publishedState());
  }

  @Override
  public JsonObject state() {
    return publishedState().put("mapped_bytes", shared.mappedBytes()).put("open_files", shared.openFiles());
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
    return vertx.executeBlocking(() -> loadAndWarm(key, dir), false)
        .onComplete(ar -> loading.remove(key))
        .recover(e -> Future.failedFuture(new ApiException(500, "load_failed", "reader " + config.nodeId()
            + " could not load " + key + ": " + e.getMessage())))
        .compose(v -> {
          VersionRegistry.Installed r = registry.install(v, epoch);
          if (!r.accepted()) {
            return Future.failedFuture(ApiException.conflict("newer_version_held", "reader " + config.nodeId()
                + " took a newer version of " + key.spaceName() + " (or the space was dropped) while loading " + key));
          }
          publishState();
          retireLater(r.superseded());
          return Future.succeededFuture(true);
        });
  }

  @Override
  public void release(VersionKey key) {
    LoadedVersion v = registry.versions().stream().filter(x -> x.key().equals(key)).findFirst()
        .orElseThrow(() -> ApiException.notFound("version_not_held", "reader " + config.nodeId() + " does not hold "
            + key + "; it holds " + registry.keys()));
    registry.remove(v);
    LOG.log(System.Logger.Level.INFO, "reader {0}: {1} released by an admin command", config.nodeId(), key);
    publishState();
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
      publishState();
    }
    return released;
  }

  /** Loads the newest complete version of every space; an unreadable one falls back to the one before. */
  private void scanAtStart() {
    vertx.<List<LoadedVersion>>executeBlocking(() -> {
      List<LoadedVersion> out = new ArrayList<>();
      for (List<VersionScan.Found> space : VersionScan.completeVersions(layout)) {
        for (VersionScan.Found f : space) {
          try {
            out.add(loadAndWarm(f.key(), f.dir()));
            break;
          } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "reader " + config.nodeId() + ": cannot load " + f.key() + " from "
                + f.dir() + ", trying the version before: " + e.getMessage(), e);
          }
        }
      }
      return out;
    }, false).onComplete(ar -> {
      if (ar.succeeded()) {
        for (LoadedVersion v : ar.result()) {
          install(v, 0);
        }
      } else {
        LOG.log(System.Logger.Level.ERROR, "reader " + config.nodeId() + ": scanning " + layout.root() + " failed",
            ar.cause());
      }
      readyFlag = true;
      ready.tryComplete();
      publishState();
    });
  }

  private LoadedVersion loadAndWarm(VersionKey key, Path dir) throws Exception {
    long t0 = System.nanoTime();
    LoadedVersion v = loader.load(key, dir);
    try {
      // A segment mapped by an older version too is warm already. Warm-up queries are for the first
      // version of a space this reader serves (cold JIT, cold pages); a later one whose segments
      // are all new (the idle merge rewrites every partition) holds data already compiled for,
      // just written, so touching its pages is enough: its queries cost a core for 2 s per merge
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

  private void onVersions(Message<JsonObject> msg) {
    JsonObject body = msg.body();
    String db = body.getString("db");
    String space = body.getString("space");
    if (db == null || space == null) {
      LOG.log(System.Logger.Level.WARNING, "reader {0}: ignoring a versions message without db/space: {1}",
          config.nodeId(), body);
      return;
    }
    if (body.getBoolean("dropped", false)) {
      List<LoadedVersion> dropped = registry.drop(db, space);
      LOG.log(System.Logger.Level.INFO, "reader {0}: {1}/{2} dropped, releasing {3}", config.nodeId(), db, space,
          dropped.stream().map(LoadedVersion::key).toList());
      publishState();
      return;
    }
    Long version = body.getLong("version");
    if (version == null) {
      LOG.log(System.Logger.Level.WARNING, "reader {0}: ignoring a versions message without version: {1}",
          config.nodeId(), body);
      return;
    }
    VersionKey key = new VersionKey(db, space, version);
    String dirName = body.getString("dir");
    Path dir = dirName == null ? layout.versionDir(db, space, version) : layout.root().resolve(dirName);
    announce(key, dir);
  }

  /** Loads and warms an announced version off the event loop, then lets it serve. */
  private void announce(VersionKey key, Path dir) {
    if (registry.holdsAtLeast(key.db(), key.space(), key.version()) || !loading.add(key)) {
      return;
    }
    long epoch = registry.epoch(key.db(), key.space());
    vertx.executeBlocking(() -> loadAndWarm(key, dir), false).onComplete(ar -> {
      loading.remove(key);
      if (ar.succeeded()) {
        install(ar.result(), epoch);
      } else {
        LOG.log(System.Logger.Level.ERROR, "reader " + config.nodeId() + ": cannot load announced " + key + " from "
            + dir, ar.cause());
      }
    });
  }

  private void install(LoadedVersion v, long epoch) {
    VersionRegistry.Installed r = registry.install(v, epoch);
    if (!r.accepted()) {
      LOG.log(System.Logger.Level.INFO, "reader {0}: {1} is not needed any more (newer held, space dropped, or stopping)",
          config.nodeId(), v.key());
      return;
    }
    publishState();
    retireLater(r.superseded());
  }

  private void retireLater(List<LoadedVersion> superseded) {
    for (LoadedVersion old : superseded) {
      // In-flight searches and gateways still on the old version get the grace period to move.
      vertx.setTimer(Math.max(1, config.releaseGrace().toMillis()), t -> {
        registry.remove(old);
        publishState();
      });
    }
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
