package io.vecgate.launcher.role;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.alias.AliasStores;
import io.vecgate.coordination.liveness.ReaderHeartbeat;
import io.vecgate.coordination.liveness.ReaderLiveness;
import io.vecgate.gateway.GatewayConfig;
import io.vecgate.gateway.GatewayVerticle;
import io.vecgate.protocol.access.AccessTokens;
import io.vecgate.reader.ReaderConfig;
import io.vecgate.reader.ReaderVerticle;
import io.vecgate.runtime.node.NodeRegistry;
import io.vecgate.writer.WriterConfig;
import io.vecgate.writer.WriterVerticle;
import io.vecgate.writer.rebuild.PhasePause;
import io.vecgate.writer.rebuild.RebuildJob;
import io.vecgate.writer.service.ServiceSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** How each role's verticles are made from the options and deployed. */
final class Roles {

  private Roles() {}

  /** The alias store of this JVM (one for all its roles); closed when the Vert.x closes. */
  static Future<AliasStore> aliases(Vertx vertx, AliasStoreConfig config) {
    return AliasStores.open(vertx, config).onSuccess(store -> closeWith(vertx, store::close));
  }

  /**
   * What the cluster says of the readers (Hazelcast membership; Redis heartbeats when the store is
   * Redis), one for all the roles of this JVM; closed when the Vert.x closes.
   */
  static Future<ReaderLiveness> liveness(Vertx vertx, AliasStoreConfig config) {
    return ReaderLiveness.open(vertx, config).onSuccess(l -> closeWith(vertx, l::close));
  }

  static WriterVerticle writer(NodeOptions node, WriterOptions w, long maxBodyBytes, AliasStore aliases,
                               ReaderLiveness liveness, MeterRegistry meters) {
    int buildThreads = w.buildThreads > 0 ? w.buildThreads : ServiceSettings.defaultBuildThreads();
    return new WriterVerticle(new WriterConfig(node.dataDir, w.refreshInterval, w.sealDocs, w.versionsKept,
        w.compactionSegments, maxBodyBytes, w.flatBelow, w.quietPeriod, buildThreads, w.busyIndexDocs,
        w.writeLimits()), aliases,
        new RebuildJob.Settings(w.rebuildBatch, w.rebuildTimeout, w.rebuildKeep)
            // Test only (the crash tests): unset in every deployment, where it is PhaseHook.NONE.
            .withHook(PhasePause.parse(System.getProperty(PhasePause.PROPERTY))),
        liveness, node.tokens(), meters);
  }

  /** @param heartbeat the reader's heartbeat in the deployment's store (started and closed with the reader) */
  static ReaderVerticle reader(NodeOptions node, ReaderOptions r, String nodeId, ReaderHeartbeat heartbeat,
                               MeterRegistry meters) {
    int threads = r.searchThreads > 0 ? r.searchThreads : Runtime.getRuntime().availableProcessors();
    return new ReaderVerticle(new ReaderConfig(node.dataDir, nodeId, node.host, r.grpcPort, r.warmupQueries,
        r.releaseGrace, threads, r.partitions, r.mergeSettings(), r.memoryBudget()), heartbeat, node.tokens(),
        meters);
  }

  static GatewayVerticle gateway(GatewayConfig config, AliasStore aliases, ReaderLiveness liveness, AccessTokens tokens,
                                 PrometheusMeterRegistry meters) {
    return new GatewayVerticle(config, aliases, liveness, tokens, meters);
  }

  /**
   * Registers a node in the cluster's node registry (so {@code vecgate admin nodes} finds it) until
   * the Vert.x closes.
   *
   * @param details the role's part of its {@code info}: endpoints, versions, mapped bytes
   * @param requests the counter whose rate is its QPS
   */
  static Future<NodeRegistry> register(Vertx vertx, String nodeId, String role, AccessTokens tokens,
                                       Supplier<JsonObject> details, LongSupplier requests) {
    // Leaving the registry is advisory (its entry expires anyway): a failure does not fail the close.
    return NodeRegistry.register(vertx, nodeId, role, tokens, details, requests)
        .onSuccess(r -> closeWith(vertx, () -> r.close().recover(e -> Future.succeededFuture())));
  }

  /** What a reader tells of itself in the node registry. */
  static JsonObject readerDetails(ReaderVerticle r, String host, int httpPort) {
    JsonObject endpoints = new JsonObject().put("grpc", host + ":" + r.grpcPort());
    if (httpPort > 0) {
      endpoints.put("health", "http://" + host + ":" + httpPort);
    }
    JsonArray versions = new JsonArray(r.loadedVersions().stream().map(Object::toString).toList());
    return new JsonObject().put("endpoints", endpoints).put("versions", versions)
        .put("mapped_bytes", r.segments().mappedBytes()).put("ready", r.isReady());
  }

  /** Requests the writer has answered (its QPS is their rate). */
  static long writerRequests(MeterRegistry meters) {
    Search s = meters.find("vecgate.writer.requests");
    return (long) s.counters().stream().mapToDouble(Counter::count).sum();
  }

  /** Runs {@code close} when the Vert.x closes, which waits for it. */
  private static void closeWith(Vertx vertx, Supplier<Future<?>> close) {
    ((VertxInternal) vertx).addCloseHook(done -> close.get().onComplete(ar -> done.complete(null, ar.cause())));
  }
}
