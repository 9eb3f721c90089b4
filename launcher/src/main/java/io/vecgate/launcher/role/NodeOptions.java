package io.vecgate.launcher.role;

import io.vecgate.launcher.config.TokenFiles;
import io.vecgate.protocol.access.AccessTokens;
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

  @Option(names = "--read-token", defaultValue = "",
      description = "When set, searches, gets and listings need this token (or the write or admin token) as "
          + "Authorization: Bearer, on HTTP, gRPC and the event bus; prefer VECGATE_READ_TOKEN or --read-token-file to "
          + "the command line, which other users of the machine can see. Default: none (reads open)")
  String readToken;

  @Option(names = "--read-token-file", description = "A file holding the read token (a mounted Secret; trimmed).")
  Path readTokenFile;

  @Option(names = "--write-token", defaultValue = "",
      description = "When set, inserts, upserts, _bulk, deletes and _refresh need this token (or the admin token). "
          + "Default: none (writes open)")
  String writeToken;

  @Option(names = "--write-token-file", description = "A file holding the write token (a mounted Secret; trimmed).")
  Path writeTokenFile;

  @Option(names = "--admin-token", defaultValue = "",
      description = "When set, creating and dropping dbs and spaces, alias changes, rebuild jobs, gc, compaction and "
          + "admin commands (vecgate admin) need this token. Default: none (admin open)")
  String adminToken;

  @Option(names = "--admin-token-file", description = "A file holding the admin token (a mounted Secret; trimmed).")
  Path adminTokenFile;

  @Option(names = "--cluster-tls-cert", description = "PEM certificate this node presents on the event bus's "
      + "node-to-node connections (with --cluster-tls-key and --cluster-tls-ca: mutual TLS between the nodes and "
      + "vecgate admin; every node of the cluster needs it). Default: plain TCP")
  Path clusterTlsCert;

  @Option(names = "--cluster-tls-key", description = "PEM private key of --cluster-tls-cert")
  Path clusterTlsKey;

  @Option(names = "--cluster-tls-ca", description = "PEM CA the other nodes' event-bus certificates must be signed by")
  Path clusterTlsCa;

  private AccessTokens tokens;

  ClusterSettings cluster() {
    ClusterSettings s = new ClusterSettings(clusterName, host, clusterPort, 20,
        ClusterSettings.parseMembers(clusterMembers));
    return s.withEventBusTls(ClusterTlsOptions.of(clusterTlsCert, clusterTlsKey, clusterTlsCa));
  }

  /**
   * The deployment's tokens, read once (the files at the first call).
   *
   * @throws IllegalArgumentException naming the option when a token or its file is wrong
   */
  synchronized AccessTokens tokens() {
    if (tokens == null) {
      tokens = AccessTokens.of(TokenFiles.resolve("--read-token", readToken, readTokenFile),
          TokenFiles.resolve("--write-token", writeToken, writeTokenFile),
          TokenFiles.resolve("--admin-token", adminToken, adminTokenFile));
    }
    return tokens;
  }

  String nodeId(String role) {
    return nodeId.isEmpty() ? role + "-" + ProcessHandle.current().pid() : nodeId;
  }
}
