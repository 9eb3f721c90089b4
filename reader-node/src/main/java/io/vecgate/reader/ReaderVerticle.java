package io.vecgate.reader;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vecgate.coordination.liveness.ClusterMembers;
import io.vecgate.coordination.liveness.ReaderHeartbeat;
import io.vecgate.protocol.access.AccessLevel;
import io.vecgate.protocol.access.AccessTokens;
import io.vecgate.protocol.access.PublishCheck;
import io.vecgate.protocol.bus.Addresses;
import io.vecgate.protocol.bus.ReaderState;
import io.vecgate.protocol.bus.VersionNotice;
import io.vecgate.protocol.reader.ReaderGrpcService;
import io.vecgate.reader.admin.ReaderAdmin;
import io.vecgate.reader.admin.ReaderControl;
import io.vecgate.reader.grpc.GrpcAccess;
import io.vecgate.reader.grpc.ReaderGrpc;
import io.vecgate.reader.search.DirectRunner;
import io.vecgate.reader.search.SearchRunner;
import io.vecgate.reader.search.merge.MicrometerMergeMetrics;
import io.vecgate.reader.search.merge.QueryMerger;
import io.vecgate.reader.version.SharedSegments;
import io.vecgate.reader.version.VersionKey;
import io.vecgate.reader.version.VersionRegistry;
import io.vecgate.runtime.node.LocalReaders;
import io.vecgate.runtime.tls.ServerTls;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.server.GrpcServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

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
 * <p>A shell over its parts: the gRPC service ({@link ReaderGrpc}, its searches run alone or
 * merged by a {@link SearchRunner}), the version lifecycle ({@link VersionLifecycle}: load, map,
 * warm, serve, release), the admin commands ({@link ReaderAdmin}) and the heartbeat.
 * {@code start()} completes once the gRPC server listens; the data directory is scanned and the
 * newest complete version of each space is loaded and warmed in the background, after which
 * {@link #isReady()} turns true. {@code stop()} refuses new requests, lets running searches
 * finish, closes the server and unmaps everything.
 */
public final class ReaderVerticle extends VerticleBase {

  /** Where the writer announces versions and drops. */
  public static final String VERSIONS_ADDRESS = Addresses.VERSIONS;
  /** Where readers publish their state. */
  public static final String READERS_ADDRESS = Addresses.READERS;

  private static final System.Logger LOG = System.getLogger(ReaderVerticle.class.getName());
  private static final long STATE_PERIOD_MS = 1000;
  private static final Duration STOP_DRAIN = Duration.ofSeconds(30);

  private final ReaderConfig config;
  private final ReaderHeartbeat heartbeat;
  private final AccessTokens tokens;
  private final PublishCheck notices;
  /** TLS of the gRPC server, or null for plain HTTP/2. */
  private ServerTls tls;
  private final MeterRegistry meters;
  private final Promise<Void> ready = Promise.promise();

  private final VersionLifecycle versions;
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
    this(config, heartbeat, AccessTokens.none());
  }

  /**
   * @param tokens the deployment's tokens: gRPC calls need one that opens reads, admin commands and
   *     the writer's version notices the admin token (a level without a token is open)
   */
  public ReaderVerticle(ReaderConfig config, ReaderHeartbeat heartbeat, AccessTokens tokens) {
    this(config, heartbeat, tokens, new SimpleMeterRegistry());
  }

  /** @param meters the node's registry, where the reader's meters go ({@code /metrics} shows it) */
  public ReaderVerticle(ReaderConfig config, ReaderHeartbeat heartbeat, AccessTokens tokens, MeterRegistry meters) {
    this.meters = meters;
    this.config = config;
    this.heartbeat = heartbeat;
    this.tokens = tokens;
    this.notices = new PublishCheck(tokens, "version notice");
    this.versions = new VersionLifecycle(() -> vertx, config, this::publishState);
  }

  /**
   * Serves gRPC over TLS with {@code tls}'s files (reloaded when they change; with a client CA,
   * only to clients with a certificate it signed); null keeps plain HTTP/2.
   */
  public ReaderVerticle withTls(ServerTls tls) {
    this.tls = tls;
    return this;
  }

  @Override
  public Future<?> start() {
    executor = Executors.newFixedThreadPool(config.searchThreads(), threads("vecgate-search-" + config.nodeId()));
    runner = config.merge().enabled()
        ? new QueryMerger(executor, config.searchThreads(), config.merge(),
            new MicrometerMergeMetrics(meters, config.nodeId()))
        : new DirectRunner(executor);
    service = new ReaderGrpc(versions.registry(), executor, runner, config.nodeId());
    GrpcServer grpc = GrpcServer.server(vertx).addService(ReaderGrpcService.of(service));
    consumer = vertx.eventBus().consumer(VERSIONS_ADDRESS, this::onVersions);
    admin = new ReaderAdmin(vertx, config.nodeId(), versions.registry(), versions, this::state, tokens);
    return consumer.completion()
        .compose(x -> admin.start())
        .compose(x -> vertx.createHttpServer(grpcServerOptions())
            .requestHandler(new GrpcAccess(tokens, grpc))
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
          if (tls != null) {
            tls.keepFresh(vertx, s);
          }
          stateTimer = vertx.setPeriodic(STATE_PERIOD_MS, id -> publishState());
          LocalReaders.register(vertx, config.nodeId(), service);
          versions.loadAtStart().onComplete(x -> {
            readyFlag = true;
            ready.tryComplete();
            publishState();
          });
        })
        // Written once before the first state message, so that message can already announce the key.
        .compose(s -> heartbeat.start(vertx, this::publishedState));
  }

  private HttpServerOptions grpcServerOptions() {
    HttpServerOptions o = new HttpServerOptions().setHost(config.host()).setPort(config.grpcPort());
    return tls == null ? o : tls.configure(o);
  }

  @Override
  public Future<?> stop() {
    if (tls != null) {
      tls.stop();
    }
    LocalReaders.unregister(vertx, config.nodeId());
    if (service != null) {
      service.stopTaking();
    }
    if (stateTimer >= 0) {
      vertx.cancelTimer(stateTimer);
    }
    // The heartbeat key goes first: gateways stop routing here at their next look.
    Future<Void> left = heartbeat.close();
    Future<Void> drain = versions.close(context, STOP_DRAIN);
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
    return registry().keys();
  }

  /** Warm-up queries run on loaded versions since start, for inspection (tests). */
  public long warmupQueriesRun() {
    return versions.warmupQueriesRun();
  }

  /** Loads, releases and lists versions as the admin commands do (tests of the lifecycle). */
  ReaderControl control() {
    return versions;
  }

  /** The versions held, for inspection (tests, admin). */
  public VersionRegistry registry() {
    return versions.registry();
  }

  /** The mapped segment files, for inspection (tests, admin). */
  public SharedSegments segments() {
    return versions.segments();
  }

  /** Searches answered so far (the QPS the node registry reports). */
  public long searchCount() {
    ReaderGrpc s = service;
    return s == null ? 0 : s.searchCount();
  }

  /** The reader state as {@value #READERS_ADDRESS} carries it (see docs/internals.md). */
  public JsonObject publishedState() {
    List<ReaderState.Served> served = registry().keys().stream()
        .map(k -> new ReaderState.Served(k.db(), k.space(), k.version())).toList();
    // Asked each time: a member that rejoins after a split-brain merge has a new UUID.
    String member = vertx == null ? null : ClusterMembers.localMember(vertx);
    List<Integer> partitions = config.partitions().isEmpty() ? null : config.partitions();
    List<ReaderState.Refused> refused = versions.refused().entrySet().stream()
        .map(e -> new ReaderState.Refused(e.getKey().db(), e.getKey().space(), e.getKey().version(), e.getValue()))
        .toList();
    return new ReaderState(config.nodeId(), config.host(), boundPort, readyFlag, served, partitions, member,
        heartbeat.announcedKey(), refused).toJson();
  }

  private void publishState() {
    // Signed: gateways and the writer route to, and wait for, only readers that have the admin token.
    vertx.eventBus().publish(READERS_ADDRESS, publishedState(), tokens.sign(new DeliveryOptions(), AccessLevel.ADMIN));
  }

  /** The admin command {@code state}: the published state plus what is mapped. */
  private JsonObject state() {
    return publishedState().put("mapped_bytes", segments().mappedBytes()).put("open_files", segments().openFiles())
        .put("memory_budget_bytes", config.memoryBudget().limited() ? config.memoryBudget().bytes() : null);
  }

  /** The writer's announcement of a version (or of a dropped space). */
  private void onVersions(Message<JsonObject> msg) {
    VersionNotice notice;
    // Only the writer announces versions: a notice without its admin token maps or drops nothing.
    if (!notices.admit(msg)) {
      return;
    }
    try {
      notice = VersionNotice.fromJson(msg.body());
    } catch (IllegalArgumentException e) {
      LOG.log(System.Logger.Level.WARNING, "reader {0}: ignoring {1}", config.nodeId(), e.getMessage());
      return;
    }
    if (notice.dropped()) {
      versions.dropped(notice.db(), notice.space());
    } else {
      versions.announced(new VersionKey(notice.db(), notice.space(), notice.version()), notice.dir());
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
