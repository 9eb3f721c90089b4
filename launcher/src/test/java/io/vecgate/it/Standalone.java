package io.vecgate.it;

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
import io.vecgate.reader.search.merge.MergeSettings;
import io.vecgate.reader.version.MemoryBudget;
import io.vecgate.runtime.cluster.ClusterBootstrap;
import io.vecgate.writer.WriterConfig;
import io.vecgate.writer.WriterVerticle;
import io.vecgate.writer.rebuild.RebuildJob;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The standalone service in the test's JVM: writer, reader and gateway verticles on one
 * (non-clustered) Vert.x, on a data directory of the test's, listening on free loopback ports.
 * {@link #close()} stops it the way a shutdown does; a new one on the same directory restarts it.
 */
public final class Standalone implements AutoCloseable {

  public final Vertx vertx;
  public final GatewayVerticle gateway;
  public final Http read;
  public final Http write;

  private Standalone(Vertx vertx, GatewayVerticle gateway) {
    this.vertx = vertx;
    this.gateway = gateway;
    this.read = new Http("http://127.0.0.1:" + gateway.readPort());
    this.write = new Http("http://127.0.0.1:" + gateway.writePort());
  }

  public static Standalone start(Path dataDir) throws Exception {
    return start(dataDir, List.of(List.of()), true);
  }

  /**
   * With one reader per entry of {@code readerPartitions} (the partitions it serves; empty = all),
   * called in-process by the gateway or over gRPC on loopback.
   */
  public static Standalone start(Path dataDir, List<List<Integer>> readerPartitions, boolean inProcessReaders)
      throws Exception {
    return start(new WriterConfig(dataDir, Duration.ofMillis(200), 100_000, 3, 4, 64L << 20, 10_000), readerPartitions,
        inProcessReaders);
  }

  /** With the writer configured as {@code wc} (its data directory is the service's). */
  public static Standalone start(WriterConfig wc, List<List<Integer>> readerPartitions, boolean inProcessReaders)
      throws Exception {
    return start(wc, readerPartitions, inProcessReaders, AliasStoreConfig.defaults());
  }

  /**
   * With the alias store {@code aliases}: the default (Hazelcast) keeps the table in this
   * Vert.x (it is not clustered) and the writer's copy in the data directory, as standalone does.
   */
  public static Standalone start(WriterConfig wc, List<List<Integer>> readerPartitions, boolean inProcessReaders,
      AliasStoreConfig aliases) throws Exception {
    return start(wc, readerPartitions, GatewayConfig.defaults().withInProcessReaders(inProcessReaders), aliases);
  }

  /** With the gateway configured as {@code gc} (its ports are replaced by free ones) and the default alias store. */
  public static Standalone start(WriterConfig wc, List<List<Integer>> readerPartitions, GatewayConfig gc)
      throws Exception {
    return start(wc, readerPartitions, gc, AliasStoreConfig.defaults());
  }

  /** With the gateway configured as {@code gc} (its ports are replaced by free ones) and the alias store {@code aliases}. */
  public static Standalone start(WriterConfig wc, List<List<Integer>> readerPartitions, GatewayConfig gc,
      AliasStoreConfig aliases) throws Exception {
    return start(wc, readerPartitions, gc, aliases, MergeSettings.DEFAULTS);
  }

  /** With every reader merging searches as {@code merge} says. */
  public static Standalone start(WriterConfig wc, List<List<Integer>> readerPartitions, GatewayConfig gc,
      AliasStoreConfig aliases, MergeSettings merge) throws Exception {
    Path dataDir = wc.dataDir();
    // One registry for the whole process, as a standalone node has: /metrics shows every role's meters.
    PrometheusMeterRegistry meters = ClusterBootstrap.newRegistry();
    Vertx vertx = ClusterBootstrap.local(meters);
    AliasStore store = await(AliasStores.open(vertx, aliases));
    ((io.vertx.core.internal.VertxInternal) vertx).addCloseHook(done -> store.close().onComplete(ar -> done.complete(null,
        ar.cause())));
    GatewayVerticle g = new GatewayVerticle(gc.withPorts(0, 0), store, ReaderLiveness.none(), AccessTokens.none(), meters);
    Future<String> deployed = vertx.deployVerticle(new WriterVerticle(wc, store, RebuildJob.Settings.defaults(),
        ReaderLiveness.none(), AccessTokens.none(), meters));
    for (int i = 0; i < readerPartitions.size(); i++) {
      ReaderConfig rc = new ReaderConfig(dataDir, "reader-it-" + i, "127.0.0.1", 0, 10, Duration.ofMillis(500), 2,
          readerPartitions.get(i), merge, MemoryBudget.unlimited());
      deployed = deployed.compose(id -> vertx.deployVerticle(new ReaderVerticle(rc, ReaderHeartbeat.none(), AccessTokens.none(), meters)));
    }
    await(deployed.compose(id -> vertx.deployVerticle(g)));
    Standalone s = new Standalone(vertx, g);
    waitFor("the gateway to be ready", Duration.ofSeconds(30), () -> s.read.get("/health/ready").status() == 200);
    return s;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** Polls {@code condition} until it holds or the deadline passes (then fails naming {@code what}). */
  public static void waitFor(String what, Duration deadline, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + deadline + " waiting for " + what);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  @Override
  public void close() throws Exception {
    await(vertx.close());
  }
}
