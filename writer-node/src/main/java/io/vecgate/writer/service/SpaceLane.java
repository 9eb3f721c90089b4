package io.vecgate.writer.service;

import io.vecgate.protocol.api.ApiException;
import io.vecgate.space.SpaceSchema;
import io.vecgate.writer.store.CompactionJob;
import io.vecgate.writer.store.SpaceStore;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One space's store and the single thread that runs everything on it: writes, seals, compaction
 * picks and swaps, descriptions. Tasks run in the order they were queued.
 */
final class SpaceLane {

  private static final System.Logger LOG = System.getLogger(SpaceLane.class.getName());

  final SpaceSchema schema;
  final SpaceStore store;
  final ExecutorService exec;
  /** A seal is queued and has not started yet (at most one is). */
  final AtomicBoolean sealQueued = new AtomicBoolean();
  /** Dropped or closed: queued tasks fail as "space not found". */
  volatile boolean closed;
  /** {@link System#nanoTime} of the newest applied write (or of the lane's creation). */
  volatile long lastWriteNanos = System.nanoTime();
  /**
   * A rebuild is loading the space: it is not sealed every refresh interval nor compacted when
   * quiet (seals come from a full buffer; the rebuild's compact ends the load), so a load does
   * not publish a version a second that nobody searches yet.
   */
  volatile boolean bulkLoading;
  /** A quiet-compaction check is queued and has not started yet (at most one is). */
  final AtomicBoolean quietCheckQueued = new AtomicBoolean();
  /** The compaction picked and not yet swapped in (lane's thread only). */
  CompactionJob compaction;
  /** A quiet compaction came due while {@link #compaction} was in flight: it is picked next (lane's thread only). */
  boolean fullCompactionDue;

  SpaceLane(SpaceSchema schema, SpaceStore store) {
    this.schema = schema;
    this.store = store;
    this.exec = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
        .name("writer-" + schema.db() + "-" + schema.name()).factory());
  }

  /** Records that a write was applied now: the space is not quiet. */
  void wrote() {
    lastWriteNanos = System.nanoTime();
  }

  /** Whether no write was applied for {@code quietNanos}. */
  boolean quietFor(long quietNanos) {
    return System.nanoTime() - lastWriteNanos >= quietNanos;
  }

  String db() {
    return schema.db();
  }

  String name() {
    return schema.name();
  }

  /** Runs {@code task} on the lane; fails with "space not found" once the lane is closed. */
  <T> CompletableFuture<T> run(Callable<T> task) {
    return run(exec, task, this);
  }

  /**
   * Runs {@code task} on {@code exec}, completing the future with its result or error. With a
   * {@code lane}, a task that finds it closed (or an executor that refuses) fails as "space not
   * found"; without, a refusal fails as "the writer is stopping".
   */
  static <T> CompletableFuture<T> run(ExecutorService exec, Callable<T> task, SpaceLane lane) {
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      exec.execute(() -> {
        if (lane != null && lane.closed) {
          f.completeExceptionally(spaceGone(lane.db(), lane.name()));
          return;
        }
        try {
          f.complete(task.call());
        } catch (Throwable t) {
          f.completeExceptionally(t);
        }
      });
    } catch (RejectedExecutionException e) {
      f.completeExceptionally(lane != null ? spaceGone(lane.db(), lane.name())
          : ApiException.unavailable("the writer is stopping"));
    }
    return f;
  }

  /** Shuts {@code exec} down and waits (up to 60 s, logged beyond) for what it runs. */
  static void shutdown(ExecutorService exec) {
    exec.shutdown();
    try {
      if (!exec.awaitTermination(60, TimeUnit.SECONDS)) {
        LOG.log(System.Logger.Level.WARNING, "writer work still running after 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static ApiException spaceGone(String db, String space) {
    return ApiException.notFound("space_not_found_exception", "space '" + space + "' not found in db '" + db + "'");
  }
}
