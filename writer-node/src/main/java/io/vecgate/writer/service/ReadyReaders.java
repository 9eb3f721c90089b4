package io.vecgate.writer.service;

import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.writer.SwitchGuard;
import io.vecgate.writer.catalog.Catalog;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The check before a manual alias switch or rollback: every live reader that serves the target's
 * partitions has loaded and warmed its newest published version. Otherwise the change is refused
 * with 409 naming those readers, unless the guard waits for them ({@code wait}) or forces it
 * ({@code force}, which switches at once and logs a WARNING naming them). A target with no
 * published version yet has nothing to load and passes.
 */
final class ReadyReaders {

  private static final System.Logger LOG = System.getLogger(ReadyReaders.class.getName());
  /** How often a waiting switch looks at the readers' states again (they report every second and on each change). */
  static final long POLL_MILLIS = 200;

  private volatile ServingReaders readers = ServingReaders.NONE;

  void readers(ServingReaders r) {
    readers = r;
  }

  /**
   * Completes when the change may be made; fails with a 409 {@link ApiException} when the readers
   * did not serve the target within the guard's wait (and it does not force).
   *
   * @param what the change, as the refusal and the warning name it
   */
  CompletableFuture<Void> await(String what, Catalog.SpaceEntry target, SwitchGuard guard) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    long deadline = System.nanoTime() + guard.waitFor().toNanos();
    poll(what, target, guard, deadline, done);
    return done;
  }

  private void poll(String what, Catalog.SpaceEntry target, SwitchGuard guard, long deadline,
                    CompletableFuture<Void> done) {
    List<String> missing;
    try {
      missing = target.version() == 0 ? List.of() : readers.notServing(target.schema().db(), target.schema().name(),
          target.version(), target.schema().partitionNum());
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
      return;
    }
    if (missing.isEmpty()) {
      done.complete(null);
    } else if (guard.force()) {
      LOG.log(System.Logger.Level.WARNING, what + " forced (force=true) although readers " + missing
          + " have not loaded and warmed version " + target.version() + " of it: their searches of the alias may "
          + "fail or be slow until they do");
      done.complete(null);
    } else if (System.nanoTime() >= deadline) {
      done.completeExceptionally(ApiException.conflict("readers_not_ready_exception", what + " refused: readers "
          + missing + " have not loaded and warmed " + target.schema().db() + "/" + target.schema().name() + " version "
          + target.version() + (guard.waitFor().isZero() ? "" : " within " + guard.waitFor().toMillis() + " ms")
          + "; wait for them (?wait=30s, admin --wait) or switch anyway (?force=true, admin --force)"));
    } else {
      Executor later = CompletableFuture.delayedExecutor(POLL_MILLIS, TimeUnit.MILLISECONDS);
      later.execute(() -> poll(what, target, guard, deadline, done));
    }
  }
}
