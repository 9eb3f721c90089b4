package io.vecgate.launcher.admin;

import io.vecgate.launcher.config.Durations;
import io.vecgate.launcher.config.TokenFiles;
import io.vecgate.launcher.role.ClusterTlsOptions;
import io.vecgate.runtime.cluster.ClusterSettings;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * {@code vecgate admin …}: joins the cluster as a Hazelcast lite member and sends admin commands
 * on the event bus (docs/internals.md, "Admin commands"). The options here apply to every
 * subcommand and may be given before or after it.
 */
@Command(name = "admin", mixinStandardHelpOptions = true,
    description = "Admin commands over the cluster's event bus (joins it as a client-only member).",
    footer = {"", "Exit codes: 0 done; 1 refused or failed (the node's error is printed; a followed rebuild that "
        + "failed); 2 bad command line; 3 a followed rebuild was cancelled; 4 the cluster or the node did not answer."},
    subcommands = {SpacesCommand.class, AliasCommands.class, RebuildCommands.class, ReaderCommands.class,
        NodesCommand.class, CompactCommand.class, GcCommand.class, BackupCommand.class, RestoreCommand.class,
        CommandLine.HelpCommand.class})
public final class AdminCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--cluster-members", defaultValue = "", scope = ScopeType.INHERIT,
      description = "Hazelcast members of the deployment, e.g. 127.0.0.1:5701,127.0.0.1:5702 (default: this host's ports)")
  String clusterMembers;

  @Option(names = "--cluster-name", defaultValue = "vecgate", scope = ScopeType.INHERIT,
      description = "The deployment's Hazelcast cluster name. Default: ${DEFAULT-VALUE}")
  String clusterName;

  @Option(names = "--cluster-port", defaultValue = "5701", scope = ScopeType.INHERIT,
      description = "First port this client's member tries to listen on (the next 19 too). Default: ${DEFAULT-VALUE}")
  int clusterPort;

  @Option(names = "--host", defaultValue = "127.0.0.1", scope = ScopeType.INHERIT,
      description = "Address this client binds to. Default: ${DEFAULT-VALUE}")
  String host;

  @Option(names = {"--token", "--admin-token"}, defaultValue = "", scope = ScopeType.INHERIT,
      description = "The deployment's admin token, sent as Bearer with every command (env VECGATE_ADMIN_TOKEN, which "
          + "others cannot see in ps)")
  String adminToken;

  @Option(names = {"--token-file", "--admin-token-file"}, scope = ScopeType.INHERIT,
      description = "A file holding the admin token (trimmed)")
  Path adminTokenFile;

  @Option(names = "--cluster-tls-cert", scope = ScopeType.INHERIT,
      description = "PEM certificate for the deployment's event-bus TLS (as its nodes' --cluster-tls-cert)")
  Path clusterTlsCert;

  @Option(names = "--cluster-tls-key", scope = ScopeType.INHERIT, description = "PEM key of --cluster-tls-cert")
  Path clusterTlsKey;

  @Option(names = "--cluster-tls-ca", scope = ScopeType.INHERIT,
      description = "PEM CA of the deployment's event-bus certificates")
  Path clusterTlsCa;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print the answers as JSON (one document) for scripts.")
  boolean json;

  @Option(names = "--timeout", defaultValue = "30s", converter = Durations.class, scope = ScopeType.INHERIT,
      description = "How long to wait for each answer. Default: ${DEFAULT-VALUE}")
  Duration timeout;

  @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show Hazelcast's and Vert.x's warnings.")
  boolean verbose;

  /** What a subcommand does once the session has joined; returns the exit code. */
  @FunctionalInterface
  interface Action {
    int run(AdminSession session) throws AdminFailure;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(out());
    return 0;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Joins the cluster, runs {@code action}, leaves; a failure is printed on stderr with its exit code. */
  int run(Action action) {
    quietLogs();
    ClusterSettings cluster;
    String token;
    try {
      cluster = new ClusterSettings(clusterName, host, clusterPort, 20, ClusterSettings.parseMembers(clusterMembers))
          .withEventBusTls(ClusterTlsOptions.of(clusterTlsCert, clusterTlsKey, clusterTlsCa));
      token = TokenFiles.resolve("--token", adminToken, adminTokenFile);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("vecgate admin: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 2;
    }
    try (AdminSession s = AdminSession.join(cluster, token, timeout)) {
      int code = action.run(s);
      out().flush();
      return code;
    } catch (AdminFailure e) {
      out().flush();
      PrintWriter err = spec.commandLine().getErr();
      err.println("vecgate admin: " + e.getMessage());
      err.flush();
      return e.exitCode();
    }
  }

  /** Prints {@code text} as is (tables end with a newline). */
  void print(String text) {
    out().print(text);
    out().flush();
  }

  /** Prints a command's answer: {@code json} as one line with {@code --json}, else {@code text} (made only then). */
  void answer(JsonObject json, Supplier<String> text) {
    print(this.json ? json.encode() + "\n" : text.get());
  }

  private void quietLogs() {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    java.util.logging.ConsoleHandler h = new java.util.logging.ConsoleHandler();
    Level l = verbose ? Level.WARNING : Level.SEVERE;
    h.setLevel(l);
    root.addHandler(h);
    root.setLevel(l);
  }
}
