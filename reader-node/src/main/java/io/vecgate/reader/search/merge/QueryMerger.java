package io.vecgate.reader.search.merge;

import io.vecgate.reader.search.DocHit;
import io.vecgate.reader.search.PartitionFanOut;
import io.vecgate.reader.search.SearchAnswer;
import io.vecgate.reader.search.SearchPlan;
import io.vecgate.reader.search.SearchRunner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Merges the searches waiting for a reader into engine batches (sources/003): requests with the
 * same {@link SearchPlan.Shape} (version, partitions, fields and weights, index parameters, filters,
 * projection and flags) whose k differ by at most {@link MergeSettings#maxKSpread()} run as one
 * batch of at most {@link MergeSettings#maxQueries()} query vectors, which the IVF indexes answer
 * by scanning each probed list once for all of them. Each request gets exactly the answer it gets
 * alone, with its own k: the engine answers every query of a batch as it would alone, and the
 * top-K reduce over the partitions is per query.
 *
 * <h2>When batches run</h2>
 * The merger admits at most {@code concurrency} batches (the number of search threads) at a
 * time. A request that finds a slot free runs at once, alone: an idle reader adds no wait. The
 * others wait in their key's lane, and each time a batch ends the next batch is formed from the
 * oldest lane's waiting requests, so batches grow with the load and form from what queued
 * while the previous ones ran. Lanes take turns. With {@link MergeSettings#maxWait()} above zero, a
 * lane's batch starts only once its oldest request has waited that long (or the batch is full).
 *
 * <h2>Failures</h2>
 * Every request is a plan already checked against its version (unknown field, wrong dimension,
 * non-finite component, bad k are refused before it reaches a lane). Should a batch still fail
 * (a filter that does not fit its column), its requests run again one by one, so a failure
 * reaches only the request that causes it.
 */
public final class QueryMerger implements SearchRunner {

  private static final System.Logger LOG = System.getLogger(QueryMerger.class.getName());

  private final Executor executor;
  private final int concurrency;
  private final MergeSettings settings;
  private final MergeMetrics metrics;
  private final long waitNanos;
  /** Wakes lanes whose micro-wait ends; only when {@link MergeSettings#maxWait()} is above zero. */
  private final ScheduledExecutorService timer;

  private final Object lock = new Object();
  private final Map<SearchPlan.Shape, Lane> lanes = new HashMap<>();
  /** Lanes with waiting requests, in the order they get the next free slot. */
  private final ArrayDeque<Lane> ready = new ArrayDeque<>();
  private int running;
  private long batchIds;
  /** When the timer fires next ({@link Long#MAX_VALUE}: not set). */
  private long wakeAt = Long.MAX_VALUE;

  /**
   * @param executor the search threads
   * @param concurrency batches run at once: the number of search threads
   */
  public QueryMerger(Executor executor, int concurrency, MergeSettings settings, MergeMetrics metrics) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
    }
    this.executor = executor;
    this.concurrency = concurrency;
    this.settings = settings;
    this.metrics = metrics;
    this.waitNanos = settings.maxWait().toNanos();
    this.timer = waitNanos > 0 ? Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vecgate-merge-timer");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  @Override
  public CompletableFuture<SearchAnswer> search(SearchPlan plan) {
    Lane.Pending p = new Lane.Pending(plan, System.nanoTime(), new CompletableFuture<>());
    List<Batch> start;
    synchronized (lock) {
      Lane lane = lanes.computeIfAbsent(plan.shape(), Lane::new);
      lane.add(p);
      if (!lane.listed) {
        lane.listed = true;
        ready.addLast(lane);
      }
      start = dispatch();
    }
    start.forEach(this::start);
    return p.answer();
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** Batches running now, for tests. */
  int running() {
    synchronized (lock) {
      return running;
    }
  }

  /** A batch taken from a lane. */
  private record Batch(long id, List<Lane.Pending> members) {}

  /** Takes batches while slots are free and lanes are due; under the lock. */
  private List<Batch> dispatch() {
    List<Batch> out = new ArrayList<>(1);
    long now = System.nanoTime();
    for (int look = ready.size(); look > 0 && running < concurrency; look--) {
      Lane lane = ready.pollFirst();
      long due = lane.oldestArrival() + waitNanos;
      if (waitNanos > 0 && lane.queries() < settings.maxQueries() && now - due < 0) {
        ready.addLast(lane);
        wakeAt(due, now);
        continue;
      }
      List<Lane.Pending> members = lane.take(settings.maxQueries(), settings.maxKSpread());
      running++;
      out.add(new Batch(++batchIds, members));
      if (lane.isEmpty()) {
        lane.listed = false;
        lanes.remove(lane.key);
      } else {
        ready.addLast(lane);
        look++;
      }
    }
    return out;
  }

  /** Makes the timer dispatch again at {@code due}; under the lock. */
  private void wakeAt(long due, long now) {
    if (wakeAt != Long.MAX_VALUE && wakeAt - due <= 0 && wakeAt - now >= 0) {
      return;
    }
    wakeAt = due;
    try {
      timer.schedule(() -> {
        List<Batch> start;
        synchronized (lock) {
          wakeAt = Long.MAX_VALUE;
          start = dispatch();
        }
        start.forEach(this::start);
      }, Math.max(0, due - now), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      // Closing: the batches already taken still run; nothing new is waited for.
    }
  }

  private void start(Batch b) {
    try {
      executor.execute(() -> run(b));
    } catch (RejectedExecutionException e) {
      b.members().forEach(m -> m.answer().completeExceptionally(e));
      finished();
    }
  }

  /** Runs a batch on a search thread. */
  private void run(Batch b) {
    long start = System.nanoTime();
    List<Lane.Pending> members = b.members();
    List<SearchPlan> plans = members.stream().map(Lane.Pending::plan).toList();
    CompletableFuture<List<List<DocHit>>> hits;
    try {
      hits = PartitionFanOut.run(SearchPlan.combine(plans), executor);
    } catch (RuntimeException e) {
      hits = CompletableFuture.failedFuture(e);
    }
    int queries = plans.stream().mapToInt(SearchPlan::nq).sum();
    hits.whenComplete((results, error) -> {
      if (error == null) {
        long engine = System.nanoTime() - start;
        metrics.batch(members.size(), queries);
        int at = 0;
        for (Lane.Pending m : members) {
          int nq = m.nq();
          m.answer().complete(new SearchAnswer(results.subList(at, at + nq), engine, queries, members.size(), b.id()));
          at += nq;
        }
        finished();
      } else if (members.size() == 1) {
        members.getFirst().answer().completeExceptionally(error);
        finished();
      } else {
        // A caller's mistake shared by the batch (a filter that does not fit a column) fails every
        // search again on its own: not worth a warning.
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause() : error;
        LOG.log(cause instanceof IllegalArgumentException ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
            "a merged batch of " + members.size() + " searches failed; running them one by one: " + cause);
        oneByOne(members, b.id()).whenComplete((x, e) -> finished());
      }
    });
  }

  /** Runs each request alone, each answered with its own outcome. */
  private CompletableFuture<Void> oneByOne(List<Lane.Pending> members, long batchId) {
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (Lane.Pending m : members) {
      SearchPlan p = m.plan();
      chain = chain.thenCompose(x -> {
        long start = System.nanoTime();
        CompletableFuture<List<List<DocHit>>> hits;
        try {
          hits = PartitionFanOut.run(p, executor);
        } catch (RuntimeException e) {
          hits = CompletableFuture.failedFuture(e);
        }
        return hits.handle((results, error) -> {
          if (error == null) {
            metrics.batch(1, p.nq());
            m.answer().complete(new SearchAnswer(results, System.nanoTime() - start, p.nq(), 1, batchId));
          } else {
            m.answer().completeExceptionally(error);
          }
          return null;
        });
      });
    }
    return chain;
  }

  /** A batch ended: its slot goes to the next due lane. */
  private void finished() {
    List<Batch> start;
    synchronized (lock) {
      running--;
      start = dispatch();
    }
    start.forEach(this::start);
  }
}
