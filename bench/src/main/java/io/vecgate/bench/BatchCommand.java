package io.vecgate.bench;

import io.vecgate.bench.data.SyntheticData;
import io.vecgate.engine.index.BuiltIndex;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.index.Indexes;
import io.vecgate.engine.index.VectorIndex;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import io.vecgate.engine.vector.VectorizationProvider;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench batch}: what query merging buys on the engine. The same queries are searched one
 * by one and in batches of each {@code --batches} size (one {@code VectorIndex.search} call per
 * batch: an IVF index scans each probed list once for every query of the batch that probes it),
 * on {@code --threads} threads each taking the next batch; it prints QPS, microseconds per query
 * and the speed-up over one by one, and checks that every batch answers exactly as one by one.
 * Synthetic data (uniform by default, as the merging benchmark of the design), built in memory.
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
    description = "Engine batch search against one by one (what query merging on the readers buys): QPS per batch size.")
public final class BatchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--n", defaultValue = "100000", description = "Base vectors (default: ${DEFAULT-VALUE}).")
  int n;

  @Option(names = "--dim", defaultValue = "128", description = "Dimension (default: ${DEFAULT-VALUE}).")
  int dim;

  @Option(names = "--clusters", defaultValue = "0",
      description = "Gaussian clusters of the synthetic data; 0: uniform in [0, 1) (default: ${DEFAULT-VALUE}).")
  int clusters;

  @Option(names = "--index", defaultValue = "IVF_SQ8", description = "Index type (default: ${DEFAULT-VALUE}).")
  String index;

  @Option(names = "--metric", defaultValue = "L2", description = "L2, IP or COSINE (default: ${DEFAULT-VALUE}).")
  String metric;

  @Option(names = "--params", defaultValue = "nlist=1024,nprobe=16",
      description = "Build and search parameters, as bench ann takes them (default: ${DEFAULT-VALUE}).")
  String params;

  @Option(names = "--k", defaultValue = "10", description = "Hits per query (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--queries", defaultValue = "2000", description = "Queries searched per batch size (default: ${DEFAULT-VALUE}).")
  int queries;

  @Option(names = "--batches", split = ",", defaultValue = "4,16,64,200",
      description = "Batch sizes, each against one by one (always measured first) (default: ${DEFAULT-VALUE}).")
  List<Integer> batches;

  @Option(names = "--threads", defaultValue = "1", description = "Threads searching batches at once (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--repeat", defaultValue = "3", description = "Timed passes per size; the best is kept (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--seed", defaultValue = "1") long seed;

  @Override
  public Integer call() throws Exception {
    if (n < 1 || dim < 1 || k < 1 || queries < 1 || threads < 1 || repeat < 1) {
      throw new IllegalArgumentException("--n, --dim, --k, --queries, --threads and --repeat must be >= 1");
    }
    for (int b : batches) {
      if (b < 1) {
        throw new IllegalArgumentException("--batches: every size must be >= 1, got " + b);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    IndexType type = IndexType.parse(index);
    Metric m = Metric.parse(metric);
    BenchParams bp = BenchParams.parse(params);
    SyntheticData data = new SyntheticData(dim, Math.max(1, clusters), 0.1f, seed, clusters == 0);
    float[][] q = data.arrays(SyntheticData.QUERY_STREAM, queries);
    try (Arena arena = Arena.ofShared()) {
      FloatVectors base = data.vectors(SyntheticData.BASE_STREAM, n, arena);
      long t0 = System.nanoTime();
      BuiltIndex built = Indexes.build(type, m, base, bp.build(), arena);
      VectorIndex ix = built.index();
      out.printf(Locale.ROOT, "# bench batch: %d x %d %s, %s %s (%s), built in %.1f s; %d queries, k %d, %d thread(s), "
              + "best of %d, kernels %s%n", n, dim, clusters == 0 ? "uniform" : clusters + " clusters", type, m, params,
          (System.nanoTime() - t0) / 1e9, queries, k, threads, repeat, VectorizationProvider.ops().name());
      Neighbors[] alone = run(ix, q, bp, 1, 1);
      out.printf("%-8s %12s %14s %10s %10s%n", "batch", "QPS", "us_per_query", "speedup", "identical");
      // One by one first: the baseline of the speed-ups.
      List<Integer> sizes = new java.util.ArrayList<>(batches);
      sizes.remove(Integer.valueOf(1));
      sizes.addFirst(1);
      double oneByOne = 0;
      for (int b : sizes) {
        Neighbors[] got = null;
        long best = Long.MAX_VALUE;
        for (int r = 0; r < repeat; r++) {
          long s = System.nanoTime();
          got = run(ix, q, bp, b, threads);
          best = Math.min(best, System.nanoTime() - s);
        }
        boolean same = true;
        for (int i = 0; i < q.length; i++) {
          same &= Arrays.equals(alone[i].ordinals(), got[i].ordinals()) && Arrays.equals(alone[i].distances(), got[i].distances());
        }
        double qps = queries / (best / 1e9);
        if (b == 1) {
          oneByOne = qps;
        }
        out.printf(Locale.ROOT, "%-8d %12.1f %14.2f %9.2fx %10s%n", b, qps, best / 1e3 / queries, qps / oneByOne,
            same ? "yes" : "NO");
        out.flush();
        if (!same) {
          return 1;
        }
      }
    }
    return 0;
  }

  /** Searches every query in batches of {@code size}, {@code threads} batches at a time; answers in query order. */
  private Neighbors[] run(VectorIndex ix, float[][] q, BenchParams bp, int size, int threads) throws Exception {
    Neighbors[] out = new Neighbors[q.length];
    AtomicInteger next = new AtomicInteger();
    Callable<Void> worker = () -> {
      for (int from = next.getAndAdd(size); from < q.length; from = next.getAndAdd(size)) {
        int to = Math.min(q.length, from + size);
        int[] ks = new int[to - from];
        Arrays.fill(ks, k);
        Neighbors[] got = ix.search(Arrays.copyOfRange(q, from, to), ks, bp.search(), null);
        System.arraycopy(got, 0, out, from, got.length);
      }
      return null;
    };
    if (threads == 1) {
      worker.call();
      return out;
    }
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<Void>> fs = java.util.stream.IntStream.range(0, threads).mapToObj(i -> pool.submit(worker)).toList();
      for (Future<Void> f : fs) {
        f.get();
      }
    }
    return out;
  }
}
