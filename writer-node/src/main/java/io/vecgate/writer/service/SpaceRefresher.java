package io.vecgate.writer.service;

import io.vecgate.common.api.ApiException;
import io.vecgate.writer.store.MergeJob;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/**
 * Seals, publishes and merges spaces: seals run on a space's lane (queued by the refresh timer,
 * by a full buffer, or run at once for {@code _refresh}); after a new version it is announced and
 * a tiered merge is picked; a space idle for {@link #IDLE_TICKS_BEFORE_FULL_MERGE} refreshes gets a
 * full merge. A merge is picked and swapped in on the lane, but its segments are built on the
 * merge executor, so writes to the space go on while it builds (see {@link MergeJob}); a space
 * has at most one merge in flight.
 */
final class SpaceRefresher {

  private static final System.Logger LOG = System.getLogger(SpaceRefresher.class.getName());

  /**
   * Refreshes a space has to stay idle before its partitions are merged into one segment each:
   * searches then scan one index per partition instead of a tier of small ones, as after an
   * Elasticsearch force-merge.
   */
  static final int IDLE_TICKS_BEFORE_FULL_MERGE = 5;

  private final SpaceRegistry spaces;
  private final WriterNotices notices;
  private final ExecutorService mergeExec;
  /** True once the writer stops: queued seals and merges are skipped. */
  private final BooleanSupplier stopping;

  /**
   * @param mergeExec builds merged segments, one at a time for all spaces: an index build already
   *     uses every core (k-means, encoding and HNSW insertion run in parallel), so a second
   *     concurrent build would only share the same cores and double the memory builds hold. Spaces
   *     take turns; each queues at most one merge.
   */
  SpaceRefresher(SpaceRegistry spaces, WriterNotices notices, ExecutorService mergeExec, BooleanSupplier stopping) {
    this.spaces = spaces;
    this.notices = notices;
    this.mergeExec = mergeExec;
    this.stopping = stopping;
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
    if (v == before && ++lane.idleTicks == IDLE_TICKS_BEFORE_FULL_MERGE) {
      startMerge(lane, MergeJob.Scope.ALL);
    }
    if (v != before) {
      lane.idleTicks = 0;
      announce(lane);
      startMerge(lane, MergeJob.Scope.TIERED);
    }
    return v;
  }

  /**
   * On the lane: picks a merge and hands its build to the merge executor, unless a merge of this
   * space is in flight (then a full merge is remembered, and a tiered one is checked anyway when
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
        job.build();
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
