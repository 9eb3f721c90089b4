package io.vecgate.gateway.milvus;

import io.micrometer.core.instrument.MeterRegistry;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.gateway.GatewayConfig;
import io.vecgate.gateway.catalog.CatalogCache;
import io.vecgate.gateway.http.RefreshVisibility;
import io.vecgate.gateway.readers.ReaderDirectory;
import io.vecgate.gateway.search.SearchCoordinator;
import io.vecgate.milvus.proto.MilvusServiceGrpcService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's Milvus listener: gRPC service {@code milvus.proto.milvus.MilvusService} (what
 * {@code io.milvus:milvus-sdk-java} 2.6 speaks) on its own port, serving the methods of {@link #METHODS} through
 * {@link MilvusApi}. Every other method of the service is answered with gRPC status UNIMPLEMENTED at once, as a
 * Milvus server that lacks a method answers it (the SDK does not retry it).
 */
public final class MilvusServer {

  /** The methods served; docs/api.md ("The Milvus API") lists the same. */
  public static final List<ServiceMethod<?, ?>> METHODS = List.of(
      MilvusServiceGrpcService.Connect, MilvusServiceGrpcService.GetVersion, MilvusServiceGrpcService.CheckHealth,
      MilvusServiceGrpcService.ListDatabases, MilvusServiceGrpcService.AllocTimestamp,
      MilvusServiceGrpcService.CreateCollection, MilvusServiceGrpcService.DropCollection,
      MilvusServiceGrpcService.HasCollection, MilvusServiceGrpcService.DescribeCollection,
      MilvusServiceGrpcService.ShowCollections, MilvusServiceGrpcService.GetCollectionStatistics,
      MilvusServiceGrpcService.CreateIndex, MilvusServiceGrpcService.DescribeIndex,
      MilvusServiceGrpcService.LoadCollection, MilvusServiceGrpcService.ReleaseCollection,
      MilvusServiceGrpcService.GetLoadState, MilvusServiceGrpcService.GetLoadingProgress,
      MilvusServiceGrpcService.Insert, MilvusServiceGrpcService.Upsert, MilvusServiceGrpcService.Delete,
      MilvusServiceGrpcService.Flush, MilvusServiceGrpcService.GetFlushState,
      MilvusServiceGrpcService.Query, MilvusServiceGrpcService.Search,
      MilvusServiceGrpcService.CreateAlias, MilvusServiceGrpcService.AlterAlias, MilvusServiceGrpcService.DropAlias,
      MilvusServiceGrpcService.DescribeAlias, MilvusServiceGrpcService.ListAliases);

  private final Vertx vertx;
  private final GatewayConfig config;
  private final int port;
  private final MilvusApi api;
  private final MilvusAccess access;
  private HttpServer server;

  /**
   * @param port the port to listen on (0: any free one)
   * @param standalone what Connect reports as the deploy mode
   * @param meters the gateway's registry: Milvus searches count in {@code vecgate.search} as HTTP ones do
   */
  public MilvusServer(Vertx vertx, GatewayConfig config, int port, CatalogCache catalog, ReaderDirectory readers,
                      SearchCoordinator searches, AliasStore aliases, boolean standalone, MilvusAccess access,
                      MeterRegistry meters) {
    this.vertx = vertx;
    this.config = config;
    this.port = port;
    this.access = access;
    RefreshVisibility visibility = new RefreshVisibility(vertx, catalog, readers, config.writerTimeoutMillis());
    this.api = new MilvusApi(catalog, aliases, new WriterBus(vertx, config.writerTimeoutMillis()), visibility,
        new MilvusReads(searches, config.maxTopK(), meters), standalone);
  }

  public Future<MilvusServer> start() {
    GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions()
            .setMaxMessageSize(config.maxBodyBytes()))
        .addService(MilvusServiceGrpcService.builder(api).bind(METHODS).build());
    return vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(port))
        .requestHandler(req -> dispatch(grpc, req)).listen()
        .map(s -> {
          server = s;
          return this;
        });
  }

  private void dispatch(GrpcServer grpc, HttpServerRequest req) {
    String path = req.path();
    String refusal = access.refusal(path.substring(path.lastIndexOf('/') + 1), req.headers());
    if (refusal == null) {
      grpc.handle(req);
      return;
    }
    // UNAUTHENTICATED (16) in the trailers-only form of a gRPC answer.
    req.response().putHeader("content-type", "application/grpc").putHeader("grpc-status", "16")
        .putHeader("grpc-message", refusal).end();
  }

  /** The bound port (useful when configured as 0). */
  public int port() {
    return server.actualPort();
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(10, TimeUnit.SECONDS);
  }
}
