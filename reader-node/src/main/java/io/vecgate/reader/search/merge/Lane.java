package io.vecgate.reader.search.merge;

import io.vecgate.reader.search.SearchAnswer;
import io.vecgate.reader.search.SearchPlan;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The requests of one {@link SearchPlan.Shape} waiting for a search thread, oldest first. Guarded
 * by the merger's lock.
 */
final class Lane {

  /** A request waiting in a lane. */
  record Pending(SearchPlan plan, long arrivedNanos, CompletableFuture<SearchAnswer> answer) {

    int nq() {
      return plan.nq();
    }

    /** The request's k (each of its queries wants the same). */
    int k() {
      return plan.k(0);
    }
  }

  final SearchPlan.Shape key;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int queries;
  /** Whether the lane is in the merger's ready list. */
  boolean listed;

  Lane(SearchPlan.Shape key) {
    this.key = key;
  }

  void add(Pending p) {
    queue.addLast(p);
    queries += p.nq();
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Query vectors waiting. */
  int queries() {
    return queries;
  }

  /** When the oldest waiting request arrived; the lane must not be empty. */
  long oldestArrival() {
    return queue.getFirst().arrivedNanos();
  }

  /**
   * Takes the next batch: the oldest request always (even one of more than {@code maxQueries}
   * vectors, which then runs alone), then, oldest first, every request that keeps the batch within
   * {@code maxQueries} vectors and {@code maxKSpread} between its smallest and largest k. A request
   * left out stays in its place, so it is among the first of the next batch.
   */
  List<Pending> take(int maxQueries, int maxKSpread) {
    List<Pending> batch = new ArrayList<>();
    Iterator<Pending> it = queue.iterator();
    Pending first = it.next();
    it.remove();
    batch.add(first);
    int n = first.nq();
    int minK = first.k();
    int maxK = minK;
    while (it.hasNext() && n < maxQueries) {
      Pending p = it.next();
      int k = p.k();
      int lo = Math.min(minK, k);
      int hi = Math.max(maxK, k);
      if (n + p.nq() > maxQueries || (long) hi - lo > maxKSpread) {
        continue;
      }
      it.remove();
      batch.add(p);
      n += p.nq();
      minK = lo;
      maxK = hi;
    }
    queries -= n;
    return batch;
  }
}
