package io.vecgate.launcher.role;

import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.gateway.GatewayConfig;
import io.vecgate.gateway.GatewayVerticle;
import io.vecgate.runtime.tls.ClientTls;
import io.vecgate.runtime.tls.ServerTls;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gateway}: the read and write endpoints of a distributed deployment. */
@Command(name = "gateway", mixinStandardHelpOptions = true, description = "Run the gateway role (read and write endpoints).")
public final class GatewayCommand implements Callable<Integer> {

  @Mixin NodeOptions node = new NodeOptions();
  @Mixin GatewayOptions gateway = new GatewayOptions();
  @Mixin AliasStoreOptions aliases = new AliasStoreOptions();
  @Mixin TlsOptions tls = new TlsOptions();

  @Option(names = "--reader-tls-ca", description = "PEM CA that signed the readers' gRPC certificates: call them over "
      + "TLS, presenting --tls-cert as the client certificate when given. Default: plain gRPC")
  Path readerTlsCa;

  @Override
  public Integer call() {
    GatewayConfig config = gateway.config(node.host); // a bad value stops here, before joining the cluster
    AliasStoreConfig ac = aliases.config();
    ServerTls serverTls = tls.serverTls();
    ClientTls readerTls = readerTlsCa == null ? null : new ClientTls(readerTlsCa, tls.cert, tls.key);
    String http = tls.scheme() + "://";
    return RoleRunner.run("gateway", node, (vertx, meters) -> Roles.aliases(vertx, ac)
        .compose(store -> Roles.liveness(vertx, ac).compose(liveness -> {
          GatewayVerticle g = Roles.gateway(config, store, liveness, node.tokens(), meters).withTls(serverTls)
              .withReaderTls(readerTls).withMilvusPort(gateway.milvusPort);
          return vertx.deployVerticle(g)
              .compose(id -> Roles.register(vertx, node.nodeId("gateway"), "gateway", node.tokens(),
                  () -> new io.vertx.core.json.JsonObject().put("endpoints", new io.vertx.core.json.JsonObject()
                      .put("read", http + node.host + ":" + g.readPort())
                      .put("write", http + node.host + ":" + g.writePort())), g::searchCount))
              .map(id -> "read " + http + node.host + ":" + g.readPort() + ", write " + http + node.host + ":"
                  + g.writePort() + milvus(g) + ", aliases " + store.describe());
        })));
  }

  /** ", milvus 19530" (the bound port) when the Milvus API is on, else nothing: for the start-up line. */
  static String milvus(GatewayVerticle g) {
    return g.milvusPort() < 0 ? "" : ", milvus " + g.milvusPort();
  }
}
