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
 * them, and keeps each job's status in {@code {data}/jobs/{id}.json}. A job found running when
 * the writer starts did not survive a stop: it is marked failed and what it left is cleaned (its
 * partial space dropped, the building target cleared); the alias was never touched before the
 * switch, so it is right as it is. A job file that fails its check is logged and skipped, not
 * refused: it is history, and no data depends on it.
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

  private final Vertx vertx;
  private final Path dir;
  private final Factory factory;
  private final RebuildJob.Events alarms;
  private final RebuildTarget target;
  private final AliasTargets aliases;
  private final Map<String, JobStatus> jobs = new LinkedHashMap<>();
  private final Map<String, RebuildJob> running = new LinkedHashMap<>();
  private final SecureRandom random = new SecureRandom();

  /**
   * @param alarms told of every alarm (for logs and metrics), besides the job's own status
   */
  public RebuildJobs(Vertx vertx, Path dir, Factory factory, RebuildJob.Events alarms, RebuildTarget target,
                     AliasTargets aliases) {
    this.vertx = vertx;
    this.dir = dir;
    this.factory = factory;
    this.alarms = alarms;
    this.target = target;
    this.aliases = aliases;
  }

  /** Reads the jobs of earlier runs, failing and cleaning those that were running. */
  public Future<Void> recover() {
    return vertx.<List<JobStatus>>executeBlocking(this::readAll).compose(found -> {
      List<Future<Void>> cleanups = new ArrayList<>();
      synchronized (this) {
        for (JobStatus s : found) {
          jobs.put(s.id(), s);
          if (!s.state().ended()) {
            cleanups.add(abandon(s));
          }
        }
      }
      return Future.join(cleanups).mapEmpty();
    });
  }

  private Future<Void> abandon(JobStatus s) {
    String why = "the writer stopped during phase " + s.phase().apiName() + "; the job was not resumed";
    LOG.warning(() -> "rebuild " + s.id() + " of alias " + s.alias() + ": " + why + "; cleaning up");
    Future<Void> undo = Future.succeededFuture();
    if (s.space() != null && s.phase().compareTo(Phase.SWITCH) < 0) {
      undo = target.drop(s.db(), s.space());
    }
    if (s.phase().compareTo(Phase.MARK_BUILDING) >= 0 && s.phase().compareTo(Phase.CLEANUP) < 0) {
      undo = undo.compose(v -> aliases.clearBuilding(s.db(), s.alias()));
    }
    return undo.transform(ar -> {
      s.end(JobState.FAILED, why + (ar.failed() ? "; clean-up failed: " + ar.cause().getMessage() : ""));
      return save(s);
    });
  }

  /**
   * Starts a rebuild.
   *
   * @throws ApiException 409 when a job for the same alias is running, or what the factory refuses
   */
  public synchronized JobStatus start(RebuildRequest request) {
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
      public void changed(JobStatus j) {
        save(j);
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
    return !running.isEmpty();
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
   * Writes a job's status file ({@link JsonFileFormat#JOB}) off the event loop; a failure is
   * logged, the job goes on.
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
