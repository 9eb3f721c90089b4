package io.vecgate.bench.testkit;

import io.vecgate.bench.BenchCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** Shared helpers for bench tests: run a bench command in-process and make a tiny generated dataset. */
public final class TinyDataset {

  private TinyDataset() {}

  /** Output and exit code of one in-process {@code bench ...} run. */
  public record Run(int exitCode, String out, String err) {}

  /** Runs {@code bench args...} in this JVM, capturing stdout and stderr. */
  public static Run bench(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new BenchCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** Generates {@code n} x {@code dim} clustered vectors, 20 queries and exact top-{@code k} into {@code dir}. */
  public static Path generate(Path dir, int n, int dim, int k) {
    Run r = bench("gen", "--n", "" + n, "--dim", "" + dim, "--clusters", "8", "--queries", "20", "--k", "" + k,
        "--seed", "3", "--threads", "2", "--out", dir.toString());
    if (r.exitCode() != 0) {
      throw new AssertionError("bench gen failed: " + r.err() + r.out());
    }
    return dir;
  }
}
