package io.vecgate.launcher.role;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.alias.AliasStoreHealth;
import io.vecgate.coordination.liveness.ReaderLiveness;
import io.vecgate.runtime.node.Readiness;
import io.vecgate.writer.WriterVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code writer}: owns every change of the data directory. */
@Command(name = "writer", mixinStandardHelpOptions = true, description = "Run the writer role.")
public final class WriterCommand implements Callable<Integer> {

  @Mixin NodeOptions node = new NodeOptions();
  @Mixin WriterOptions writer = new WriterOptions();
  @Mixin AliasStoreOptions aliases = new AliasStoreOptions();

  @Option(names = "--http-port", defaultValue = "8091", description = "Port of /health and /metrics. Default: ${DEFAULT-VALUE}")
  int httpPort;

  @Option(names = "--max-body-bytes", defaultValue = "67108864", description = "Largest request body. Default: ${DEFAULT-VALUE}")
  long maxBodyBytes;

  @Override
  public Integer call() {
    AliasStoreConfig ac = aliases.config();
    writer.writeLimits(); // bad admission options stop here, before anything starts
    return RoleRunner.run("writer", node, (vertx, meters) -> Roles.aliases(vertx, ac)
        .compose(store -> Roles.liveness(vertx, ac).compose(liveness -> deploy(vertx, meters, store, liveness))));
  }

  private Future<String> deploy(Vertx vertx, PrometheusMeterRegistry meters, AliasStore store, ReaderLiveness liveness) {
    WriterVerticle w = Roles.writer(node, writer, maxBodyBytes, store, liveness, meters);
    return vertx.deployVerticle(w)
        .compose(id -> RoleRunner.nodeEndpoints(vertx, meters, node.host, httpPort, "writer", () -> {
          AliasStoreHealth h = store.health();
          return new Readiness(w.isReady(), !h.connected() || liveness.degraded(), (w.isReady() ? "catalog and spaces open"
              : "opening spaces") + "; " + h.detail() + "; " + liveness.detail());
        }))
        .compose(s -> Roles.register(vertx, node.nodeId("writer"), "writer", node.tokens(),
            () -> new io.vertx.core.json.JsonObject().put("endpoints", new io.vertx.core.json.JsonObject()
                .put("health", "http://" + node.host + ":" + s.actualPort()))
                .put("data_dir", node.dataDir.toAbsolutePath().normalize().toString()), () -> Roles.writerRequests(meters)).map(s))
        .map(s -> "health http://" + node.host + ":" + s.actualPort() + ", data " + node.dataDir.toAbsolutePath().normalize()
            + ", aliases " + store.describe());
  }
}
