package io.vecgate.writer.rebuild;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.space.SpaceSchema;
import io.vecgate.space.SpaceSchemas;
import io.vecgate.store.DataLayout;
import io.vecgate.writer.rebuild.source.DocumentSources;
import io.vecgate.writer.service.DefaultWriterService;
import io.vecgate.writer.service.WriterJobs;
import io.vecgate.writer.service.WriterReply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The writer's rebuild jobs behind the write endpoint's {@code /_jobs} routes and the garbage
 * collection behind {@code /_gc}: {@code job.rebuild} (202 with the new job), {@code job.get},
 * {@code job.list}, {@code job.cancel} (202) and {@code gc}, over {@link RebuildJobs} and
 * {@link UnusedVersions}.
 */
public final class JobsApi implements WriterJobs {

  private static final System.Logger LOG = System.getLogger(JobsApi.class.getName());

  /** Checks a request before a job is started: the space body parses, the db exists, the source opens. */
  @FunctionalInterface
  public interface Admission {
    Future<Void> check(RebuildRequest request);
  }

  private final RebuildJobs jobs;
  private final Admission admission;
  private final UnusedVersions unused;
  private final SpaceRestore restores;

  JobsApi(RebuildJobs jobs, Admission admission, UnusedVersions unused, SpaceRestore restores) {
    this.jobs = jobs;
    this.admission = admission;
    this.unused = unused;
    this.restores = restores;
  }

  /**
   * The jobs of a writer: what they need of its service, its alias store and the readers
   * ({@code fleet}, started and stopped by the caller). Jobs that were running when the writer
   * stopped are failed and cleaned before this completes.
   *
   * @param meters where {@code vecgate.rebuild.alarms{alias, check}} counts alarms
   */
  public static Future<JobsApi> start(Vertx vertx, DataLayout layout, DefaultWriterService writer, AliasStore aliases,
      RebuildJob.Settings settings, ReaderFleet fleet, MeterRegistry meters) {
    RebuildTarget target = new WriterRebuildTarget(vertx, writer, settings.readerTimeout());
    AliasTargets aliasTargets = new StoreAliasTargets(aliases);
    RebuildJob.Events alarms = new RebuildJob.Events() {
      @Override
      public void alarm(JobStatus job, String check, String message) {
        // vecgate_rebuild_alarms_total{alias, check}; the log line is the alarm operators grep for.
        meters.counter("vecgate.rebuild.alarms", "alias", job.alias(), "check", check).increment();
        LOG.log(System.Logger.Level.WARNING, "ALARM rebuild " + job.id() + " of alias " + job.alias() + ": " + check
            + ": " + message);
      }

      @Override
      public Future<Void> changed(JobStatus job) {
        return Future.succeededFuture();
      }
    };
    RebuildJobs.Factory factory = (request, status, events) -> {
      SpaceSchema schema = SpaceSchemas.parse(request.db(), request.spaceBody(request.prefix()));
      return new RebuildJob(request, status, DocumentSources.open(vertx, schema, request.source()), target, aliasTargets,
          fleet, settings, events);
    };
    RebuildJobs registry = new RebuildJobs(vertx, layout.jobsDir(), factory, alarms, target, aliasTargets,
        settings.keepPrevious());
    Admission admission = request -> {
      // Refused at once, before a job exists: a bad space body, an unknown db, an alias store
      // that cannot take the switch.
      SpaceSchemas.parse(request.db(), request.spaceBody(request.prefix()));
      if (!aliases.health().connected()) {
        throw ApiException.unavailable("rebuilds need the alias store, which is unreachable: " + aliases.health().detail());
      }
      return target.spaces(request.db()).mapEmpty();
    };
    UnusedVersions unused = new UnusedVersions(registry, () -> aliases.local().all(), target);
    SpaceRestore restores = new SpaceRestore(vertx, target, settings.batchSize());
    return registry.recover().map(v -> new JobsApi(registry, admission, unused, restores));
  }

  @Override
  public CompletableFuture<WriterReply> startRebuild(ObjectNode body) {
    return call(() -> {
      RebuildRequest request = RebuildRequest.parse(body);
      return admission.check(request).map(v -> WriterReply.of(202, jobs.start(request).toJson()));
    });
  }

  @Override
  public CompletableFuture<WriterReply> getJob(String id) {
    return call(() -> Future.succeededFuture(WriterReply.of(200, jobs.get(id).toJson())));
  }

  @Override
  public CompletableFuture<WriterReply> listJobs() {
    return call(() -> {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      ArrayNode list = o.putArray("jobs");
      jobs.list().forEach(s -> list.add(s.toJson()));
      return Future.succeededFuture(WriterReply.of(200, o));
    });
  }

  @Override
  public CompletableFuture<WriterReply> cancelJob(String id) {
    return call(() -> Future.succeededFuture(WriterReply.of(202, jobs.cancel(id).toJson())));
  }

  @Override
  public CompletableFuture<WriterReply> collectGarbage() {
    return call(() -> unused.collect().map(dropped -> {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      ArrayNode a = o.putArray("dropped");
      dropped.forEach(a::add);
      return WriterReply.of(200, o);
    }));
  }

  @Override
  public CompletableFuture<WriterReply> restore(ObjectNode request) {
    return call(() -> restores.restore(request));
  }

  /** Runs {@code call}; what it throws fails the future, as its own failure does. */
  private static CompletableFuture<WriterReply> call(Supplier<Future<WriterReply>> call) {
    try {
      return call.get().toCompletionStage().toCompletableFuture();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
