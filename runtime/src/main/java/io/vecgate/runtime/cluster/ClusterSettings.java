package io.vecgate.runtime.cluster;

import java.nio.file.Path;
import java.util.List;

/**
 * How a node joins the cluster: Hazelcast TCP join on loopback addresses listed explicitly,
 * nothing sent anywhere else.
 *
 * @param name the cluster name; nodes of another name never join this one
 * @param host the address Hazelcast and the event bus bind to (127.0.0.1 by default)
 * @param port Hazelcast's first port (5701); the next {@code portCount - 1} are tried when taken
 * @param portCount how many ports to try from {@code port}
 * @param members addresses of the members to join ({@code host} or {@code host:port}); empty = {@code host}
 * @param eventBusTls TLS of the event bus's node-to-node connections, or null for plain TCP
 */
public record ClusterSettings(String name, String host, int port, int portCount, List<String> members,
                              EventBusTls eventBusTls) {

  /**
   * Mutual TLS between the nodes' event-bus connections (commands, alias changes and the tokens
   * they carry): every node presents {@code cert} and accepts only peers whose certificate
   * {@code ca} signed. Hazelcast's own membership traffic is not covered (open-source Hazelcast
   * has no TLS); it carries no command.
   */
  public record EventBusTls(Path cert, Path key, Path ca) {}

  /** Plain TCP between the nodes. */
  public ClusterSettings(String name, String host, int port, int portCount, List<String> members) {
    this(name, host, port, portCount, members, null);
  }

  public ClusterSettings withEventBusTls(EventBusTls tls) {
    return new ClusterSettings(name, host, port, portCount, members, tls);
  }

  public ClusterSettings {
    members = List.copyOf(members);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("cluster port must be in [1, 65535], got " + port);
    }
    if (portCount < 1) {
      throw new IllegalArgumentException("cluster port count must be >= 1, got " + portCount);
    }
  }

  public static ClusterSettings loopback() {
    return new ClusterSettings("vecgate", "127.0.0.1", 5701, 20, List.of());
  }

  /** Parses {@code 127.0.0.1:5701,127.0.0.1:5702}. */
  public static List<String> parseMembers(String csv) {
    if (csv == null || csv.isBlank()) {
      return List.of();
    }
    return List.of(csv.trim().split("\\s*,\\s*"));
  }
}
