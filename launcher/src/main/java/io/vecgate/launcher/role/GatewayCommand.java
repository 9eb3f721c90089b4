package io.vecgate.launcher.role;

import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.gateway.GatewayConfig;
import io.vecgate.gateway.GatewayVerticle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gateway}: the read and write endpoints of a distributed deployment. */
@Command(name = "gateway", mixinStandardHelpOptions = true, description = "Run the gateway role (read and write endpoints).")
public final class GatewayCommand implements Callable<Integer> {

  @Mixin NodeOptions node = new NodeOptions();
  @Mixin GatewayOptions gateway = new GatewayOptions();
  @Mixin AliasStoreOptions aliases = new AliasStoreOptions();

  @Override
  public Integer call() {
    GatewayConfig config = gateway.config(node.host); // a bad value stops here, before joining the cluster
    AliasStoreConfig ac = aliases.config();
    return RoleRunner.run("gateway", node, vertx -> Roles.aliases(vertx, ac)
        .compose(store -> Roles.liveness(vertx, ac).compose(liveness -> {
          GatewayVerticle g = Roles.gateway(config, store, liveness);
          return vertx.deployVerticle(g)
              .map(id -> "read http://" + node.host + ":" + g.readPort() + ", write http://" + node.host + ":"
                  + g.writePort() + ", aliases " + store.describe());
        })));
  }
}
