package io.vecgate.writer.service;

import io.vecgate.protocol.api.ApiException;
import io.vecgate.writer.store.MergeJob;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/**
 * Seals, publishes and merges spaces, and decides when index builds run.
 *
 * <p>Seals run on a space's lane (queued by the refresh timer, by a full buffer, or run at once
 * for {@code _refresh}) and always write FLAT segments, so a write never waits for an index
 * build. After a new version it is announced and a tiered merge is picked: while the space takes
 * writes, merges are FLAT copies except for large segments ({@link io.vecgate.writer.store.MergePolicy}).
 * Once a space has had no write for the quiet period ({@link #mergeQuietSpaces}), each partition
 * is merged into one segment with the space's index. A merge is picked and swapped in on the
 * lane, but built on the merge executor, so writes go on meanwhile (see {@link MergeJob}); a space
 * has at most one merge in flight. Builds run in a fork-join pool whose parallelism caps the
 * cores an index build takes (IVF's parallel steps and HNSW's insert threads follow it): while
 * the writer takes writes it is {@code buildThreads} (by default one core less than the machine
 * has, so a core stays with the write lanes and request parsing); a quiet merge started when no
 * space has had a write for the quiet period uses every core, until the next write anywhere
 * lowers it again (IVF steps follow at once, HNSW from its next partition).
 */
final class SpaceRefresher {

  private static final System.Logger LOG = System.getLogger(SpaceRefresher.class.getName());

  private final SpaceRegistry spaces;
  private final WriterNotices notices;
  private final ExecutorService mergeExec;
  private final ForkJoinPool buildPool;
  private final int busyThreads;
  private final int quietThreads;
  private final long quietNanos;
  /** {@link System#nanoTime} of the newest write to any space. */
  private volatile long lastWriteNanos = System.nanoTime();
  /** True once the writer stops: queued seals and merges are skipped. */
  private final BooleanSupplier stopping;

  /**
   * @param mergeExec runs merges, one at a time for all spaces: an index build already uses the
   *     build pool's threads, so a second concurrent build would only share the same cores and
   *     double the memory builds hold. Spaces take turns; each queues at most one merge.
   * @param buildPool where merged segments are built (its parallelism caps a build's threads; this
   *     sets it)
   * @param busyThreads the build pool's parallelism while the writer takes writes
   * @param quietPeriod a space with no write for this long gets its quiet merge
   */
  SpaceRefresher(SpaceRegistry spaces, WriterNotices notices, ExecutorService mergeExec, ForkJoinPool buildPool,
      int busyThreads, Duration quietPeriod, BooleanSupplier stopping) {
    this.spaces = spaces;
    this.notices = notices;
    this.mergeExec = mergeExec;
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

  /** Seals and publishes on the lane's thread; checks for merges after a new version. */
  long sealNow(SpaceLane lane) throws IOException {
    long before = lane.store.version();
    long v = lane.store.seal();
    if (v != before) {
      announce(lane);
      startMerge(lane, MergeJob.Scope.TIERED);
    }
    return v;
  }

  /**
   * On the lane: seals what is buffered (the merge would seal it with its result anyway; sealed
   * first, it is merged too) and starts the quiet merge.
   */
  private void mergeQuiet(SpaceLane lane) {
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
    startMerge(lane, MergeJob.Scope.ALL);
  }

  /**
   * On the lane: seals what is buffered and merges each partition into one segment with the
   * space's index now, without waiting for the space to be quiet (a rebuild that has loaded
   * everything, or an operator's compact). The merge runs in the background; the space's
   * description says when it is indexed.
   */
  void compactNow(SpaceLane lane) {
    lane.bulkLoading = false;
    mergeQuiet(lane);
  }

  /**
   * Queues the quiet merge of every space that has had no write for the quiet period: what is
   * buffered is sealed and each partition merged into one indexed segment (nothing happens where
   * there is nothing to seal and every partition is one indexed segment already). Called
   * periodically.
   */
  void mergeQuietSpaces() {
    for (SpaceLane lane : spaces.all()) {
      if (lane.bulkLoading || !lane.quietFor(quietNanos) || !lane.quietCheckQueued.compareAndSet(false, true)) {
        continue;
      }
      try {
        lane.exec.execute(() -> {
          lane.quietCheckQueued.set(false);
          // A write may have come in since the check above.
          if (!lane.closed && !stopping.getAsBoolean() && lane.quietFor(quietNanos)) {
            mergeQuiet(lane);
          }
        });
      } catch (RejectedExecutionException e) {
        lane.quietCheckQueued.set(false);
      }
    }
  }

  /**
   * On the lane: picks a merge and hands its build to the merge executor, unless a merge of this
   * space is in flight (then a quiet merge is remembered, and a tiered one is checked anyway when
   * the running one is swapped in).
   */
  private void startMerge(SpaceLane lane, MergeJob.Scope scope) {
    if (lane.closed || stopping.getAsBoolean()) {
      return;
    }
    if (lane.merge != null) {
      lane.fullMergeDue |= scope == MergeJob.Scope.ALL;
      return;
    }
    MergeJob job = lane.store.pickMerge(scope);
    if (job == null) {
      return;
    }
    lane.merge = job;
    try {
      mergeExec.execute(() -> {
        build(job, scope);
        try {
          lane.exec.execute(() -> finishMerge(lane, job));
        } catch (RejectedExecutionException e) {
          // The lane is shut down: closing its store abandoned the job.
        }
      });
    } catch (RejectedExecutionException e) {
      lane.merge = null;
      lane.store.abandonMerge(job);
    }
  }

  /**
   * Builds {@code job} in the build pool, waiting for it (a build never throws), on every core
   * when it is a quiet merge and no space has had a write for the quiet period. The pool is shut
   * down after the merge executor, so it refuses nothing a running merge asks; should it, the
   * build runs here.
   */
  private void build(MergeJob job, MergeJob.Scope scope) {
    boolean writerQuiet = System.nanoTime() - lastWriteNanos >= quietNanos;
    buildPool.setParallelism(scope == MergeJob.Scope.ALL && writerQuiet ? quietThreads : busyThreads);
    ForkJoinTask<?> task;
    try {
      task = buildPool.submit(job::build);
    } catch (RejectedExecutionException e) {
      job.build();
      return;
    }
    task.join();
  }

  /** On the lane: swaps a built merge in and publishes, then checks for the next merge. */
  private void finishMerge(SpaceLane lane, MergeJob job) {
    lane.merge = null;
    if (lane.closed || stopping.getAsBoolean()) {
      lane.store.abandonMerge(job);
      return;
    }
    try {
      if (lane.store.finishMerge(job)) {
        announce(lane);
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "merging " + lane.db() + "/" + lane.name()
          + " failed; its segments stay as they were and the next seal tries again", e);
      return;
    }
    // Seals during the build may have made more segments to merge.
    MergeJob.Scope next = lane.fullMergeDue ? MergeJob.Scope.ALL : MergeJob.Scope.TIERED;
    lane.fullMergeDue = false;
    startMerge(lane, next);
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
