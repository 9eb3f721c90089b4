package io.vecgate.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code bench jmh [jmh args]}: runs the JMH microbenchmarks of {@code io.vecgate.bench.jmh}
 * (distance, SQ8 and PQ kernels) with JMH's own command line, e.g.
 * {@code bench jmh -f 1 -wi 3 -i 5 DistanceBenchmark}; {@code bench jmh -l} lists them and
 * {@code bench jmh -h} shows JMH's options. The benchmarks are found through
 * {@code META-INF/BenchmarkList}, written by the JMH annotation processor into the bench jar.
 */
@Command(name = "jmh", description = "Run the JMH kernel microbenchmarks; arguments go to JMH (try -h, -l).")
public final class JmhCommand implements Callable<Integer> {

  // Everything, options included, goes to JMH unparsed.
  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    CommandLineOptions options = new CommandLineOptions(args.toArray(String[]::new));
    Runner runner = new Runner(options);
    if (options.shouldHelp()) {
      options.showHelp();
    } else if (options.shouldList()) {
      runner.list();
    } else if (options.shouldListWithParams()) {
      runner.listWithParams(options);
    } else if (options.shouldListProfilers() || options.shouldListResultFormats()) {
      // Rarely needed: JMH's own main prints these.
      org.openjdk.jmh.Main.main(args.toArray(String[]::new));
    } else {
      runner.run();
    }
    return 0;
  }
}
