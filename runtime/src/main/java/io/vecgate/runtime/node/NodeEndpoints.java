package io.vecgate.runtime.node;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.function.Supplier;

/**
 * The endpoints every node serves: {@code /health/live} (the process answers),
 * {@code /health/ready} (200 when it takes traffic, status {@code ready} or {@code degraded}; 503
 * {@code not_ready} otherwise; with a detail) and
 * {@code /metrics} (Prometheus text of the node's registry: the Vert.x, JVM and vecgate meters).
 */
public final class NodeEndpoints {

  private NodeEndpoints() {}

  public static void mount(Router router, String role, Supplier<Readiness> readiness, PrometheusMeterRegistry meters) {
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "live").put("role", role)));
    router.get("/health/ready").handler(ctx -> {
      Readiness r = readiness.get();
      ctx.response().setStatusCode(r.ready() ? 200 : 503);
      String status = !r.ready() ? "not_ready" : r.degraded() ? "degraded" : "ready";
      ctx.json(new JsonObject().put("status", status).put("role", role).put("detail", r.detail()));
    });
    router.get("/metrics").handler(PrometheusScrapingHandler.create(meters));
  }
}
