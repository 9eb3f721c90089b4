package io.vecgate.writer.rebuild;

import io.vecgate.protocol.api.ApiException;
import io.vecgate.writer.rebuild.source.DocumentSource;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One full rebuild of the space behind an alias, the seven steps of the design: check the
 * source's count against the serving version; record the building target; create the new
 * versioned space ({@code prefix_vN}, dropping a leftover of that name); stream the source into
 * it; build the index and publish; wait until every live reader has loaded and warmed it; check
 * its count; switch the alias atomically (only from the target it served when the job started)
 * and clear the building target; drop versions older than those kept for rollback.
 *
 * <p>Until the switch nothing users see changes: a failed check, an error or a cancel drops the
 * new space, clears the building target and leaves the alias as it was.
 */
public final class RebuildJob {

  /** What the job reports besides its status: alarms and changes worth persisting. */
  public interface Events {
    void alarm(JobStatus job, String check, String message);

    void changed(JobStatus job);
  }

  /**
   * Settings of every rebuild of a writer.
   *
   * @param batchSize rows read from the source and loaded at a time
   * @param readerTimeout how long the index build, and then the readers' load and warm-up, may take
   * @param keepPrevious versions of the alias kept besides the new one, for rollback
   */
  public record Settings(int batchSize, Duration readerTimeout, int keepPrevious) {
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
    }

    public static Settings defaults() {
      return new Settings(1000, Duration.ofMinutes(30), 1);
    }
  }

  private static final Pattern VERSIONED = Pattern.compile("(.+)_v(\\d{1,9})");

  private final RebuildRequest request;
  private final JobStatus status;
  private final DocumentSource source;
  private final RebuildTarget target;
  private final AliasTargets aliases;
  private final ReaderFleet fleet;
  private final Settings settings;
  private final Events events;
  private volatile boolean cancelRequested;
  private boolean created;
  private boolean marked;
  private boolean switched;

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
        .map(serving -> {
          status.target(nextName(serving), serving);
          events.changed(status);
          return serving;
        })
        .compose(serving -> precheck(serving)
            .compose(v -> step(Phase.MARK_BUILDING, () -> aliases.markBuilding(db, request.alias(), status.space())
                .onSuccess(x -> marked = true)))
            .compose(v -> step(Phase.CREATE, () -> target.drop(db, status.space())
                .compose(x -> target.create(db, request.spaceBody(status.space())))
                .onSuccess(x -> created = true).mapEmpty()))
            .compose(v -> step(Phase.LOAD, this::load))
            .compose(v -> step(Phase.BUILD, () -> target.publish(db, status.space(), () -> cancelRequested).onSuccess(status::published)
                .mapEmpty()))
            .compose(v -> step(Phase.WARM, () -> fleet.awaitServing(db, status.space(), status.version(), request.warmupQueries(),
                settings.readerTimeout()).onSuccess(status::warmed).mapEmpty()))
            .compose(v -> step(Phase.POSTCHECK, () -> postcheck(serving)))
            .compose(v -> switchAlias(serving)))
        .compose(v -> cleanup().recover(e -> {
          // The alias has switched: the job succeeded; older versions left behind only cost disk.
          status.alarm("cleanup", "older versions were not dropped: " + describe(e));
          events.alarm(status, "cleanup", describe(e));
          return Future.succeededFuture();
        }))
        .map(v -> {
          status.end(JobState.SUCCEEDED, null);
          events.changed(status);
          return status;
        })
        .recover(this::abandon)
        .eventually(() -> {
          source.close();
          return Future.succeededFuture();
        });
  }

  /** Enters {@code phase} and runs it, unless a cancel came first. */
  private Future<Void> step(Phase phase, java.util.function.Supplier<Future<Void>> body) {
    if (cancelRequested) {
      return Future.failedFuture(new CancellationException("cancelled before phase " + phase.apiName()));
    }
    status.enter(phase);
    events.changed(status);
    return body.get();
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

  private Future<Void> switchAlias(String serving) {
    synchronized (status) {
      if (cancelRequested) {
        return Future.failedFuture(new CancellationException("cancelled before the alias switch"));
      }
      status.enter(Phase.SWITCH);
    }
    events.changed(status);
    return aliases.switchFrom(request.db(), request.alias(), serving, status.space())
        .onSuccess(v -> switched = true)
        .compose(v -> aliases.clearBuilding(request.db(), request.alias()))
        .onSuccess(v -> marked = false);
  }

  /** Drops this prefix's versions older than the serving one and the {@code keepPrevious} before it. */
  private Future<Void> cleanup() {
    status.enter(Phase.CLEANUP);
    events.changed(status);
    int newest = versionNumber(status.space());
    return target.spaces(request.db()).compose(spaces -> {
      List<String> older = new ArrayList<>();
      for (String s : spaces) {
        int n = versionNumber(s);
        if (n > 0 && n < newest) {
          older.add(s);
        }
      }
      older.sort(Comparator.comparingInt(this::versionNumber).reversed());
      List<Future<Void>> drops = new ArrayList<>();
      for (String s : older.subList(Math.min(settings.keepPrevious(), older.size()), older.size())) {
        drops.add(target.drop(request.db(), s));
      }
      return Future.all(drops).mapEmpty();
    });
  }

  /** Undoes what the job did before the switch and ends it failed or cancelled. */
  private Future<JobStatus> abandon(Throwable cause) {
    boolean cancelled = cause instanceof CancellationException;
    Future<Void> undo = Future.succeededFuture();
    if (created && !switched) {
      undo = undo.compose(v -> target.drop(request.db(), status.space()));
    }
    if (marked) {
      undo = undo.compose(v -> aliases.clearBuilding(request.db(), request.alias()));
    }
    String why = cancelled ? cause.getMessage() : describe(cause);
    return undo.transform(ar -> {
      String extra = ar.failed() ? "; clean-up failed too: " + describe(ar.cause()) : "";
      status.end(cancelled ? JobState.CANCELLED : JobState.FAILED, why + extra);
      events.changed(status);
      return Future.succeededFuture(status);
    });
  }

  private static String describe(Throwable e) {
    if (e instanceof ApiException api) {
      return api.reason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /**
   * The next versioned name: one past the serving version ({@code prefix_v1} when the alias
   * serves none of this prefix). A space of that name that exists is a leftover (of a failed job,
   * or a version rolled back from) and is dropped at {@link Phase#CREATE}.
   */
  private String nextName(String serving) {
    return request.prefix() + "_v" + (serving == null ? 1 : versionNumber(serving) + 1);
  }

  /** N of {@code prefix_vN}, or 0 for a name of another prefix. */
  private int versionNumber(String space) {
    Matcher m = VERSIONED.matcher(space);
    return m.matches() && m.group(1).equals(request.prefix()) ? Integer.parseInt(m.group(2)) : 0;
  }

  /** A count check that stopped the job (an alarm was raised). */
  static final class CheckFailed extends RuntimeException {
    CheckFailed(String message) {
      super(message);
    }
  }
}
