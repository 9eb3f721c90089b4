package io.vecgate.launcher.role;

import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.liveness.ReaderHeartbeat;
import io.vecgate.reader.ReaderVerticle;
import io.vecgate.runtime.node.Readiness;
import io.vecgate.runtime.tls.ServerTls;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reader}: maps published versions and serves searches over gRPC. */
@Command(name = "reader", mixinStandardHelpOptions = true, description = "Run a reader role.")
public final class ReaderCommand implements Callable<Integer> {

  @Mixin NodeOptions node = new NodeOptions();
  @Mixin ReaderOptions reader = new ReaderOptions();
  @Mixin ReaderStoreOptions store = new ReaderStoreOptions();
  @Mixin HeartbeatOptions heartbeat = new HeartbeatOptions();
  @Mixin TlsOptions tls = new TlsOptions();

  @Option(names = "--tls-client-ca", description = "PEM CA: with --tls-cert, gRPC clients (gateways) must present a "
      + "certificate it signed (mutual TLS). Default: any client")
  Path tlsClientCa;

  @Option(names = "--http-port", defaultValue = "8092", description = "Port of /health and /metrics. Default: ${DEFAULT-VALUE}")
  int httpPort;

  @Override
  public Integer call() {
    String nodeId = node.nodeId("reader");
    // Bad values stop here, before joining the cluster.
    AliasStoreConfig sc = store.config();
    ReaderHeartbeat hb = heartbeat.heartbeat(sc, nodeId);
    reader.mergeSettings(); // bad merge options stop here, before anything starts
    reader.memoryBudget();
    ServerTls grpcTls = tls.serverTls();
    if (tlsClientCa != null) {
      if (grpcTls == null) {
        throw new IllegalArgumentException("--tls-client-ca needs --tls-cert and --tls-key (mutual TLS is TLS first)");
      }
      grpcTls.requireClientsOf(tlsClientCa);
    }
    return RoleRunner.run("reader", node, (vertx, meters) -> {
      ReaderVerticle r = Roles.reader(node, reader, nodeId, hb, meters).withTls(grpcTls);
      return vertx.deployVerticle(r)
          .compose(id -> RoleRunner.nodeEndpoints(vertx, meters, node.host, httpPort, "reader",
              () -> new Readiness(r.isReady(), hb.failing(), (r.isReady() ? "versions loaded and warm" : "loading versions")
                  + "; " + hb.detail())))
          .compose(s -> Roles.register(vertx, nodeId, "reader", node.tokens(),
              () -> Roles.readerDetails(r, node.host, s.actualPort()), r::searchCount).map(s))
          .map(s -> "grpc" + (grpcTls == null ? " " : " (TLS) ") + node.host + ":" + r.grpcPort() + ", health http://" + node.host + ":" + s.actualPort()
              + (sc.isRedis() ? ", heartbeat in " + sc.display() : ""));
    });
  }
}
