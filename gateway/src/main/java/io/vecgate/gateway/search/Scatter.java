package io.vecgate.gateway.search;

import io.vecgate.gateway.readers.ReaderCallException;
import io.vecgate.gateway.readers.ReaderDirectory.Assignment;
import io.vecgate.gateway.readers.ReaderDirectory.Plan;
import io.vecgate.gateway.readers.ReaderDirectory;
import io.vecgate.gateway.readers.ReaderMetrics;
import io.vecgate.gateway.readers.RetryLaterException;
import io.vecgate.protocol.api.ApiException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Sends the calls of a plan to their readers and gathers one answer per call, all of one
 * version. A call that fails on the way (a lost connection, a reader that is stopping, has let go
 * of the version, or failed on its own) is retried once, within the request's deadline: its
 * partitions go to other readers holding the same version, so the answers that did arrive are
 * kept; when no other reader holds that version, the whole request is planned again without the
 * readers that failed (perhaps on another version, and then every answer is of that one). Calls
 * are idempotent (searches and gets change nothing), so a retry is always safe.
 *
 * <p>Failures come back as: {@link RetryLaterException} (429 or 503 with {@code Retry-After}) when
 * no reader could take the request or the retry failed too; a 504 {@link ApiException} when the
 * deadline passed; a 400 when a reader calls the request invalid.
 */
final class Scatter {

  /** The answers, one per call, and the version they are all of. */
  record Gathered<T>(long version, List<T> answers) {}

  /** Sends one call of a plan: {@code a}'s partitions of {@code version}, answered within {@code timeoutMillis}. */
  @FunctionalInterface
  interface Call<T> {
    Future<T> send(Assignment a, long version, long timeoutMillis);
  }

  private final ReaderDirectory readers;
  private final ReaderMetrics metrics;

  Scatter(ReaderDirectory readers, ReaderMetrics metrics) {
    this.readers = readers;
    this.metrics = metrics;
  }

  /**
   * Plans {@code db/space} over its {@code partitionCount} partitions, sends the calls, retries a
   * failed one once.
   *
   * @param deadlineNanos ({@link System#nanoTime()} scale) after which nothing is sent or retried
   */
  <T> Future<Gathered<T>> run(String db, String space, int partitionCount, String clientType, long deadlineNanos,
                              Call<T> call) {
    Plan plan;
    try {
      plan = readers.plan(db, space, partitionCount, Set.of(), clientType);
    } catch (RetryLaterException e) {
      return Future.failedFuture(e);
    }
    List<Future<T>> first = send(plan, call, deadlineNanos);
    if (first == null) {
      return Future.failedFuture(timedOut(deadlineNanos, null));
    }
    return Future.join(first).transform(x -> {
      Failures f = Failures.of(plan, first);
      if (f.failed.isEmpty()) {
        return Future.succeededFuture(new Gathered<>(plan.version(), results(first)));
      }
      if (f.fatal != null) {
        return Future.failedFuture(f.fatal);
      }
      if (System.nanoTime() >= deadlineNanos) {
        return Future.failedFuture(timedOut(deadlineNanos, f.summary()));
      }
      return retry(db, space, partitionCount, clientType, deadlineNanos, call, plan, first, f);
    });
  }

  /** The retry: the failed partitions on other readers of the same version, else everything again. */
  private <T> Future<Gathered<T>> retry(String db, String space, int partitionCount, String clientType, long deadlineNanos,
                                        Call<T> call, Plan plan, List<Future<T>> first, Failures f) {
    Plan again;
    boolean partial;
    try {
      again = readers.replan(db, space, plan.version(), List.copyOf(f.partitions), f.nodes, clientType);
      partial = again != null;
      if (again == null) {
        again = readers.plan(db, space, partitionCount, f.nodes, clientType);
      }
    } catch (RetryLaterException e) {
      metrics.retried(false);
      return Future.failedFuture(e);
    }
    Plan retryPlan = again;
    List<Future<T>> second = send(retryPlan, call, deadlineNanos);
    if (second == null) {
      metrics.retried(false);
      return Future.failedFuture(timedOut(deadlineNanos, f.summary()));
    }
    return Future.join(second).transform(x -> {
      Failures g = Failures.of(retryPlan, second);
      metrics.retried(g.failed.isEmpty());
      if (!g.failed.isEmpty()) {
        if (g.fatal != null) {
          return Future.failedFuture(g.fatal);
        }
        if (g.timedOut) {
          return Future.failedFuture(timedOut(deadlineNanos, f.summary() + "; then " + g.summary()));
        }
        return Future.failedFuture(RetryLaterException.unavailable("the readers failed the request, and its retry: "
            + f.summary() + "; then " + g.summary(), readers.routing().retryAfterSeconds()));
      }
      if (!partial) {
        return Future.succeededFuture(new Gathered<>(retryPlan.version(), results(second)));
      }
      List<T> answers = new ArrayList<>();
      for (Future<T> r : first) {
        if (r.succeeded()) {
          answers.add(r.result());
        }
      }
      answers.addAll(results(second));
      return Future.succeededFuture(new Gathered<>(plan.version(), answers));
    });
  }

  /** Sends every call of {@code plan}; null (and the plan given up) when the deadline has passed. */
  private static <T> List<Future<T>> send(Plan plan, Call<T> call, long deadlineNanos) {
    long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    if (left <= 0) {
      plan.abandon();
      return null;
    }
    List<Future<T>> out = new ArrayList<>(plan.assignments().size());
    for (Assignment a : plan.assignments()) {
      out.add(call.send(a, plan.version(), left));
    }
    return out;
  }

  private static <T> List<T> results(List<Future<T>> calls) {
    List<T> out = new ArrayList<>(calls.size());
    for (Future<T> f : calls) {
      out.add(f.result());
    }
    return out;
  }

  private ApiException timedOut(long deadlineNanos, String what) {
    return new ApiException(504, "timeout_exception", "the request did not finish within search-timeout = "
        + readers.routing().searchTimeout().toMillis() + " ms" + (what == null ? "" : ": " + what));
  }

  /** What failed in one round of calls. */
  private static final class Failures {
    final List<String> failed = new ArrayList<>();
    final Set<Integer> partitions = new TreeSet<>();
    final Set<String> nodes = new LinkedHashSet<>();
    /** A failure no retry can help (a request the reader calls invalid, or one of ours), as the HTTP error. */
    Throwable fatal;
    boolean timedOut;

    static <T> Failures of(Plan plan, List<Future<T>> calls) {
      Failures f = new Failures();
      for (int i = 0; i < calls.size(); i++) {
        Future<T> c = calls.get(i);
        if (c.succeeded()) {
          continue;
        }
        Assignment a = plan.assignments().get(i);
        Throwable e = c.cause();
        f.failed.add(e.getMessage());
        f.nodes.add(a.nodeId());
        f.partitions.addAll(a.partitions());
        if (e instanceof ReaderCallException r) {
          if (r.kind() == ReaderCallException.Kind.TIMEOUT) {
            f.timedOut = true;
          } else if (!r.retriable() && f.fatal == null) {
            f.fatal = ApiException.badRequest(r.getMessage());
          }
        } else if (f.fatal == null) {
          f.fatal = e;
        }
      }
      return f;
    }

    String summary() {
      return String.join("; ", failed);
    }
  }
}
