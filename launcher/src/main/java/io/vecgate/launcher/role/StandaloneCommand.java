package io.vecgate.launcher.role;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.liveness.ReaderHeartbeat;
import io.vecgate.coordination.liveness.ReaderLiveness;
import io.vecgate.gateway.GatewayConfig;
import io.vecgate.gateway.GatewayVerticle;
import io.vecgate.reader.ReaderVerticle;
import io.vecgate.writer.WriterVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code standalone}: the whole service in one JVM — embedded Hazelcast on loopback (cluster
 * manager and, by default, the alias store), one writer, one reader and the gateway — on a local
 * data directory. Needs no Redis or PostgreSQL ({@code --alias-store redis://…} uses Redis for
 * the aliases instead).
 */
@Command(name = "standalone", mixinStandardHelpOptions = true,
    description = "Run the whole service in one process (writer, reader, gateway; embedded Hazelcast).")
public final class StandaloneCommand implements Callable<Integer> {

  @Mixin NodeOptions node = new NodeOptions();
  @Mixin GatewayOptions gateway = new GatewayOptions();
  @Mixin WriterOptions writer = new WriterOptions();
  @Mixin ReaderOptions reader = new ReaderOptions();
  @Mixin AliasStoreOptions aliases = new AliasStoreOptions();
  @Mixin HeartbeatOptions heartbeat = new HeartbeatOptions();
  @Mixin TlsOptions tls = new TlsOptions();

  @Override
  public Integer call() {
    String nodeId = node.nodeId("standalone");
    GatewayConfig gc = gateway.config(node.host);
    AliasStoreConfig ac = aliases.config();
    ReaderHeartbeat hb = heartbeat.heartbeat(ac, nodeId + "-reader");
    reader.mergeSettings(); // bad merge options stop here, before anything starts
    reader.memoryBudget();
    writer.writeLimits();
    tls.serverTls(); // and bad TLS files
    return RoleRunner.run("standalone", node, (vertx, meters) -> Roles.aliases(vertx, ac)
        .compose(store -> Roles.liveness(vertx, ac).compose(liveness -> deploy(vertx, meters, gc, store, liveness, nodeId, hb))));
  }

  private Future<String> deploy(Vertx vertx, PrometheusMeterRegistry meters, GatewayConfig gc, AliasStore store,
                                ReaderLiveness liveness, String nodeId, ReaderHeartbeat hb) {
    WriterVerticle w = Roles.writer(node, writer, gc.maxBodyBytes(), store, liveness, meters);
    ReaderVerticle r = Roles.reader(node, reader, nodeId + "-reader", hb, meters).withTls(tls.serverTls());
    GatewayVerticle g = Roles.gateway(gc, store, liveness, node.tokens(), meters).waitForLocalReader(r::isReady)
        .withTls(tls.serverTls());
    String http = tls.scheme() + "://";
    return vertx.deployVerticle(w)
        .compose(id -> vertx.deployVerticle(r))
        .compose(id -> vertx.deployVerticle(g))
        // Two entries: the writer and gateway of this JVM, and its reader (which load, release and warm address).
        .compose(id -> Roles.register(vertx, nodeId, "standalone", node.tokens(),
            () -> new io.vertx.core.json.JsonObject().put("endpoints", new io.vertx.core.json.JsonObject()
                .put("read", http + node.host + ":" + g.readPort())
                .put("write", http + node.host + ":" + g.writePort()))
                .put("data_dir", node.dataDir.toAbsolutePath().normalize().toString()), g::searchCount))
        .compose(x -> Roles.register(vertx, nodeId + "-reader", "reader", node.tokens(),
            () -> Roles.readerDetails(r, node.host, 0), r::searchCount))
        .map(id -> "read " + http + node.host + ":" + g.readPort() + ", write " + http + node.host + ":" + g.writePort()
            + ", data " + node.dataDir.toAbsolutePath().normalize() + ", aliases " + store.describe());
  }
}
