package io.vecgate.engine.hnsw;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * How many threads an HNSW build uses, and the workers that share its nodes: platform threads
 * that take the next node in turn, each with its own scratch buffers. Kept apart from
 * {@link HnswBuilder} so that the insertion algorithm reads without the thread handling.
 */
final class BuildThreads {

  /** Vectors from which the build runs on all cores (and stops being reproducible). */
  static final int PARALLEL_THRESHOLD = 10_000;

  /** What a worker does with one node, with that worker's scratch buffers. */
  interface NodeTask<S> {
    void run(int node, S scratch);
  }

  private BuildThreads() {}

  /**
   * The thread count a build of {@code n} vectors uses: every core, or the parallelism of the
   * fork-join pool the build runs in (not the common pool), as IVF's parallel streams do there.
   */
  static int threadsFor(int n) {
    if (n < PARALLEL_THRESHOLD) {
      return 1;
    }
    ForkJoinPool pool = ForkJoinTask.getPool();
    return pool != null && pool != ForkJoinPool.commonPool()
        ? pool.getParallelism() : Runtime.getRuntime().availableProcessors();
  }

  /**
   * Runs {@code task} for every node of {@code [0, n)} on {@code threads} new threads and waits for
   * them. The first failure stops the workers (each finishes the node it is on) and is rethrown.
   */
  static <S> void forEachNode(int n, int threads, Supplier<S> scratch, NodeTask<S> task) {
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      workers[t] = Thread.ofPlatform().name("vecgate-hnsw-build-", t).start(() -> {
        S s = scratch.get();
        try {
          int node;
          while (failure.get() == null && (node = next.getAndIncrement()) < n) {
            task.run(node, s);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
    }
    try {
      for (Thread w : workers) {
        w.join();
      }
    } catch (InterruptedException e) {
      failure.compareAndSet(null, e);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building an HNSW graph", e);
    }
    Throwable e = failure.get();
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e instanceof Error err) {
      throw err;
    }
    if (e != null) {
      throw new IllegalStateException("HNSW build failed", e);
    }
  }
}
