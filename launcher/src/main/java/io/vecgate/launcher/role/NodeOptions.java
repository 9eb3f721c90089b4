package io.vecgate.launcher.role;

import io.vecgate.protocol.admin.AdminToken;
import io.vecgate.runtime.cluster.ClusterSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every role takes: where the data is, how to join the cluster, how to log. */
public final class NodeOptions {

  @Option(names = "--config", description = "A properties file with option values (keys are option names: data-dir=...).")
  Path config;

  @Option(names = "--data-dir", defaultValue = "./data", description = "The data directory (shared mount in production). Default: ${DEFAULT-VALUE}")
  Path dataDir;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address every listener binds to. Default: ${DEFAULT-VALUE}")
  String host;

  @Option(names = "--cluster-name", defaultValue = "vecgate", description = "Hazelcast cluster name. Default: ${DEFAULT-VALUE}")
  String clusterName;

  @Option(names = "--cluster-port", defaultValue = "5701", description = "First Hazelcast port (the next 19 are tried). Default: ${DEFAULT-VALUE}")
  int clusterPort;

  @Option(names = "--cluster-members", defaultValue = "", description = "Members to join, e.g. 127.0.0.1:5701,127.0.0.1:5702 (default: this host's ports)")
  String clusterMembers;

  @Option(names = "--node-id", defaultValue = "", description = "This node's name in the cluster (default: role-pid)")
  String nodeId;

  @Option(names = "--log-format", defaultValue = "json", description = "json or text. Default: ${DEFAULT-VALUE}")
  String logFormat;

  @Option(names = "--log-level", defaultValue = "INFO", description = "Default: ${DEFAULT-VALUE}")
  String logLevel;

  @Option(names = "--admin-token", defaultValue = "",
      description = "When set, admin commands on the event bus (vecgate admin) and the write endpoint's admin routes "
          + "(/_jobs*, /_gc, as Authorization: Bearer) must carry this token; prefer the environment "
          + "(VECGATE_ADMIN_TOKEN) to the command line, which other users of the machine can see. Default: off")
  String adminToken;

  ClusterSettings cluster() {
    return new ClusterSettings(clusterName, host, clusterPort, 20, ClusterSettings.parseMembers(clusterMembers));
  }

  AdminToken adminToken() {
    return AdminToken.of(adminToken);
  }

  String nodeId(String role) {
    return nodeId.isEmpty() ? role + "-" + ProcessHandle.current().pid() : nodeId;
  }
}
