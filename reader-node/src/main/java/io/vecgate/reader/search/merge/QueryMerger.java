package io.vecgate.reader.search.merge;

import io.vecgate.reader.search.DocHit;
import io.vecgate.reader.search.PartitionFanOut;
import io.vecgate.reader.search.SearchAnswer;
import io.vecgate.reader.search.SearchQuery;
import io.vecgate.reader.search.SearchRunner;
import io.vecgate.reader.search.VersionSearcher;
import io.vecgate.reader.version.LoadedVersion;
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
 * same {@link MergeKey} (version, partitions, fields and weights, index parameters, filters,
 * projection and flags) whose k differ by at most {@link MergeSettings#maxKSpread()} run as one
 * batch of at most {@link MergeSettings#maxQueries()} query vectors, which the IVF indexes answer
 * by scanning each probed list once for all of them. Each request gets exactly the answer it gets
 * alone, with its own k: the engine answers every query of a batch as it would alone, and the
 * per-partition merge is per query.
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
 * Each request is checked against the version on its own before it joins the batch: a bad one
 * (unknown field, wrong dimension, non-finite component, bad k) fails alone. Should a batch
 * still fail, its requests run again one by one, so a failure reaches only the request that causes it.
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
  private final Map<MergeKey, Lane> lanes = new HashMap<>();
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
  public CompletableFuture<SearchAnswer> search(LoadedVersion v, SearchQuery q) {
    Lane.Pending p = new Lane.Pending(q, nq(v, q), System.nanoTime(), new CompletableFuture<>());
    MergeKey key = MergeKey.of(v, q);
    List<Batch> start;
    synchronized (lock) {
      Lane lane = lanes.computeIfAbsent(key, Lane::new);
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
  private record Batch(long id, LoadedVersion version, List<Lane.Pending> members) {}

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
      out.add(new Batch(++batchIds, lane.key.version(), members));
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
    List<Lane.Pending> members = new ArrayList<>(b.members().size());
    List<VersionSearcher.Prepared> prepared = new ArrayList<>(b.members().size());
    for (Lane.Pending m : b.members()) {
      try {
        prepared.add(VersionSearcher.prepare(b.version(), m.query()));
        members.add(m);
      } catch (RuntimeException e) {
        m.answer().completeExceptionally(e);
      }
    }
    if (members.isEmpty()) {
      finished();
      return;
    }
    CompletableFuture<List<List<DocHit>>> hits;
    VersionSearcher.Prepared all;
    try {
      all = VersionSearcher.combine(prepared);
      hits = PartitionFanOut.run(all, executor);
    } catch (RuntimeException e) {
      hits = CompletableFuture.failedFuture(e);
      all = null;
    }
    int queries = prepared.stream().mapToInt(VersionSearcher.Prepared::nq).sum();
    hits.whenComplete((results, error) -> {
      if (error == null) {
        long engine = System.nanoTime() - start;
        metrics.batch(members.size(), queries);
        int at = 0;
        for (int i = 0; i < members.size(); i++) {
          int nq = prepared.get(i).nq();
          members.get(i).answer().complete(new SearchAnswer(results.subList(at, at + nq), engine, queries,
              members.size(), b.id()));
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
        oneByOne(members, prepared, b.id()).whenComplete((x, e) -> finished());
      }
    });
  }

  /** Runs each request alone, each answered with its own outcome. */
  private CompletableFuture<Void> oneByOne(List<Lane.Pending> members, List<VersionSearcher.Prepared> prepared,
                                           long batchId) {
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (int i = 0; i < members.size(); i++) {
      Lane.Pending m = members.get(i);
      VersionSearcher.Prepared p = prepared.get(i);
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

  /** Query vectors of a request, from its first entry; 1 when they do not fit the version (its check will fail it). */
  static int nq(LoadedVersion v, SearchQuery q) {
    if (q.sum().isEmpty()) {
      return 1;
    }
    SearchQuery.FieldQuery f = q.sum().getFirst();
    int field = f.field() == null ? 0 : v.vectorFieldIndex(f.field());
    if (field < 0) {
      return 1;
    }
    int dim = v.vectorFields().get(field).dimension();
    int n = f.vectors().length;
    return dim > 0 && n > 0 && n % dim == 0 ? n / dim : 1;
  }
}
