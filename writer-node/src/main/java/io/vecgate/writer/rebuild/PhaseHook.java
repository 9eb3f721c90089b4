package io.vecgate.writer.rebuild;

import io.vertx.core.Future;
import java.util.Locale;

/**
 * Called by a rebuild at the two edges of every phase: {@link Moment#BEFORE} once the phase is
 * durable in the job file and before its side effects start, {@link Moment#AFTER} once they are
 * done and before the next phase is recorded. For {@link Phase#SWITCH}, before and after the
 * alias store's compare-and-set. Production writers use {@link #NONE}; the crash tests use
 * {@link PhasePause} to stop a writer at an exact point and kill it there.
 */
@FunctionalInterface
public interface PhaseHook {

  /** Which edge of a phase. */
  enum Moment {
    BEFORE, AFTER;

    public String apiName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Does nothing. */
  PhaseHook NONE = (job, phase, moment) -> Future.succeededFuture();

  /** The job goes on when the future completes (a failure fails the job as the phase's own would). */
  Future<Void> at(JobStatus job, Phase phase, Moment moment);
}
