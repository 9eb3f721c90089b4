package io.vecgate.launcher.role;

import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.gateway.GatewayConfig;
import io.vecgate.gateway.GatewayVerticle;
import io.vecgate.reader.ReaderVerticle;
import io.vecgate.writer.WriterVerticle;
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

  @Override
  public Integer call() {
    String nodeId = node.nodeId("standalone");
    GatewayConfig gc = gateway.config(node.host);
    AliasStoreConfig ac = aliases.config();
    return RoleRunner.run("standalone", node, vertx -> Roles.aliases(vertx, ac).compose(store -> {
      WriterVerticle w = Roles.writer(node, writer, gc.maxBodyBytes(), store);
      ReaderVerticle r = Roles.reader(node, reader, nodeId + "-reader");
      GatewayVerticle g = Roles.gateway(gc, store);
      return vertx.deployVerticle(w)
          .compose(id -> vertx.deployVerticle(r))
          .compose(id -> vertx.deployVerticle(g))
          .map(id -> "read http://" + node.host + ":" + g.readPort() + ", write http://" + node.host + ":" + g.writePort()
              + ", data " + node.dataDir.toAbsolutePath().normalize() + ", aliases " + store.describe());
    }));
  }
}
