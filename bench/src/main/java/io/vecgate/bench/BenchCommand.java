package io.vecgate.bench;

import picocli.CommandLine.Command;

/**
 * {@code bench}: the benchmark commands, meant to be added as a subcommand of the top
 * {@code vecgate} command. {@code ann} measures recall, QPS and latency on real data,
 * {@code gen} writes a synthetic dataset, {@code jmh} runs the kernel microbenchmarks.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks: ann (recall/QPS/latency), gen (synthetic data), jmh (kernels).",
    subcommands = {AnnCommand.class, GenCommand.class, JmhCommand.class})
public final class BenchCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /**
   * Runs {@code bench} on its own, before or without the {@code vecgate} launcher:
   * {@code java --add-modules jdk.incubator.vector -cp ... io.vecgate.bench.BenchCommand ann ...}.
   */
  public static void main(String[] args) {
    System.exit(new picocli.CommandLine(new BenchCommand()).execute(args));
  }

  /** Without a subcommand, prints the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
