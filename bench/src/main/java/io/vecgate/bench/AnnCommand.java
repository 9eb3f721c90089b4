package io.vecgate.bench;

import io.vecgate.bench.data.Texmex;
import io.vecgate.engine.index.BuiltIndex;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.index.Indexes;
import io.vecgate.engine.search.FixedBitSet;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import io.vecgate.engine.vector.VectorizationProvider;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench ann}: builds one index over a TEXMEX base set and reports, per sweep value,
 * recall@1/10/100, single- and all-thread QPS and single-thread p50/p99 latency, plus the
 * build time and index size. Rows go to stdout and, with {@code --csv}, to a CSV file in the
 * format of {@link ResultCsv}.
 */
@Command(name = "ann", mixinStandardHelpOptions = true,
    description = "Recall / QPS / latency of one index on a TEXMEX dataset (fvecs/ivecs).")
public final class AnnCommand implements Callable<Integer> {

  /** The recall depths reported, where the ground truth is wide enough. */
  static final int[] RECALL_AT = {1, 10, 100};

  @Spec CommandSpec spec;

  @Option(names = "--base", required = true, description = "Base vectors (.fvecs).")
  Path base;

  @Option(names = "--query", required = true, description = "Query vectors (.fvecs).")
  Path query;

  @Option(names = "--gt", description = "Ground truth (.ivecs, input rows). Without it (or with --filter-percent) "
      + "the exact neighbours are computed by brute force.")
  Path gt;

  @Option(names = "--index", required = true, description = "FLAT, IVF_FLAT, IVF_SQ8, IVF_PQ or HNSW.")
  String indexType;

  @Option(names = "--metric", defaultValue = "L2", description = "L2, IP or COSINE (default: ${DEFAULT-VALUE}).")
  String metricName;

  @Option(names = "--params", defaultValue = "", description = "name=value,... (nlist, m, nbits, M, efConstruction; "
      + "nprobe, ef, quick, rerank are query-time).")
  String params;

  @Option(names = "--sweep", description = "One query-time parameter and its values, e.g. nprobe=1,4,16,64.")
  String sweep;

  @Option(names = "--k", defaultValue = "10", description = "Results per query in the timed runs (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--threads", description = "Worker threads of the all-thread run (default: all processors).")
  Integer threads;

  @Option(names = "--batch", defaultValue = "1", description = "Queries per search call in the all-thread run (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--queries", defaultValue = "0", description = "Use only the first N queries (0: all).")
  int queryLimit;

  @Option(names = "--filter-percent", description = "Search with a random filter allowing this percentage of the base.")
  Double filterPercent;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the random filter (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--warmup", defaultValue = "1000", description = "Queries run before each timed run (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--warmup-seconds", defaultValue = "2", description = "Repeat the warm-up for at least this long "
      + "before each timed run (default: ${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Option(names = "--csv", description = "Write the result rows to this CSV file.")
  Path csv;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    IndexType type = IndexType.parse(indexType);
    Metric metric = Metric.parse(metricName);
    BenchParams bp = BenchParams.parse(params);
    List<BenchParams.SweepPoint> points = BenchParams.sweep(sweep, bp.search());
    int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    if (filterPercent != null && (filterPercent <= 0 || filterPercent > 100)) {
      throw new IllegalArgumentException("--filter-percent must be in (0, 100], got " + filterPercent);
    }

    try (Arena data = Arena.ofShared(); Arena indexArena = Arena.ofShared()) {
      long t0 = System.nanoTime();
      FloatVectors baseVectors = Texmex.readFvecs(base, 0, data);
      float[][] queries = Texmex.readFvecsArrays(query, queryLimit);
      out.printf(Locale.ROOT, "# base %s: %d x %d, queries %s: %d (read in %.1f s)%n", base, baseVectors.count(),
          baseVectors.dimension(), query, queries.length, (System.nanoTime() - t0) / 1e9);
      if (queries.length > 0 && queries[0].length != baseVectors.dimension()) {
        throw new IllegalArgumentException("queries have dimension " + queries[0].length + ", base has "
            + baseVectors.dimension());
      }

      long b0 = System.nanoTime();
      BuiltIndex built = Indexes.build(type, metric, baseVectors, bp.build(), indexArena);
      double buildS = (System.nanoTime() - b0) / 1e9;
      long indexBytes = built.index().parts().byteSize();
      out.printf(Locale.ROOT, "# %s %s params=[%s] build %.3f s, index %d bytes; kernels %s, k %d, threads %d, batch %d%n",
          type, metric, params, buildS, indexBytes, VectorizationProvider.ops().name(), k, nThreads, batch);

      // After the build, so that an index type that cannot be built fails before minutes of brute force.
      FixedBitSet allowedRows = filterPercent == null ? null : randomAllowed(baseVectors.count(), filterPercent, seed);
      int[][] truth = groundTruth(out, baseVectors, metric, queries, allowedRows, nThreads);
      FixedBitSet ordinalFilter = allowedRows == null ? null : toOrdinals(allowedRows, built.order());
      List<ResultRow> rows = new ArrayList<>();
      out.println(ConsoleTable.HEADER);
      try (QueryRunner runner = new QueryRunner(built.index(), built.order(), queries, k, nThreads, batch,
          ordinalFilter, warmup, warmupSeconds)) {
        for (BenchParams.SweepPoint point : points) {
          QueryRunner.Measurement m = runner.measure(point.params());
          double[] recall = new double[RECALL_AT.length];
          for (int i = 0; i < RECALL_AT.length; i++) {
            int r = RECALL_AT[i];
            if (truth.length == 0 || truth[0].length < r) {
              recall[i] = Double.NaN;
            } else {
              // Depths beyond k need a search for more results; it is not timed.
              int[][] res = r <= k ? m.rows() : runner.searchRows(point.params(), r);
              recall[i] = Recall.at(res, truth, r);
            }
          }
          ResultRow row = new ResultRow("vecgate:" + type.name(), params, point.label(), recall[0], recall[1],
              recall[2], m.qps1(), m.qpsAll(), m.p50Ms(), m.p99Ms(), buildS, indexBytes);
          rows.add(row);
          out.println(ConsoleTable.format(row));
          out.flush();
        }
      }
      if (csv != null) {
        ResultCsv.write(csv, rows);
        out.println("# wrote " + csv);
      }
    }
    return 0;
  }

  private int[][] groundTruth(PrintWriter out, FloatVectors baseVectors, Metric metric, float[][] queries,
      FixedBitSet allowedRows, int nThreads) throws Exception {
    if (gt != null && allowedRows == null) {
      int[][] truth = Texmex.readIvecs(gt, queryLimit);
      if (truth.length < queries.length) {
        throw new IllegalArgumentException("ground truth " + gt + " has " + truth.length + " rows, there are "
            + queries.length + " queries");
      }
      out.printf("# ground truth %s: %d neighbours per query%n", gt, truth.length == 0 ? 0 : truth[0].length);
      return truth;
    }
    int width = Math.max(k, 100);
    long t0 = System.nanoTime();
    int[][] truth = GroundTruth.compute(baseVectors, metric, queries, width, allowedRows, nThreads,
        GroundTruth.Progress.NONE);
    out.printf(Locale.ROOT, "# ground truth computed exactly by brute force (FLAT)%s: %d neighbours per query, %.1f s%s%n",
        allowedRows == null ? "" : " over the allowed set (" + allowedRows.cardinality() + " rows)",
        Math.min(width, baseVectors.count()), (System.nanoTime() - t0) / 1e9,
        gt != null ? "; --gt ignored because of --filter-percent" : "");
    return truth;
  }

  /** Exactly {@code round(n * percent / 100)} (at least one) distinct rows, chosen by a seeded partial shuffle. */
  static FixedBitSet randomAllowed(int n, double percent, long seed) {
    int want = (int) Math.max(1, Math.min(n, Math.round(n * percent / 100.0)));
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    FixedBitSet bits = new FixedBitSet(n);
    for (int i = 0; i < want; i++) {
      int j = i + rnd.nextInt(n - i);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
      bits.set(perm[i]);
    }
    return bits;
  }

  /** The filter in index order: ordinal {@code o} is allowed when its input row {@code order[o]} is. */
  static FixedBitSet toOrdinals(FixedBitSet allowedRows, int[] order) {
    FixedBitSet bits = new FixedBitSet(order.length);
    for (int o = 0; o < order.length; o++) {
      if (allowedRows.get(order[o])) {
        bits.set(o);
      }
    }
    return bits;
  }
}
