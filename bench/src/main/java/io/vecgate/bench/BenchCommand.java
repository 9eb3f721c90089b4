package io.vecgate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: the benchmark commands, meant to be added as a subcommand of the top
 * {@code vecgate} command. {@code ann} measures recall, QPS and latency on real data,
 * {@code gen} writes a synthetic dataset, {@code jmh} runs the kernel microbenchmarks.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks: ann (recall/QPS/latency), gen (synthetic data), scan (FLAT vs memory bandwidth), batch (engine batch vs one by one), "
        + "jmh (kernels), "
        + "load and ingest (through a running service), pgload (an .fvecs file into PostgreSQL).",
    subcommands = {AnnCommand.class, GenCommand.class, ScanCommand.class, BatchCommand.class, JmhCommand.class, LoadCommand.class,
        IngestCommand.class, PgLoadCommand.class})
public final class BenchCommand implements Runnable {

  @Spec CommandSpec spec;

  /**
   * Runs {@code bench} on its own, before or without the {@code vecgate} launcher:
   * {@code java --add-modules jdk.incubator.vector -cp ... io.vecgate.bench.BenchCommand ann ...}.
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).setExecutionExceptionHandler(usageErrors()).execute(args));
  }

  /**
   * Prints the message alone, exit code 2, for what the user can fix: bad arguments, an index
   * type not available, an unreadable or corrupt file. Anything else keeps its stack trace.
   * The launcher can install this on the top command.
   */
  public static CommandLine.IExecutionExceptionHandler usageErrors() {
    return (ex, cmd, parseResult) -> {
      if (ex instanceof IllegalArgumentException || ex instanceof UnsupportedOperationException
          || ex instanceof IOException || ex instanceof UncheckedIOException) {
        // NoSuchFileException's message is the bare path; say what is wrong with it.
        String reason = ex instanceof java.nio.file.NoSuchFileException ? "no such file: " + ex.getMessage() : ex.getMessage();
        cmd.getErr().println(cmd.getCommandName() + ": " + reason);
        cmd.getErr().flush();
        return 2;
      }
      throw ex;
    };
  }

  /** Without a subcommand, prints the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
