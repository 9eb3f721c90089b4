package io.vecgate.writer.rebuild;

import io.vecgate.files.JsonFileFormat;
import io.vecgate.protocol.api.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The writer's rebuild jobs: starts them (one running job per alias), finds, lists and cancels
 * them, and keeps each job's status in {@code {data}/jobs/{id}.json}, written atomically and
 * fsynced before the job goes on (a phase is durable before its side effects start). A job found
 * running when the writer starts did not survive a stop: it is not resumed but settled by
 * {@link RebuildRecovery} from what the alias store says (the switch happened: it is finished;
 * it did not: its half-built space is dropped and key2 cleared), with an {@code interrupted}
 * alarm saying what was found and done. While the store cannot be read such a job stays
 * {@code running} (nothing is dropped on the job file's word alone) and is tried again every few
 * seconds; its alias takes no new rebuild meanwhile. A job file that fails its check is logged
 * and skipped, not refused: it is history, and no data depends on it.
 */
public final class RebuildJobs {

  /** Makes the job of a request; the source is opened here, so a bad source spec fails the start. */
  @FunctionalInterface
  public interface Factory {
    RebuildJob create(RebuildRequest request, JobStatus status, RebuildJob.Events events);
  }

  private static final Logger LOG = Logger.getLogger(RebuildJobs.class.getName());
  /** Ended jobs kept, newest first; older ones are forgotten (and their files deleted). */
  static final int KEEP_ENDED = 100;
  /** How often a job found running at start is tried again while the alias store cannot be read. */
  static final long SETTLE_RETRY_MILLIS = 3_000;

  private final Vertx vertx;
  private final Path dir;
  private final Factory factory;
  private final RebuildJob.Events alarms;
  private final RebuildTarget target;
  private final AliasTargets aliases;
  private final Map<String, JobStatus> jobs = new LinkedHashMap<>();
  private final Map<String, RebuildJob> running = new LinkedHashMap<>();
  /** Jobs found running at start and not settled yet (the alias store could not be read), by id. */
  private final Map<String, JobStatus> unsettled = new LinkedHashMap<>();
  private final RebuildRecovery recovery;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param alarms told of every alarm (for logs and metrics), besides the job's own status
   */
  public RebuildJobs(Vertx vertx, Path dir, Factory factory, RebuildJob.Events alarms, RebuildTarget target,
                     AliasTargets aliases) {
    this(vertx, dir, factory, alarms, target, aliases, RebuildJob.Settings.defaults().keepPrevious());
  }

  /**
   * @param alarms told of every alarm (for logs and metrics), besides the job's own status
   * @param keepPrevious versions kept for rollback when a job found running at start had switched
   */
  public RebuildJobs(Vertx vertx, Path dir, Factory factory, RebuildJob.Events alarms, RebuildTarget target,
                     AliasTargets aliases, int keepPrevious) {
    this.vertx = vertx;
    this.dir = dir;
    this.factory = factory;
    this.alarms = alarms;
    this.target = target;
    this.aliases = aliases;
    this.recovery = new RebuildRecovery(target, aliases, keepPrevious);
  }

  /**
   * Reads the jobs of earlier runs and settles those that were running. Completes once each was
   * tried once; one the alias store could not answer for stays running and is tried again.
   */
  public Future<Void> recover() {
    return vertx.<List<JobStatus>>executeBlocking(this::readAll).compose(found -> {
      List<Future<Void>> settles = new ArrayList<>();
      synchronized (this) {
        for (JobStatus s : found) {
          jobs.put(s.id(), s);
          if (!s.state().ended()) {
            unsettled.put(s.id(), s);
            settles.add(settle(s));
          }
        }
      }
      return Future.join(settles).mapEmpty();
    });
  }

  /** Settles one job found running, or schedules another try when the alias store cannot be read. */
  private Future<Void> settle(JobStatus s) {
    String stopped = "the writer stopped during phase " + s.phase().apiName();
    return recovery.settle(s).transform(ar -> {
      if (ar.failed()) {
        LOG.warning(() -> "rebuild " + s.id() + " of alias " + s.alias() + ": " + stopped + "; the alias store cannot "
            + "be read to tell whether its switch happened (" + RebuildRecovery.describe(ar.cause()) + "), so nothing "
            + "is dropped; trying again in " + SETTLE_RETRY_MILLIS + " ms");
        vertx.setTimer(SETTLE_RETRY_MILLIS, id -> settle(s));
        return Future.succeededFuture();
      }
      RebuildRecovery.Settled done = ar.result();
      String message;
      switch (done.decision().outcome()) {
        case SWITCHED -> {
          message = stopped + ", after its alias switch: the job is finished at restart; " + done.done();
          s.end(JobState.SUCCEEDED, null);
        }
        case SWITCHED_BY_HAND -> {
          message = stopped + ", before its switch, yet the alias serves its new space " + s.space()
              + " (switched by hand?): the job was not resumed and the space is kept; " + done.done();
          s.end(JobState.FAILED, message);
        }
        default -> {
          message = stopped + "; the job was not resumed and the alias was not switched; " + done.done();
          s.end(JobState.FAILED, message);
        }
      }
      s.alarm("interrupted", message);
      alarms.alarm(s, "interrupted", message);
      synchronized (this) {
        unsettled.remove(s.id());
      }
      return save(s);
    });
  }

  /**
   * Starts a rebuild.
   *
   * @throws ApiException 409 when a job for the same alias is running, or what the factory refuses
   */
  public synchronized JobStatus start(RebuildRequest request) {
    for (JobStatus u : unsettled.values()) {
      if (u.alias().equals(request.alias())) {
        throw ApiException.conflict("job_running_exception", "rebuild " + u.id() + " of alias " + request.alias()
            + " was running when the writer stopped and is not settled yet (the alias store cannot be read); retry "
            + "once the store is reachable");
      }
    }
    for (RebuildJob r : running.values()) {
      if (r.status().alias().equals(request.alias())) {
        throw ApiException.conflict("job_running_exception", "rebuild " + r.status().id() + " of alias "
            + request.alias() + " is running (phase " + r.status().phase().apiName() + "); cancel it or wait");
      }
    }
    JobStatus status = new JobStatus(newId(), request.db(), request.alias(), Instant.now());
    RebuildJob job = factory.create(request, status, new RebuildJob.Events() {
      @Override
      public void alarm(JobStatus j, String check, String message) {
        alarms.alarm(j, check, message);
      }

      @Override
      public Future<Void> changed(JobStatus j) {
        return save(j);
      }
    });
    jobs.put(status.id(), status);
    running.put(status.id(), job);
    forgetOldJobs();
    job.run().onComplete(ar -> {
      synchronized (this) {
        running.remove(status.id());
      }
      LOG.info(() -> "rebuild " + status.id() + " of alias " + status.alias() + " " + status.state().apiName()
          + (status.error() == null ? "" : ": " + status.error()));
    });
    return status;
  }

  public synchronized JobStatus get(String id) {
    JobStatus s = jobs.get(id);
    if (s == null) {
      throw ApiException.notFound("job_not_found_exception", "no job '" + id + "'");
    }
    return s;
  }

  /** Every job known, newest first. */
  public synchronized List<JobStatus> list() {
    List<JobStatus> out = new ArrayList<>(jobs.values());
    out.sort(Comparator.comparing(JobStatus::created).reversed());
    return out;
  }

  /** Cancels a running job; see {@link RebuildJob#cancel()}. */
  public synchronized JobStatus cancel(String id) {
    JobStatus s = get(id);
    RebuildJob job = running.get(id);
    if (job == null) {
      throw ApiException.conflict("job_ended_exception", "job " + id + " has already " + s.state().apiName());
    }
    job.cancel();
    return s;
  }

  /** Whether a job is running (a writer with one should not be stopped lightly). */
  public synchronized boolean busy() {
    return !running.isEmpty() || !unsettled.isEmpty();
  }

  private String newId() {
    byte[] b = new byte[4];
    random.nextBytes(b);
    return "rebuild-" + Long.toString(System.currentTimeMillis(), 36) + "-" + String.format("%08x", ByteBuffer.wrap(b).getInt());
  }

  private void forgetOldJobs() {
    List<JobStatus> ended = jobs.values().stream().filter(s -> s.state().ended()).toList();
    for (int i = 0; i < ended.size() - KEEP_ENDED; i++) {
      String id = ended.get(i).id();
      jobs.remove(id);
      vertx.executeBlocking(() -> Files.deleteIfExists(dir.resolve(id + ".json")));
    }
  }

  /**
   * Writes a job's status file ({@link JsonFileFormat#JOB}: temporary file, fsync, rename, fsync of
   * the directory) off the event loop; completes once it is durable. A failure is logged and fails
   * the future (a job does not start a phase it could not record).
   */
  private Future<Void> save(JobStatus s) {
    byte[] json = s.toJson().toString().getBytes(StandardCharsets.UTF_8);
    return vertx.<Void>executeBlocking(() -> {
      JsonFileFormat.write(dir.resolve(s.id() + ".json"), JsonFileFormat.JOB, json);
      return null;
    }).onFailure(e -> LOG.log(Level.WARNING, "cannot save the status of job " + s.id(), e));
  }

  private List<JobStatus> readAll() throws IOException {
    List<JobStatus> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
        try {
          out.add(JsonFileFormat.read(f, JsonFileFormat.JOB, (version, body) -> JobStatus.fromJson(body)));
        } catch (IOException e) {
          // A job file is history: refusing to start over one would stop every write for a record
          // the data never depends on. What a skipped running job leaves (a partial space, a
          // building mark) stays visible in the space list and the alias, for the operator to drop.
          LOG.log(Level.SEVERE, "skipping job file " + f + ", which fails its check (left in place): "
              + e.getMessage());
        }
      }
    }
    out.sort(Comparator.comparing(JobStatus::created));
    return out;
  }
}
