package io.vecgate.bench;

import io.vecgate.bench.data.PostgresLoader;
import io.vecgate.bench.data.SyntheticData;
import io.vecgate.bench.data.Texmex;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench gen}: writes a deterministic synthetic dataset as {@code base.fvecs},
 * {@code query.fvecs} and {@code groundtruth.ivecs} (exact top-k by brute force with the
 * engine's FLAT index, multi-threaded, with progress); with {@code --to-postgres}, the base
 * vectors also go into a PostgreSQL table that a rebuild can read.
 */
@Command(name = "gen", mixinStandardHelpOptions = true,
    description = "Generate a synthetic TEXMEX dataset with exact ground truth.")
public final class GenCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--n", defaultValue = "1000000", description = "Base vectors (default: ${DEFAULT-VALUE}).")
  int n;

  @Option(names = "--dim", defaultValue = "128", description = "Dimension (default: ${DEFAULT-VALUE}).")
  int dim;

  @Option(names = "--clusters", defaultValue = "1000", description = "Gaussian clusters (default: ${DEFAULT-VALUE}).")
  int clusters;

  @Option(names = "--sigma", defaultValue = "0.5", description = "Spread of points around their centre (default: ${DEFAULT-VALUE}).")
  float sigma;

  @Option(names = "--queries", defaultValue = "10000", description = "Query vectors (default: ${DEFAULT-VALUE}).")
  int queries;

  @Option(names = "--k", defaultValue = "100", description = "Ground-truth neighbours per query (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--metric", defaultValue = "L2", description = "Metric of the ground truth: L2, IP, COSINE (default: ${DEFAULT-VALUE}).")
  String metric;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--uniform", description = "Uniform [0, 1) components instead of Gaussian clusters.")
  boolean uniform;

  @Option(names = "--threads", description = "Threads for the ground truth (default: all processors).")
  Integer threads;

  @Option(names = "--out", required = true, description = "Output directory.")
  Path out;

  @Option(names = "--to-postgres", description = "Also load the base vectors into PostgreSQL: postgresql://user@host:port/database.")
  String toPostgres;

  @Option(names = "--table", defaultValue = "items", description = "With --to-postgres: the table, replaced if it exists (default: ${DEFAULT-VALUE}).")
  String table;

  @Option(names = "--vector-type", defaultValue = "REAL_ARRAY", description = "With --to-postgres: REAL_ARRAY or BYTEA (default: ${DEFAULT-VALUE}).")
  PostgresLoader.VectorType vectorType;

  @Override
  public Integer call() throws Exception {
    if (n < 1 || queries < 1 || k < 1) {
      throw new IllegalArgumentException("--n, --queries and --k must be >= 1");
    }
    PrintWriter log = spec.commandLine().getOut();
    Metric m = Metric.parse(metric);
    Files.createDirectories(out);
    SyntheticData gen = new SyntheticData(dim, clusters, sigma, seed, uniform);
    try (Arena arena = Arena.ofShared()) {
      long t0 = System.nanoTime();
      FloatVectors base = gen.vectors(SyntheticData.BASE_STREAM, n, arena);
      float[][] q = gen.arrays(SyntheticData.QUERY_STREAM, queries);
      Texmex.writeFvecs(out.resolve("base.fvecs"), base);
      Texmex.writeFvecs(out.resolve("query.fvecs"), q);
      log.printf(Locale.ROOT, "wrote %s: base %d x %d, %d queries (%s) in %.1f s%n", out, n, dim, queries,
          uniform ? "uniform [0,1)" : clusters + " Gaussian clusters", (System.nanoTime() - t0) / 1e9);
      log.flush();
      if (toPostgres != null) {
        new PostgresLoader(toPostgres, table, "vec", vectorType).load(base, true, log);
      }

      long g0 = System.nanoTime();
      int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
      int[][] truth = GroundTruth.compute(base, m, q, k, null, nThreads, progress(log, g0));
      Texmex.writeIvecs(out.resolve("groundtruth.ivecs"), truth);
      log.printf(Locale.ROOT, "wrote groundtruth.ivecs: exact top-%d (%s) in %.1f s%n", Math.min(k, n), m,
          (System.nanoTime() - g0) / 1e9);
    }
    return 0;
  }

  /** Prints a line at every further 5 % of queries done. */
  private static GroundTruth.Progress progress(PrintWriter log, long start) {
    return new GroundTruth.Progress() {
      private int lastStep;

      @Override
      public synchronized void done(int queriesDone, int total) {
        int step = (int) (20L * queriesDone / total);
        if (step > lastStep) {
          lastStep = step;
          double s = (System.nanoTime() - start) / 1e9;
          log.printf(Locale.ROOT, "ground truth: %d/%d queries (%d%%), %.1f s, ~%.0f s left%n", queriesDone, total,
              step * 5, s, s * (total - queriesDone) / queriesDone);
          log.flush();
        }
      }
    };
  }
}
