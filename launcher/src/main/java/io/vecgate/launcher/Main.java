package io.vecgate.launcher;

import io.vecgate.bench.BenchCommand;
import io.vecgate.launcher.admin.AdminCommand;
import io.vecgate.launcher.bench.AliasBenchCommand;
import io.vecgate.launcher.config.ConfigDefaults;
import io.vecgate.launcher.role.GatewayCommand;
import io.vecgate.launcher.role.ReaderCommand;
import io.vecgate.launcher.role.StandaloneCommand;
import io.vecgate.launcher.role.WriterCommand;
import java.io.IOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point of the distribution: {@code vecgate <role-or-command> …}. Roles:
 * {@code standalone} (everything in one JVM), {@code gateway}, {@code writer}, {@code reader};
 * commands: {@code admin} (over the event bus), {@code bench}. Options come from the command line, then the environment
 * ({@code VECGATE_*}), then a config file ({@code --config}), then their defaults.
 */
@Command(
    name = "vecgate",
    mixinStandardHelpOptions = true,
    version = "vecgate 0.1.0-SNAPSHOT",
    description = "Vector search service for search and recommendation recall.",
    subcommands = {StandaloneCommand.class, GatewayCommand.class, WriterCommand.class, ReaderCommand.class,
        AdminCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    ConfigDefaults defaults;
    try {
      defaults = ConfigDefaults.load(args, System.getenv());
    } catch (IOException e) {
      System.err.println("vecgate: cannot read the config file: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (args.length > 0 && args[0].equals("admin")) {
      // The admin CLI alone: building every role's and bench's commands costs start-up time, and
      // bench needs the Vector API module, which bin/vecgate leaves out for admin.
      CommandLine admin = new CommandLine(new AdminCommand()).setCommandName("vecgate admin");
      System.exit(admin.setDefaultValueProvider(defaults).execute(java.util.Arrays.copyOfRange(args, 1, args.length)));
    }
    CommandLine cl = new CommandLine(new Main());
    // bench aliases needs the alias stores, which the bench module does not know.
    cl.getSubcommands().get("bench").addSubcommand("aliases", new AliasBenchCommand());
    System.exit(cl.setDefaultValueProvider(defaults).setExecutionExceptionHandler(BenchCommand.usageErrors()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
