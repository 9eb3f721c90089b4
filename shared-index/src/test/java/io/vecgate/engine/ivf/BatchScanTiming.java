package io.vecgate.engine.ivf;

import io.vecgate.engine.index.BuiltIndex;
import io.vecgate.engine.index.IndexParams;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.index.Indexes;
import io.vecgate.engine.index.VectorIndex;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.testkit.TestVectors;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import java.lang.foreign.Arena;
import java.util.Arrays;

/**
 * A quick, manual check that batched IVF search beats one-by-one search per query, and of the
 * build time. Not a unit test (timings are not asserted) and not a benchmark: run it by hand
 * with {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes
 * io.vecgate.engine.ivf.BatchScanTiming [n] [dim] [nlist] [nprobe] [types]}.
 */
public final class BatchScanTiming {

  private BatchScanTiming() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
    int dim = args.length > 1 ? Integer.parseInt(args[1]) : 96;
    int nlist = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int nprobe = args.length > 3 ? Integer.parseInt(args[3]) : 8;
    float[][] base = TestVectors.clustered(n, dim, 200, 1);
    float[][] queries = TestVectors.clustered(400, dim, 200, 1);
    try (Arena arena = Arena.ofShared()) {
      FloatVectors v = FloatVectors.copyOf(base, arena);
      String types = args.length > 4 ? args[4] : "IVF_FLAT,IVF_SQ8,IVF_PQ";
      for (String name : types.split(",")) {
        IndexType type = IndexType.parse(name);
        long t0 = System.nanoTime();
        String params = "nlist=" + nlist + ",nprobe=" + nprobe + (type == IndexType.IVF_PQ ? ",m=" + dim / 4 : "");
        BuiltIndex built = Indexes.build(type, Metric.L2, v, IndexParams.parse(params), arena);
        System.out.printf("%s build %d x %d, nlist %d: %.2f s%n", type, n, dim, nlist, (System.nanoTime() - t0) / 1e9);
        VectorIndex index = built.index();
        for (int batch : new int[] {1, 8, 32, 100, 200}) {
          // Warm up once, then time; best of three rounds tames a shared machine.
          run(index, queries, batch);
          double best = Double.MAX_VALUE;
          for (int r = 0; r < 3; r++) {
            long s = System.nanoTime();
            run(index, queries, batch);
            best = Math.min(best, (System.nanoTime() - s) / 1e3 / queries.length);
          }
          System.out.printf("  batch %3d: %7.1f us/query (%6.0f QPS, one thread)%n", batch, best, 1e6 / best);
        }
      }
    }
  }

  private static void run(VectorIndex index, float[][] queries, int batch) {
    for (int from = 0; from < queries.length; from += batch) {
      float[][] qs = Arrays.copyOfRange(queries, from, Math.min(queries.length, from + batch));
      int[] k = new int[qs.length];
      Arrays.fill(k, 10);
      index.search(qs, k, SearchParams.DEFAULTS, null);
    }
  }
}
