package io.vecgate.launcher;

import io.vecgate.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point of the distribution: {@code vecgate <role-or-command> …}. The service
 * roles (standalone, gateway, writer, reader) and admin commands join as they are built.
 */
@Command(
    name = "vecgate",
    mixinStandardHelpOptions = true,
    version = "vecgate 0.1.0-SNAPSHOT",
    description = "Vector search service for search and recommendation recall.",
    subcommands = {BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).setExecutionExceptionHandler(BenchCommand.usageErrors()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
