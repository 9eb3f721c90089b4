package io.vecgate.engine.hnsw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** A build takes every core, or the parallelism of the fork-join pool it runs in (how a caller caps its cores). */
class HnswBuildThreadsTest {

  static final int LARGE = BuildThreads.PARALLEL_THRESHOLD;

  @Test
  void everyCoreOutsideAPoolAndThePoolsParallelismInside() throws Exception {
    assertEquals(1, BuildThreads.threadsFor(LARGE - 1), "small builds run on one thread");
    assertEquals(Runtime.getRuntime().availableProcessors(), BuildThreads.threadsFor(LARGE));
    for (int parallelism : new int[] {1, 3}) {
      ForkJoinPool pool = new ForkJoinPool(parallelism);
      try {
        assertEquals(parallelism, pool.submit(() -> BuildThreads.threadsFor(LARGE)).get());
      } finally {
        pool.shutdown();
      }
    }
    assertEquals(Runtime.getRuntime().availableProcessors(),
        ForkJoinPool.commonPool().submit(() -> BuildThreads.threadsFor(LARGE)).get(), "the common pool is not a cap");
  }
}
