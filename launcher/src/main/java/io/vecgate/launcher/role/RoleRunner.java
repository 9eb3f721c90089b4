package io.vecgate.launcher.role;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vecgate.launcher.log.Logs;
import io.vecgate.protocol.access.AccessLevel;
import io.vecgate.protocol.access.AccessTokens;
import io.vecgate.runtime.cluster.ClusterBootstrap;
import io.vecgate.runtime.cluster.ClusterSettings;
import io.vecgate.runtime.node.NodeEndpoints;
import io.vecgate.runtime.node.Readiness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Runs a role until the process is asked to stop: joins the cluster, deploys the role's
 * verticles (their start Futures compose, so a failed start stops the role with its message),
 * and on SIGTERM/SIGINT undeploys them (in-flight requests finish) and leaves the cluster.
 */
final class RoleRunner {

  private static final System.Logger LOG = System.getLogger("vecgate");

  private RoleRunner() {}

  /**
   * @param deploy deploys the role's verticles on the Vert.x, their meters in the node's registry (the one
   *     the Vert.x reports to), and completes with a line saying where it listens
   * @return the process exit code
   */
  static int run(String role, NodeOptions node, BiFunction<Vertx, PrometheusMeterRegistry, Future<String>> deploy) {
    String nodeId = node.nodeId(role);
    Logs.setUp(nodeId, node.logFormat, node.logLevel);
    AccessTokens tokens;
    try {
      tokens = node.tokens();
    } catch (IllegalArgumentException e) {
      System.err.println("vecgate " + role + ": " + e.getMessage());
      return 2;
    }
    ClusterSettings cluster = node.cluster();
    PrometheusMeterRegistry meters = ClusterBootstrap.newRegistry();
    Vertx vertx;
    String where;
    try {
      vertx = await(ClusterBootstrap.start(cluster, meters));
    } catch (Exception e) {
      System.err.println("vecgate " + role + ": could not join the cluster on " + cluster.host() + ":" + cluster.port()
          + ": " + rootMessage(e));
      return 1;
    }
    try {
      where = await(deploy.apply(vertx, meters));
    } catch (Exception e) {
      System.err.println("vecgate " + role + ": start failed: " + rootMessage(e));
      closeQuietly(vertx);
      return 1;
    }
    LOG.log(System.Logger.Level.INFO, "vecgate " + role + " started: " + where);
    System.out.println("vecgate " + role + " (" + nodeId + ") started: " + where);
    openLevelsWarning(node.host, tokens).ifPresent(w -> {
      LOG.log(System.Logger.Level.WARNING, w);
      System.err.println("WARNING: " + w);
    });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.log(System.Logger.Level.INFO, "vecgate " + role + " stopping: finishing in-flight requests, leaving the cluster");
      closeQuietly(vertx);
      stopped.countDown();
    }, "vecgate-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * What to warn of when some level has no token and the node listens beyond loopback: anyone who
   * reaches it may do what those levels allow. Empty on loopback, or with every token set.
   */
  static Optional<String> openLevelsWarning(String host, AccessTokens tokens) {
    List<AccessLevel> open = tokens.openLevels();
    if (open.isEmpty() || loopback(host)) {
      return Optional.empty();
    }
    String levels = String.join(", ", open.stream().map(AccessLevel::word).toList());
    String options = String.join(", ", open.stream().map(l -> "--" + l.word() + "-token").toList());
    return Optional.of("no token for " + levels + " while listening on " + host + " (not loopback): anyone who "
        + "reaches this node may do what " + (open.size() == 1 ? "that level allows" : "those levels allow")
        + "; set " + options + " (or VECGATE_..._TOKEN, or the -file forms)");
  }

  private static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Serves the node endpoints of a role that has no HTTP API of its own (writer, reader). */
  static Future<HttpServer> nodeEndpoints(Vertx vertx, PrometheusMeterRegistry meters, String host, int port, String role,
                                          Supplier<Readiness> readiness) {
    Router r = Router.router(vertx);
    NodeEndpoints.mount(r, role, readiness, meters);
    return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)).requestHandler(r).listen();
  }

  static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "shutdown did not finish cleanly: " + e.getMessage());
    }
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage();
    return m == null ? c.getClass().getSimpleName() : m;
  }
}
