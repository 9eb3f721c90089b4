package io.vecgate.writer.service;

import io.vecgate.protocol.api.ApiException;
import io.vecgate.writer.store.CompactionJob;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/**
 * Seals, publishes and compacts spaces, and decides when index builds run.
 *
 * <p>Seals run on a space's lane (queued by the refresh timer, by a full buffer, or run at once for
 * {@code _refresh}) and always write FLAT segments, so a write never waits for an index build.
 * After a new version it is announced and a tiered compaction is picked: while the space takes
 * writes, compactions are FLAT copies except for large segments
 * ({@link io.vecgate.writer.store.CompactionPolicy}). Once a space has had no write for the quiet
 * period ({@link #compactQuietSpaces}), each partition is compacted into one segment with the
 * space's index. A compaction is picked and swapped in on the lane, but built on the compaction
 * executor, so writes go on meanwhile (see {@link CompactionJob}); a space has at most one
 * compaction in flight. Builds run in a fork-join pool whose parallelism caps the cores an index
 * build takes (IVF's parallel steps and HNSW's insert threads follow it): while the writer takes
 * writes it is {@code buildThreads} (by default one core less than the machine has, so a core stays
 * with the write lanes and request parsing); a quiet compaction started when no space has had a
 * write for the quiet period uses every core, until the next write anywhere lowers it again (IVF
 * steps follow at once, HNSW from its next partition).
 */
final class SpaceRefresher {

  private static final System.Logger LOG = System.getLogger(SpaceRefresher.class.getName());

  private final SpaceRegistry spaces;
  private final WriterNotices notices;
  private final ExecutorService compactionExec;
  private final ForkJoinPool buildPool;
  private final int busyThreads;
  private final int quietThreads;
  private final long quietNanos;
  /** {@link System#nanoTime} of the newest write to any space. */
  private volatile long lastWriteNanos = System.nanoTime();
  /** True once the writer stops: queued seals and compactions are skipped. */
  private final BooleanSupplier stopping;

  /**
   * @param compactionExec runs compactions, one at a time for all spaces: an index build already
   *     uses the build pool's threads, so a second concurrent build would only share the same cores
   *     and double the memory builds hold. Spaces take turns; each queues at most one compaction.
   * @param buildPool where compacted segments are built (its parallelism caps a build's threads;
   *     this sets it)
   * @param busyThreads the build pool's parallelism while the writer takes writes
   * @param quietPeriod a space with no write for this long gets its quiet compaction
   */
  SpaceRefresher(SpaceRegistry spaces, WriterNotices notices, ExecutorService compactionExec, ForkJoinPool buildPool,
      int busyThreads, Duration quietPeriod, BooleanSupplier stopping) {
    this.spaces = spaces;
    this.notices = notices;
    this.compactionExec = compactionExec;
    this.buildPool = buildPool;
    this.busyThreads = busyThreads;
    this.quietThreads = Math.max(busyThreads, Runtime.getRuntime().availableProcessors());
    this.quietNanos = quietPeriod.toNanos();
    this.stopping = stopping;
    buildPool.setParallelism(busyThreads);
  }

  /** A build pool of {@code threads} (its parallelism is set by the refresher afterwards). */
  static ForkJoinPool buildPool(int threads) {
    return new ForkJoinPool(threads, pool -> {
      ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
      t.setName("writer-build-" + t.getPoolIndex());
      return t;
    }, null, false);
  }

  /**
   * Records a write applied to {@code lane}'s space (on its lane): the space is not quiet, and
   * builds drop back to {@code busyThreads}.
   */
  void wrote(SpaceLane lane) {
    lane.wrote();
    lastWriteNanos = lane.lastWriteNanos;
    if (buildPool.getParallelism() != busyThreads) {
      buildPool.setParallelism(busyThreads);
    }
  }

  /** Queues a seal of {@code lane} unless one is queued already; a failure is logged (the next refresh retries). */
  void queueSeal(SpaceLane lane) {
    if (!lane.sealQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      lane.exec.execute(() -> {
        lane.sealQueued.set(false);
        if (lane.closed || stopping.getAsBoolean()) {
          return;
        }
        try {
          sealNow(lane);
        } catch (IOException | RuntimeException e) {
          LOG.log(System.Logger.Level.ERROR, "sealing " + lane.db() + "/" + lane.name()
              + " failed; the writes stay in the WAL and the next refresh retries", e);
        }
      });
    } catch (RejectedExecutionException e) {
      lane.sealQueued.set(false);
    }
  }

  /** Seals and publishes on the lane's thread; checks for compactions after a new version. */
  long sealNow(SpaceLane lane) throws IOException {
    long before = lane.store.version();
    long v = lane.store.seal();
    if (v != before) {
      announce(lane);
      startCompaction(lane, CompactionJob.Scope.TIERED);
    }
    return v;
  }

  /**
   * On the lane: seals what is buffered (the compaction would seal it with its result anyway;
   * sealed first, it is compacted too) and starts the quiet compaction.
   */
  private void compactQuiet(SpaceLane lane) {
    try {
      long before = lane.store.version();
      if (lane.store.seal() != before) {
        announce(lane);
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "sealing " + lane.db() + "/" + lane.name()
          + " failed; the writes stay in the WAL and the next refresh retries", e);
      return;
    }
    startCompaction(lane, CompactionJob.Scope.ALL);
  }

  /**
   * On the lane: seals what is buffered and compacts each partition into one segment with the
   * space's index now, without waiting for the space to be quiet (a rebuild that has loaded
   * everything, or an operator's compact). The compaction runs in the background; the space's
   * description says when it is indexed.
   */
  void compactNow(SpaceLane lane) {
    lane.bulkLoading = false;
    compactQuiet(lane);
  }

  /**
   * Queues the quiet compaction of every space that has had no write for the quiet period: what is
   * buffered is sealed and each partition compacted into one indexed segment (nothing happens where
   * there is nothing to seal and every partition is one indexed segment already). Called
   * periodically.
   */
  void compactQuietSpaces() {
    for (SpaceLane lane : spaces.all()) {
      if (lane.bulkLoading || !lane.quietFor(quietNanos) || !lane.quietCheckQueued.compareAndSet(false, true)) {
        continue;
      }
      try {
        lane.exec.execute(() -> {
          lane.quietCheckQueued.set(false);
          // A write may have come in since the check above.
          if (!lane.closed && !stopping.getAsBoolean() && lane.quietFor(quietNanos)) {
            compactQuiet(lane);
          }
        });
      } catch (RejectedExecutionException e) {
        lane.quietCheckQueued.set(false);
      }
    }
  }

  /**
   * On the lane: picks a compaction and hands its build to the compaction executor, unless a
   * compaction of this space is in flight (then a quiet compaction is remembered, and a tiered one
   * is checked anyway when the running one is swapped in).
   */
  private void startCompaction(SpaceLane lane, CompactionJob.Scope scope) {
    if (lane.closed || stopping.getAsBoolean()) {
      return;
    }
    if (lane.compaction != null) {
      lane.fullCompactionDue |= scope == CompactionJob.Scope.ALL;
      return;
    }
    CompactionJob job = lane.store.pickCompaction(scope);
    if (job == null) {
      return;
    }
    lane.compaction = job;
    try {
      compactionExec.execute(() -> {
        build(job, scope);
        try {
          lane.exec.execute(() -> finishCompaction(lane, job));
        } catch (RejectedExecutionException e) {
          // The lane is shut down: closing its store abandoned the job.
        }
      });
    } catch (RejectedExecutionException e) {
      lane.compaction = null;
      lane.store.abandonCompaction(job);
    }
  }

  /**
   * Builds {@code job} in the build pool, waiting for it (a build never throws), on every core when
   * it is a quiet compaction and no space has had a write for the quiet period. The pool is shut
   * down after the compaction executor, so it refuses nothing a running compaction asks; should it,
   * the build runs here.
   */
  private void build(CompactionJob job, CompactionJob.Scope scope) {
    boolean writerQuiet = System.nanoTime() - lastWriteNanos >= quietNanos;
    buildPool.setParallelism(scope == CompactionJob.Scope.ALL && writerQuiet ? quietThreads : busyThreads);
    ForkJoinTask<?> task;
    try {
      task = buildPool.submit(job::build);
    } catch (RejectedExecutionException e) {
      job.build();
      return;
    }
    task.join();
  }

  /** On the lane: swaps a built compaction in and publishes, then checks for the next compaction. */
  private void finishCompaction(SpaceLane lane, CompactionJob job) {
    lane.compaction = null;
    if (lane.closed || stopping.getAsBoolean()) {
      lane.store.abandonCompaction(job);
      return;
    }
    try {
      if (lane.store.finishCompaction(job)) {
        announce(lane);
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "compacting " + lane.db() + "/" + lane.name()
          + " failed; its segments stay as they were and the next seal tries again", e);
      return;
    }
    // Seals during the build may have made more segments to compact.
    CompactionJob.Scope next = lane.fullCompactionDue ? CompactionJob.Scope.ALL : CompactionJob.Scope.TIERED;
    lane.fullCompactionDue = false;
    startCompaction(lane, next);
  }

  /** Tells readers about the lane's newest version and records it in the catalog. */
  private void announce(SpaceLane lane) {
    long v = lane.store.version();
    notices.versionPublished(lane.db(), lane.name(), v, lane.store.versionDir(v));
    try {
      spaces.catalog.setVersion(lane.db(), lane.name(), v);
      spaces.catalogChanged();
    } catch (IOException | ApiException e) {
      LOG.log(System.Logger.Level.WARNING, "recording version " + v + " of " + lane.db() + "/" + lane.name()
          + " in the catalog failed", e);
    }
  }
}
