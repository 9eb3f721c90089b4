package io.vecgate.writer.rebuild;

import io.vecgate.protocol.api.ApiException;
import io.vecgate.writer.rebuild.source.DocumentSource;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * One full rebuild of the space behind an alias, the seven steps of the design: check the
 * source's count against the serving version; record the building target; create the new
 * versioned space ({@code prefix_vN}, dropping a leftover of that name); stream the source into
 * it; build the index and publish; wait until every live reader has loaded and warmed it; check
 * its count; switch the alias atomically (only from the target it served when the job started)
 * and clear the building target; drop versions older than those kept for rollback.
 *
 * <p>Durability: each phase is written to the job file (atomically, fsynced) <em>before</em> its
 * side effects start, so that after a crash the file names the furthest phase the job may have
 * reached; {@link RebuildRecovery} then decides from the alias store what happened.
 *
 * <p>Until the switch nothing users see changes: a failed check, an error or a cancel drops the
 * new space, clears the building target and leaves the alias as it was (decided from the alias
 * store by {@link RebuildRecovery}, so that a switch whose answer was lost is never undone).
 */
public final class RebuildJob {

  /** What the job reports besides its status: alarms and changes worth persisting. */
  public interface Events {
    void alarm(JobStatus job, String check, String message);

    /**
     * The job's status changed; the future completes once the change is durable (a phase's side
     * effects wait for it, and a failure fails the job before them).
     */
    Future<Void> changed(JobStatus job);
  }

  /**
   * Settings of every rebuild of a writer.
   *
   * @param batchSize rows read from the source and loaded at a time
   * @param readerTimeout how long the index build, and then the readers' load and warm-up, may take
   * @param keepPrevious versions of the alias kept besides the new one, for rollback
   * @param hook called at the edges of every phase ({@link PhaseHook#NONE} but in crash tests)
   */
  public record Settings(int batchSize, Duration readerTimeout, int keepPrevious, PhaseHook hook) {
    public Settings {
      if (batchSize < 1 || batchSize > 100_000) {
        throw new IllegalArgumentException("rebuild batch: expected 1..100000 rows, got " + batchSize);
      }
      if (readerTimeout == null || readerTimeout.toMillis() < 1) {
        throw new IllegalArgumentException("rebuild timeout: expected at least 1 ms, got " + readerTimeout);
      }
      if (keepPrevious < 0) {
        throw new IllegalArgumentException("rebuild keep: expected >= 0 versions, got " + keepPrevious);
      }
      if (hook == null) {
        hook = PhaseHook.NONE;
      }
    }

    public Settings(int batchSize, Duration readerTimeout, int keepPrevious) {
      this(batchSize, readerTimeout, keepPrevious, PhaseHook.NONE);
    }

    public static Settings defaults() {
      return new Settings(1000, Duration.ofMinutes(30), 1);
    }

    /** These settings with {@code hook} at the phases' edges. */
    public Settings withHook(PhaseHook h) {
      return new Settings(batchSize, readerTimeout, keepPrevious, h);
    }
  }

  private final RebuildRequest request;
  private final JobStatus status;
  private final DocumentSource source;
  private final RebuildTarget target;
  private final AliasTargets aliases;
  private final ReaderFleet fleet;
  private final Settings settings;
  private final Events events;
  private final RebuildRecovery recovery;
  private volatile boolean cancelRequested;

  public RebuildJob(RebuildRequest request, JobStatus status, DocumentSource source, RebuildTarget target,
                    AliasTargets aliases, ReaderFleet fleet, Settings settings, Events events) {
    this.request = request;
    this.status = status;
    this.source = source;
    this.target = target;
    this.aliases = aliases;
    this.fleet = fleet;
    this.settings = settings;
    this.events = events;
    this.recovery = new RebuildRecovery(target, aliases, settings.keepPrevious());
  }

  public JobStatus status() {
    return status;
  }

  /**
   * Asks the job to stop; it stops at its next step, cleaning up, and ends {@code cancelled}.
   *
   * @throws ApiException 409 when the job has ended or is past the point of no return (the switch)
   */
  public void cancel() {
    synchronized (status) {
      if (status.state().ended()) {
        throw ApiException.conflict("job_ended_exception", "job " + status.id() + " has already "
            + status.state().apiName());
      }
      if (status.phase().compareTo(Phase.SWITCH) >= 0) {
        throw ApiException.conflict("job_switching_exception", "job " + status.id() + " is in phase "
            + status.phase().apiName() + ", past the alias switch; it can no longer be cancelled (roll back instead)");
      }
      cancelRequested = true;
    }
  }

  /** Runs the job to its end; the Future always succeeds, the outcome is in {@link #status()}. */
  public Future<JobStatus> run() {
    String db = request.db();
    return aliases.serving(db, request.alias())
        .compose(serving -> {
          status.target(nextName(serving), serving);
          // The PRECHECK record names the new space: a crash from here on knows what to look for.
          return step(Phase.PRECHECK, () -> precheck(serving))
              .compose(v -> step(Phase.MARK_BUILDING, () -> aliases.markBuilding(db, request.alias(), status.space())))
              .compose(v -> step(Phase.CREATE, () -> target.drop(db, status.space())
                  .compose(x -> target.create(db, request.spaceBody(status.space()))).mapEmpty()))
              .compose(v -> step(Phase.LOAD, this::load))
              .compose(v -> step(Phase.BUILD, () -> target.publish(db, status.space(), () -> cancelRequested)
                  .onSuccess(status::published).mapEmpty()))
              .compose(v -> step(Phase.WARM, () -> fleet.awaitServing(db, status.space(), status.version(),
                  request.warmupQueries(), settings.readerTimeout()).onSuccess(status::warmed).mapEmpty()))
              .compose(v -> step(Phase.POSTCHECK, () -> postcheck(serving)))
              .compose(v -> switchAlias(serving));
        })
        .compose(v -> record(Phase.CLEANUP).compose(x -> edges(Phase.CLEANUP, () -> recovery.cleanup(db, status.space())
            .<Void>mapEmpty().recover(e -> {
              // The alias has switched: the job succeeded; older versions left behind only cost disk.
              status.alarm("cleanup", "older versions were not dropped: " + describe(e));
              events.alarm(status, "cleanup", describe(e));
              return Future.succeededFuture();
            }))))
        .compose(v -> {
          status.end(JobState.SUCCEEDED, null);
          return events.changed(status).map(x -> status).otherwise(status);
        })
        .recover(this::abandon)
        .eventually(() -> {
          source.close();
          return Future.succeededFuture();
        });
  }

  /** Enters {@code phase}, unless a cancel came first, makes it durable, then runs it between the hook's edges. */
  private Future<Void> step(Phase phase, Supplier<Future<Void>> body) {
    synchronized (status) {
      if (cancelRequested) {
        return Future.failedFuture(new CancellationException("cancelled before phase " + phase.apiName()));
      }
      status.enter(phase);
    }
    return durable(phase).compose(v -> edges(phase, body));
  }

  /** Enters {@code phase} (past the point of no return: no cancel check) and makes it durable. */
  private Future<Void> record(Phase phase) {
    status.enter(phase);
    return durable(phase);
  }

  /** The job file holds the current phase: its side effects may start. */
  private Future<Void> durable(Phase phase) {
    return events.changed(status).recover(e -> Future.failedFuture(new IllegalStateException("phase " + phase.apiName()
        + " could not be recorded in the job file, so it was not started: " + describe(e), e)));
  }

  /** Runs a phase's side effects between the hook's before and after. */
  private Future<Void> edges(Phase phase, Supplier<Future<Void>> body) {
    return settings.hook().at(status, phase, PhaseHook.Moment.BEFORE)
        .compose(v -> body.get())
        .compose(v -> settings.hook().at(status, phase, PhaseHook.Moment.AFTER));
  }

  private Future<Void> precheck(String serving) {
    Future<Long> servingCount = serving == null ? Future.succeededFuture(0L) : target.count(request.db(), serving);
    return Future.all(source.count(), servingCount).compose(all -> {
      long src = all.resultAt(0);
      long old = all.resultAt(1);
      status.counts(src, old);
      return checkCount("source", src, serving, old);
    });
  }

  /** The count checks shared by the pre- and post-check: the floor, and the drop against the serving version. */
  private Future<Void> checkCount(String what, long n, String serving, long old) {
    if (n < request.minCount()) {
      return alarm("min_count", String.format(Locale.ROOT, "the %s holds %d documents, below checks.min_count %d",
          what, n, request.minCount()));
    }
    if (old > 0) {
      double drop = 100.0 * (old - n) / old;
      if (drop > request.maxDropPercent()) {
        return alarm("max_drop_percent", String.format(Locale.ROOT,
            "the %s holds %d documents, %.1f%% fewer than the %d of the serving space %s; checks.max_drop_percent is %s",
            what, n, drop, old, serving, request.maxDropPercent()));
      }
    }
    return Future.succeededFuture();
  }

  private Future<Void> alarm(String check, String message) {
    status.alarm(check, message);
    events.alarm(status, check, message);
    return Future.failedFuture(new CheckFailed(check + ": " + message));
  }

  private Future<Void> load() {
    long[] rows = {0};
    return source.stream(settings.batchSize(), batch -> {
      if (cancelRequested) {
        return Future.failedFuture(new CancellationException("cancelled while loading, after " + rows[0] + " rows"));
      }
      return target.load(request.db(), status.space(), batch).onSuccess(v -> {
        rows[0] += batch.size();
        status.loaded(rows[0]);
      });
    }).onSuccess(status::loaded).mapEmpty();
  }

  private Future<Void> postcheck(String serving) {
    return target.count(request.db(), status.space()).compose(n -> {
      status.newCount(n);
      long delivered = status.rows();
      if (n < delivered) {
        return alarm("shortfall", String.format(Locale.ROOT,
            "the new space %s holds %d documents but %d were loaded (duplicate ids in the source?)", status.space(), n,
            delivered));
      }
      long old = status.servingCount();
      return checkCount("new space " + status.space(), n, serving, old);
    });
  }

  /**
   * The switch: recorded durably first (a crash after the compare-and-set then finds SWITCH in the
   * file, and the store tells whether it happened); the store clears key2 in the same step.
   */
  private Future<Void> switchAlias(String serving) {
    synchronized (status) {
      if (cancelRequested) {
        return Future.failedFuture(new CancellationException("cancelled before the alias switch"));
      }
      status.enter(Phase.SWITCH);
    }
    return durable(Phase.SWITCH).compose(v -> edges(Phase.SWITCH, () ->
            aliases.switchFrom(request.db(), request.alias(), serving, status.space())))
        .compose(v -> aliases.clearBuilding(request.db(), request.alias()));
  }

  /** Undoes what the job did before the switch (as the alias store tells it) and ends it failed or cancelled. */
  private Future<JobStatus> abandon(Throwable cause) {
    boolean cancelled = cause instanceof CancellationException;
    String why = cancelled ? cause.getMessage() : describe(cause);
    if (status.phase() == Phase.PRECHECK) {
      // Nothing has been changed yet (the pre-check only reads): no need to ask the store.
      status.end(cancelled ? JobState.CANCELLED : JobState.FAILED, why);
      return events.changed(status).transform(saved -> Future.succeededFuture(status));
    }
    return recovery.settle(status).transform(ar -> {
      if (ar.failed()) {
        status.end(cancelled ? JobState.CANCELLED : JobState.FAILED, why + "; clean-up failed too: "
            + describe(ar.cause()) + " (" + status.space() + " and key2 may be left; gc drops what no alias needs)");
      } else if (ar.result().decision().outcome() == RebuildRecovery.Outcome.SWITCHED) {
        // The switch happened though its answer did not come back (or a step after it failed):
        // the job did its work; the failure is kept as an alarm.
        status.alarm("after_switch", why + "; " + ar.result().done());
        events.alarm(status, "after_switch", why);
        status.end(JobState.SUCCEEDED, null);
      } else {
        status.end(cancelled ? JobState.CANCELLED : JobState.FAILED, why);
      }
      return events.changed(status).transform(saved -> Future.succeededFuture(status));
    });
  }

  private static String describe(Throwable e) {
    return RebuildRecovery.describe(e);
  }

  /**
   * The next versioned name: one past the serving version ({@code prefix_v1} when the alias
   * serves none of this prefix). A space of that name that exists is a leftover (of a failed job,
   * or a version rolled back from) and is dropped at {@link Phase#CREATE}.
   */
  private String nextName(String serving) {
    return request.prefix() + "_v" + (serving == null ? 1 : RebuildVersions.number(request.prefix(), serving) + 1);
  }

  /** A count check that stopped the job (an alarm was raised). */
  static final class CheckFailed extends RuntimeException {
    CheckFailed(String message) {
      super(message);
    }
  }
}
