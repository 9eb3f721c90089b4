package io.vecgate.bench;

import io.vecgate.engine.index.IndexParams;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.index.Indexes;
import io.vecgate.engine.index.VectorIndex;
import io.vecgate.engine.search.Bits;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Exact nearest neighbours by brute force with the engine's own FLAT index. Queries go in
 * batches so that the block-wise batch scan reads the base once per batch, and batches are
 * spread over worker threads.
 */
public final class GroundTruth {

  /** Queries per batch: enough to amortise reading the base, small enough for steady progress. */
  static final int BATCH = 64;

  /** Told how many queries are done; called from worker threads. */
  @FunctionalInterface
  public interface Progress {
    void done(int queriesDone, int total);

    Progress NONE = (d, t) -> {};
  }

  private GroundTruth() {}

  /**
   * The {@code k} nearest input rows of each query ({@code k} capped at the base size), rows
   * padded with {@code -1} when the filter allows fewer.
   *
   * @param base    read from worker threads, so its memory must not be confined to one thread
   *                (a shared or global arena, or a mapped file)
   * @param allowed input rows that may be returned, or {@code null} for all
   */
  public static int[][] compute(FloatVectors base, Metric metric, float[][] queries, int k, Bits allowed,
      int threads, Progress progress) throws InterruptedException {
    int width = Math.min(k, base.count());
    int[][] out = new int[queries.length][];
    if (width < 1) {
      for (int i = 0; i < out.length; i++) {
        out[i] = new int[0];
      }
      return out;
    }
    try (Arena arena = Arena.ofShared()) {
      // FLAT keeps input order (identity), so ordinals are input rows.
      VectorIndex flat = Indexes.build(IndexType.FLAT, metric, base, IndexParams.empty(), arena).index();
      int batches = (queries.length + BATCH - 1) / BATCH;
      AtomicInteger next = new AtomicInteger();
      AtomicInteger done = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
      try {
        Future<?>[] fs = new Future<?>[Math.max(1, threads)];
        for (int t = 0; t < fs.length; t++) {
          fs[t] = pool.submit(() -> {
            for (int b; (b = next.getAndIncrement()) < batches; ) {
              int from = b * BATCH;
              int to = Math.min(queries.length, from + BATCH);
              float[][] qs = Arrays.copyOfRange(queries, from, to);
              int[] ks = new int[qs.length];
              Arrays.fill(ks, width);
              Neighbors[] res = flat.search(qs, ks, SearchParams.DEFAULTS.withExact(true), allowed);
              for (int i = 0; i < res.length; i++) {
                int[] row = new int[width];
                Arrays.fill(row, -1);
                System.arraycopy(res[i].ordinals(), 0, row, 0, res[i].size());
                out[from + i] = row;
              }
              progress.done(done.addAndGet(qs.length), queries.length);
            }
          });
        }
        for (Future<?> f : fs) {
          f.get();
        }
      } catch (ExecutionException e) {
        throw rethrow(e);
      } finally {
        pool.shutdownNow();
      }
    }
    return out;
  }

  private static RuntimeException rethrow(ExecutionException e) {
    if (e.getCause() instanceof RuntimeException r) {
      return r;
    }
    if (e.getCause() instanceof Error err) {
      throw err;
    }
    return new IllegalStateException(e.getCause());
  }
}
