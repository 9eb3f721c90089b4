package io.vecgate.runtime.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a clustered Vert.x on Hazelcast restricted to loopback: TCP join with the listed
 * members only (multicast and cloud discovery off), no phone-home, fast join, and the event bus
 * bound to the same host. Vert.x's own meters (and the JVM's) go to the registry the caller
 * passes, the one its roles register their meters in and {@code /metrics} shows: one registry
 * per node, handed down, never looked up.
 */
public final class ClusterBootstrap {

  private ClusterBootstrap() {}

  /** A registry for a node's meters, in the form {@code /metrics} serves. */
  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** Vert.x options with metrics on (the registry is given to the builder). */
  private static VertxOptions vertxOptions() {
    return new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setJvmMetricsEnabled(true).setEnabled(true));
  }

  /** A clustered Vert.x joined to {@code settings}' members, its meters in {@code meters}. */
  public static Future<Vertx> start(ClusterSettings settings, PrometheusMeterRegistry meters) {
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig(settings));
    VertxOptions options = vertxOptions().setEventBusOptions(eventBus(settings));
    return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(meters)).withClusterManager(manager)
        .buildClustered();
  }

  /** The same with a registry of its own (tests and tools that read no meters of it). */
  public static Future<Vertx> start(ClusterSettings settings) {
    return start(settings, newRegistry());
  }

  /**
   * A clustered Vert.x that joins as a Hazelcast lite member: it sends and receives on the event
   * bus but holds no partition of the cluster's data, so it may come and go (the admin tool)
   * without the data members migrating anything. No metrics: a short-lived client has no
   * {@code /metrics} to serve, and starting the Prometheus registry costs start-up time.
   */
  public static Future<Vertx> startClient(ClusterSettings settings) {
    Config cfg = hazelcastConfig(settings).setLiteMember(true);
    // A client asks and leaves; nobody should wait on it for long when it dies.
    cfg.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    HazelcastClusterManager manager = new HazelcastClusterManager(cfg);
    VertxOptions options = new VertxOptions().setEventBusOptions(eventBus(settings));
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered();
  }

  /** The event bus's node-to-node connections: on {@code settings.host()}, over mutual TLS when it has some. */
  private static EventBusOptions eventBus(ClusterSettings settings) {
    EventBusOptions o = new EventBusOptions().setHost(settings.host()).setClusterPublicHost(settings.host()).setPort(0);
    ClusterSettings.EventBusTls tls = settings.eventBusTls();
    if (tls != null) {
      o.setSsl(true).setClientAuth(ClientAuth.REQUIRED)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.cert().toString()).setKeyPath(tls.key().toString()))
          .setTrustOptions(new PemTrustOptions().addCertPath(tls.ca().toString()));
    }
    return o;
  }

  /** A Vert.x without a cluster (tests, tools), its meters in {@code meters}. */
  public static Vertx local(PrometheusMeterRegistry meters) {
    return Vertx.builder().with(vertxOptions()).withMetrics(new MicrometerMetricsFactory(meters)).build();
  }

  static Config hazelcastConfig(ClusterSettings s) {
    // Start from Vert.x's own defaults: they hold the maps and multimaps the cluster manager needs.
    Config cfg = ConfigUtil.loadConfig();
    cfg.setClusterName(s.name());
    cfg.setProperty("hazelcast.phone.home.enabled", "false");
    cfg.setProperty("hazelcast.local.localAddress", s.host());
    cfg.setProperty("hazelcast.socket.bind.any", "false");
    cfg.setProperty("hazelcast.wait.seconds.before.join", "0");
    cfg.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    cfg.setProperty("hazelcast.logging.type", "jdk");
    cfg.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig net = cfg.getNetworkConfig();
    net.setPort(s.port()).setPortAutoIncrement(s.portCount() > 1).setPortCount(s.portCount());
    net.getInterfaces().setEnabled(true).setInterfaces(List.of(s.host()));
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getAwsConfig().setEnabled(false);
    join.getGcpConfig().setEnabled(false);
    join.getAzureConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    join.getEurekaConfig().setEnabled(false);
    // Hazelcast takes bare addresses (with portCount) or host:port, never port ranges.
    List<String> members = new ArrayList<>(s.members().isEmpty() ? List.of(s.host()) : s.members());
    join.getTcpIpConfig().setEnabled(true).setMembers(members);
    return cfg;
  }
}
