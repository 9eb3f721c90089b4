package io.vecgate.writer.rebuild;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Locale;

/**
 * <b>Test only.</b> Stops every rebuild for good at one point ({@code <phase>[:before|:after]},
 * e.g. {@code switch:after}), logging {@link #MARKER} so that a crash test knows where the writer
 * is and kills it there with SIGKILL. The launcher arms it from the system property
 * {@value #PROPERTY}, which no deployment sets; without it rebuilds use {@link PhaseHook#NONE}.
 */
public final class PhasePause implements PhaseHook {

  /** The system property the launcher reads (a writer started without it never pauses). */
  public static final String PROPERTY = "vecgate.test.pauseAt";
  /** Begins the log line written when a rebuild stops here; the rest is {@code <phase>:<moment> job <id>}. */
  public static final String MARKER = "TEST PAUSE (" + PROPERTY + ") at ";

  private static final System.Logger LOG = System.getLogger(PhasePause.class.getName());

  private final Phase phase;
  private final Moment moment;

  public PhasePause(Phase phase, Moment moment) {
    this.phase = phase;
    this.moment = moment;
  }

  /**
   * The pause a property value names, or {@link PhaseHook#NONE} for null or blank.
   *
   * @throws IllegalArgumentException naming the value and what is expected
   */
  public static PhaseHook parse(String value) {
    if (value == null || value.isBlank()) {
      return NONE;
    }
    String[] parts = value.trim().toLowerCase(Locale.ROOT).split(":", -1);
    try {
      if (parts.length > 2) {
        throw new IllegalArgumentException("too many parts");
      }
      Phase p = Phase.valueOf(parts[0].toUpperCase(Locale.ROOT));
      Moment m = parts.length == 2 ? Moment.valueOf(parts[1].toUpperCase(Locale.ROOT)) : Moment.AFTER;
      PhasePause pause = new PhasePause(p, m);
      LOG.log(System.Logger.Level.WARNING, PROPERTY + "=" + value + " is set: every rebuild stops for good at " + pause
          + ". This is a crash-test setting, never one for a deployment");
      return pause;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(PROPERTY + ": expected <phase>[:before|:after] with a phase of precheck, "
          + "mark_building, create, load, build, warm, postcheck, switch, cleanup; got '" + value + "'", e);
    }
  }

  @Override
  public Future<Void> at(JobStatus job, Phase p, Moment m) {
    if (p != phase || m != moment) {
      return Future.succeededFuture();
    }
    LOG.log(System.Logger.Level.WARNING, MARKER + phase.apiName() + ":" + moment.apiName() + " job " + job.id()
        + "; the rebuild waits here until the writer is killed");
    return Promise.<Void>promise().future();
  }

  @Override
  public String toString() {
    return phase.apiName() + ":" + moment.apiName();
  }
}
