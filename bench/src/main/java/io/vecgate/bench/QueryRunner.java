package io.vecgate.bench;

import io.vecgate.engine.index.VectorIndex;
import io.vecgate.engine.search.Bits;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.search.SearchParams;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a query set against one built index and times it: one thread with one query per call
 * (throughput and per-query latency), then {@code threads} workers that take batches of
 * {@code batch} queries from a shared counter (throughput). Results are returned as input rows,
 * mapped through the index's {@code order}, so they compare directly with TEXMEX ground truth.
 */
public final class QueryRunner implements AutoCloseable {

  /** Timings of one run over the query set, and the single-thread results as input rows. */
  public record Measurement(int[][] rows, double qps1, double qpsAll, double p50Ms, double p99Ms) {}

  private final VectorIndex index;
  private final int[] order;
  private final float[][] queries;
  private final int k;
  private final int threads;
  private final int batch;
  private final Bits filter;
  private final int warmupQueries;
  private final double warmupSeconds;
  private final ExecutorService pool;

  /**
   * @param order         {@code order[ordinal]} = input row, from {@code BuiltIndex}
   * @param filter        allowed ordinals (index order), or {@code null}
   * @param warmupQueries queries of one warm-up pass (on all threads) before each timed run
   * @param warmupSeconds warm-up passes repeat until this much time has gone, so that the JIT has
   *                      compiled the search path even when the query set is small
   */
  public QueryRunner(VectorIndex index, int[] order, float[][] queries, int k, int threads, int batch,
      Bits filter, int warmupQueries, double warmupSeconds) {
    if (queries.length == 0) {
      throw new IllegalArgumentException("no queries to run");
    }
    if (threads < 1 || batch < 1 || k < 1) {
      throw new IllegalArgumentException("threads, batch and k must be >= 1; got " + threads + ", " + batch + ", " + k);
    }
    this.index = index;
    this.order = order;
    this.queries = queries;
    this.k = k;
    this.threads = threads;
    this.batch = batch;
    this.filter = filter;
    this.warmupQueries = Math.min(warmupQueries, queries.length);
    this.warmupSeconds = warmupSeconds;
    this.pool = Executors.newFixedThreadPool(threads);
  }

  /** Warms up, then times the single-thread and the all-thread runs with {@code p}. */
  public Measurement measure(SearchParams p) throws InterruptedException {
    long warmStart = System.nanoTime();
    do {
      runParallel(p, warmupQueries);
    } while (warmupQueries > 0 && System.nanoTime() - warmStart < warmupSeconds * 1e9);

    long[] latency = new long[queries.length];
    Neighbors[] found = new Neighbors[queries.length];
    long start = System.nanoTime();
    for (int i = 0; i < queries.length; i++) {
      long t0 = System.nanoTime();
      found[i] = index.search(queries[i], k, p, filter);
      latency[i] = System.nanoTime() - t0;
    }
    double seconds1 = (System.nanoTime() - start) / 1e9;
    int[][] rows = new int[queries.length][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = toRows(found[i]); // mapped after the clock stops: not part of the engine's latency
    }

    double secondsAll = runParallel(p, queries.length);
    Arrays.sort(latency);
    return new Measurement(rows, queries.length / seconds1, queries.length / secondsAll,
        percentile(latency, 0.50) / 1e6, percentile(latency, 0.99) / 1e6);
  }

  /** Untimed search of all queries with {@code kPrime} results each, as input rows (for recall@R, R > k). */
  public int[][] searchRows(SearchParams p, int kPrime) {
    int[][] rows = new int[queries.length][];
    for (int from = 0; from < queries.length; from += 256) {
      float[][] qs = Arrays.copyOfRange(queries, from, Math.min(queries.length, from + 256));
      int[] ks = new int[qs.length];
      Arrays.fill(ks, kPrime);
      Neighbors[] res = index.search(qs, ks, p, filter);
      for (int i = 0; i < res.length; i++) {
        rows[from + i] = toRows(res[i]);
      }
    }
    return rows;
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** Searches the first {@code count} queries on all threads; returns the wall time in seconds. */
  private double runParallel(SearchParams p, int count) throws InterruptedException {
    if (count == 0) {
      return 0;
    }
    int batches = (count + batch - 1) / batch;
    float[][][] qs = new float[batches][][];
    int[][] ks = new int[batches][];
    for (int b = 0; b < batches; b++) {
      qs[b] = Arrays.copyOfRange(queries, b * batch, Math.min(count, (b + 1) * batch));
      ks[b] = new int[qs[b].length];
      Arrays.fill(ks[b], k);
    }
    AtomicInteger next = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    Future<?>[] fs = new Future<?>[threads];
    for (int t = 0; t < threads; t++) {
      fs[t] = pool.submit(() -> {
        go.await();
        for (int b; (b = next.getAndIncrement()) < batches; ) {
          index.search(qs[b], ks[b], p, filter);
        }
        return null;
      });
    }
    // The workers are parked on the latch, so the clock starts with all of them ready.
    long start = System.nanoTime();
    go.countDown();
    try {
      for (Future<?> f : fs) {
        f.get();
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("search failed", e.getCause());
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private int[] toRows(Neighbors n) {
    int[] rows = new int[n.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = order[n.ordinal(i)];
    }
    return rows;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
