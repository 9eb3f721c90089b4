package io.vecgate.gateway;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasStoreHealth;
import io.vecgate.coordination.liveness.ReaderLiveness;
import io.vecgate.gateway.catalog.CatalogCache;
import io.vecgate.gateway.http.ReadApi;
import io.vecgate.gateway.http.RouteAccess;
import io.vecgate.gateway.http.WriteApi;
import io.vecgate.gateway.readers.MicrometerReaderMetrics;
import io.vecgate.gateway.readers.ReaderDirectory;
import io.vecgate.gateway.readers.ReaderMetrics;
import io.vecgate.gateway.search.SearchCoordinator;
import io.vecgate.gateway.vearch.V35Routes;
import io.vecgate.protocol.access.AccessTokens;
import io.vecgate.runtime.cluster.ClusterBootstrap;
import io.vecgate.runtime.node.NodeEndpoints;
import io.vecgate.runtime.node.Readiness;
import io.vecgate.runtime.tls.ClientTls;
import io.vecgate.runtime.tls.ServerTls;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The gateway role: the read endpoint and the write endpoint (separate listeners, so they can
 * sit behind separate domains), both with the node endpoints ({@code /health/*}, {@code /metrics}).
 * Names resolve against the writer's catalog and the alias store's local copy; while the alias
 * store is unreachable the gateway stays ready (searches use the cached aliases) and
 * {@code /health/ready} says {@code degraded}; the same when the readers' Redis heartbeats are
 * ignored (Redis unreachable: readers are routed by their other signals). Every route needs the
 * token of its level ({@link RouteAccess}); the node endpoints are open (probes and scrapers carry
 * no token).
 */
public final class GatewayVerticle extends VerticleBase {

  private final GatewayConfig config;
  private final AliasStore aliases;
  private final ReaderLiveness liveness;
  private final AccessTokens tokens;
  private RouteAccess access;
  private final PrometheusMeterRegistry meters;
  private CatalogCache catalog;
  private ReaderDirectory readers;
  private HttpServer readServer;
  private HttpServer writeServer;
  /** Each endpoint's routes as served; docs/api.md is checked against them. */
  private Router readRoutes;
  private Router writeRoutes;
  /** TLS of both endpoints, or null for plain HTTP. */
  private ServerTls tls;
  /** TLS of the gRPC calls to readers, or null for plain HTTP/2. */
  private ClientTls readerTls;
  /** Whether the reader of this JVM has loaded its versions (standalone); null: no such reader to wait for. */
  private volatile BooleanSupplier localReaderReady;

  /** Without liveness signals beyond the gateway's own (state messages, pings): tests, tools. */
  public GatewayVerticle(GatewayConfig config, AliasStore aliases) {
    this(config, aliases, ReaderLiveness.none());
  }

  /**
   * @param aliases the node's alias store (shared with the other roles of the JVM; the gateway does not close it)
   * @param liveness what the cluster says of the readers: membership, Redis heartbeats (shared; not closed here)
   */
  public GatewayVerticle(GatewayConfig config, AliasStore aliases, ReaderLiveness liveness) {
    this(config, aliases, liveness, AccessTokens.none());
  }

  /**
   * @param tokens the deployment's tokens: both endpoints check them, and the gateway sends its own
   *     to the writer and the readers (a level without a token is open)
   */
  public GatewayVerticle(GatewayConfig config, AliasStore aliases, ReaderLiveness liveness, AccessTokens tokens) {
    this(config, aliases, liveness, tokens, ClusterBootstrap.newRegistry());
  }

  /**
   * @param meters the node's registry: the gateway's meters go there, and both endpoints'
   *     {@code /metrics} show it (with the meters of the other roles of the JVM that share it)
   */
  public GatewayVerticle(GatewayConfig config, AliasStore aliases, ReaderLiveness liveness, AccessTokens tokens,
                         PrometheusMeterRegistry meters) {
    this.meters = meters;
    this.tokens = tokens;
    this.config = config;
    this.aliases = aliases;
    this.liveness = liveness;
  }

  /**
   * Makes {@code /health/ready} wait for a reader of the same JVM to have loaded and warmed the
   * versions it found at start, and for this gateway to route every published space to it
   * (standalone: until then every search of those spaces would fail, as no reader serves them yet).
   */
  public GatewayVerticle waitForLocalReader(BooleanSupplier ready) {
    this.localReaderReady = ready;
    return this;
  }

  /**
   * Serves both endpoints over TLS (HTTPS, HTTP/2 by ALPN) with {@code tls}'s files, reloaded when
   * they change; null keeps plain HTTP.
   */
  public GatewayVerticle withTls(ServerTls tls) {
    this.tls = tls;
    return this;
  }

  /** Calls the readers' gRPC over TLS ({@code tls}: their CA, and the gateway's client certificate); null: plain. */
  public GatewayVerticle withReaderTls(ClientTls tls) {
    this.readerTls = tls;
    return this;
  }

  /** Whether a routable reader covers every published space (the reader's state reached the directory). */
  private boolean servesEveryPublishedSpace() {
    return catalog.view().spaces().filter(e -> e.version() > 0)
        .allMatch(e -> readers.newestServed(e.schema().db(), e.schema().name(), e.schema().partitionNum()) >= 0);
  }

  @Override
  public Future<?> start() {
    catalog = new CatalogCache(vertx, aliases.local(), tokens);
    ReaderMetrics metrics = new MicrometerReaderMetrics(meters);
    readers = new ReaderDirectory(vertx, config.readerExpiryMillis(), config.inProcessReaders(), config.routing(), metrics,
        liveness, tokens, readerTls);
    SearchCoordinator searches = new SearchCoordinator(catalog, readers, config.maxTopK(), metrics);
    access = new RouteAccess(tokens);
    V35Routes vearch35 = new V35Routes(vertx, catalog, searches, config.writerTimeoutMillis(), config.maxBodyBytes(),
        config.maxTopK());
    Router read = Router.router(vertx);
    NodeEndpoints.mount(read, "gateway", this::readiness, meters);
    read.getRoutes().forEach(access::open);
    vearch35.mountReads(read, "http://" + config.host() + ":" + config.writePort(), access);
    read.route().subRouter(ReadApi.router(vertx, config, searches, readers, aliases, meters, access));
    Router write = Router.router(vertx);
    NodeEndpoints.mount(write, "gateway", this::readiness, meters);
    write.getRoutes().forEach(access::open);
    vearch35.mountWrites(write, "http://" + config.host() + ":" + config.readPort(), access);
    write.route().subRouter(WriteApi.router(vertx, config, catalog, readers, aliases, access));
    readRoutes = read;
    writeRoutes = write;
    HttpServerOptions opts = new HttpServerOptions().setHost(config.host()).setCompressionSupported(true);
    if (tls != null) {
      tls.configure(opts);
    }
    return Future.all(catalog.start(), readers.start())
        .compose(v -> vertx.createHttpServer(new HttpServerOptions(opts).setPort(config.readPort()))
            .requestHandler(read).listen())
        .compose(s -> {
          readServer = s;
          return vertx.createHttpServer(new HttpServerOptions(opts).setPort(config.writePort())).requestHandler(write).listen();
        })
        .onSuccess(s -> {
          writeServer = s;
          if (tls != null) {
            tls.keepFresh(vertx, readServer);
            tls.keepFresh(vertx, writeServer);
          }
        });
  }

  private Readiness readiness() {
    boolean hasCatalog = catalog.view().revision() >= 0;
    BooleanSupplier local = localReaderReady;
    boolean readerReady = local == null || local.getAsBoolean() && servesEveryPublishedSpace();
    AliasStoreHealth store = aliases.health();
    String state = !hasCatalog ? "waiting for the writer's catalog"
        : !readerReady ? "waiting for the reader of this process to load and warm its versions"
        : "catalog revision " + catalog.view().revision() + ", " + readers.live().size() + " live readers ("
            + readers.routableCount() + " routable)";
    return new Readiness(hasCatalog && readerReady, !store.connected() || liveness.degraded(),
        state + "; " + store.detail() + "; " + liveness.detail());
  }

  /** Searches received so far at the read endpoint (the node's QPS is its rate). */
  public long searchCount() {
    Search s = meters.find("vecgate.search");
    return s.timers().stream().mapToLong(Timer::count).sum();
  }

  /** The read endpoint's routes, once started (the API contract test holds docs/api.md to them). */
  Router readRoutes() {
    return readRoutes;
  }

  /** The write endpoint's routes, once started. */
  Router writeRoutes() {
    return writeRoutes;
  }

  /** The level each route of both endpoints needs, once started (the API contract test holds docs/api.md to it). */
  Optional<String> levelOf(Route route) {
    return access.levelOf(route);
  }

  /** The bound read port (useful when configured as 0). */
  public int readPort() {
    return readServer.actualPort();
  }

  public int writePort() {
    return writeServer.actualPort();
  }

  @Override
  public Future<?> stop() {
    if (tls != null) {
      tls.stop();
    }
    // Finish in-flight requests (up to 10 s), then let go of the readers and the catalog.
    Future<Void> r = readServer == null ? Future.succeededFuture() : readServer.shutdown(10, TimeUnit.SECONDS);
    Future<Void> w = writeServer == null ? Future.succeededFuture() : writeServer.shutdown(10, TimeUnit.SECONDS);
    return Future.all(r, w).eventually(() -> {
      catalog.stop();
      return readers.stop();
    });
  }
}
