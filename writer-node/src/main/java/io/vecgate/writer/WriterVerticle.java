package io.vecgate.writer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.vecgate.common.admin.AdminToken;
import io.vecgate.common.api.ApiException;
import io.vecgate.common.cluster.Addresses;
import io.vecgate.common.cluster.ClusterBootstrap;
import io.vecgate.common.store.DataLayout;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.liveness.ReaderLiveness;
import io.vecgate.writer.lock.WriterLock;
import io.vecgate.common.space.SpaceSchema;
import io.vecgate.common.space.SpaceSchemas;
import io.vecgate.writer.rebuild.AliasTargets;
import io.vecgate.writer.rebuild.EventBusReaderFleet;
import io.vecgate.writer.rebuild.JobStatus;
import io.vecgate.writer.rebuild.JobsApi;
import io.vecgate.writer.rebuild.RebuildJob;
import io.vecgate.writer.rebuild.RebuildJobs;
import io.vecgate.writer.rebuild.RebuildTarget;
import io.vecgate.writer.rebuild.StoreAliasTargets;
import io.vecgate.writer.rebuild.UnusedVersions;
import io.vecgate.writer.rebuild.WriterRebuildTarget;
import io.vecgate.writer.rebuild.source.DocumentSources;
import java.time.Duration;

import io.vecgate.writer.service.DefaultWriterService;
import io.vecgate.writer.service.WriterNotices;
import io.vecgate.writer.service.WriterReply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The writer role on the event bus: consumes {@code vecgate.writer} requests (headers {@code op},
 * {@code db}, {@code space}, {@code id}, {@code alias}, {@code q.*}; the body a Buffer) and
 * answers with the JSON body and a {@code status} header, or fails the reply with the HTTP status
 * as failure code and {@code {"error": {"type", "reason"}}} as message. Publishes
 * {@code vecgate.versions} after every published version or dropped space and
 * {@code vecgate.catalog} after every catalog change (and once at start), both as JSON Buffers.
 *
 * <pre>{@code
 * AliasStores.open(vertx, AliasStoreConfig.defaults())
 *     .compose(aliases -> vertx.deployVerticle(new WriterVerticle(WriterConfig.defaults(Path.of("/data")), aliases)));
 * }</pre>
 *
 * A thin shell over {@link DefaultWriterService}: opening, writes and seals run on writer
 * threads, never on the event loop. At start, once it holds the data directory's lock, it asks
 * the alias store to keep its copy in {@code aliases.json} there (see
 * {@link AliasStore#persistTo}); alias changes are answered with their store revision in the
 * {@code alias-revision} header.
 */
public final class WriterVerticle extends VerticleBase {

  public static final String ADDRESS = Addresses.WRITER;
  public static final String VERSIONS = Addresses.VERSIONS;
  public static final String CATALOG = Addresses.CATALOG;

  private static final System.Logger LOG = System.getLogger(WriterVerticle.class.getName());
  /** A reader is live for rebuilds while its last state message (every second) is this recent. */
  private static final Duration READERS_LIVE_WINDOW = Duration.ofSeconds(3);

  private final WriterConfig config;
  private final AliasStore aliases;
  private final RebuildJob.Settings rebuildSettings;
  private final ReaderLiveness liveness;
  private final AdminToken adminToken;
  private EventBusReaderFleet fleet;
  private UnusedVersions unused;
  private volatile JobsApi jobs;
  private volatile DefaultWriterService service;
  private WriterLock lock;
  private final MeterRegistry meters = ClusterBootstrap.registry();
  private MessageConsumer<Buffer> consumer;
  private MessageConsumer<Buffer> adminConsumer;
  private long timer = -1;
  private long quietTimer = -1;

  /**
   * @param aliases the node's alias store (shared with the other roles of the JVM; the writer does not close it)
   * @param rebuildSettings how rebuild jobs load, wait for readers and keep old versions
   * @param liveness what the cluster says of the readers a rebuild waits for (membership, Redis
   *     heartbeats; shared, not closed here)
   */
  public WriterVerticle(WriterConfig config, AliasStore aliases, RebuildJob.Settings rebuildSettings,
                        ReaderLiveness liveness) {
    this(config, aliases, rebuildSettings, liveness, AdminToken.off());
  }

  /**
   * @param adminToken the deployment's admin token: every command on {@code vecgate.admin.writer},
   *     and the {@code job.*} and {@code gc} operations on {@code vecgate.writer}, must carry it (off:
   *     no check); the writer also sends it with the commands it gives readers
   */
  public WriterVerticle(WriterConfig config, AliasStore aliases, RebuildJob.Settings rebuildSettings,
                        ReaderLiveness liveness, AdminToken adminToken) {
    this.config = config;
    this.aliases = aliases;
    this.rebuildSettings = rebuildSettings;
    this.liveness = liveness;
    this.adminToken = adminToken;
  }

  /** Without liveness signals beyond the readers' state messages. */
  public WriterVerticle(WriterConfig config, AliasStore aliases, RebuildJob.Settings rebuildSettings) {
    this(config, aliases, rebuildSettings, ReaderLiveness.none());
  }

  /** With the default rebuild settings. */
  public WriterVerticle(WriterConfig config, AliasStore aliases) {
    this(config, aliases, RebuildJob.Settings.defaults());
  }

  /** Whether the writer has opened every space and serves requests. */
  public boolean isReady() {
    DefaultWriterService s = service;
    return s != null && s.isReady();
  }

  @Override
  public Future<?> start() {
    DataLayout layout = new DataLayout(config.dataDir());
    WriterNotices notices = new EventBusNotices();
    return vertx.executeBlocking(() -> {
          lock = WriterLock.acquire(config.dataDir());
          try {
            awaitStore(aliases.persistTo(layout.aliases()));
            return DefaultWriterService.open(layout, config.settings(), notices, aliases);
          } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
          }
        })
        .compose(s -> {
          service = s;
          timer = vertx.setPeriodic(config.refreshInterval().toMillis(), id -> s.sealDirty());
          quietTimer = vertx.setPeriodic(config.quietCheckInterval().toMillis(), id -> s.mergeQuietSpaces());
          return startJobs(layout, s);
        })
        .compose(v -> {
          consumer = vertx.eventBus().consumer(ADDRESS, this::handle);
          adminConsumer = vertx.eventBus().consumer(Addresses.ADMIN_WRITER, this::handleAdmin);
          return Future.all(consumer.completion(), adminConsumer.completion()).mapEmpty();
        });
  }

  /**
   * Rebuild jobs: what they need of this writer, the alias store and the readers; jobs that were
   * running when the writer stopped are failed and cleaned before requests are taken.
   */
  private Future<Void> startJobs(DataLayout layout, DefaultWriterService s) {
    fleet = new EventBusReaderFleet(vertx, READERS_LIVE_WINDOW, liveness, adminToken);
    RebuildTarget target = new WriterRebuildTarget(vertx, s, rebuildSettings.readerTimeout());
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
      public void changed(JobStatus job) {}
    };
    RebuildJobs.Factory factory = (request, status, events) -> {
      SpaceSchema schema = SpaceSchemas.parse(request.db(), request.spaceBody(request.prefix()));
      return new RebuildJob(request, status, DocumentSources.open(vertx, schema, request.source()), target, aliasTargets,
          fleet, rebuildSettings, events);
    };
    RebuildJobs registry = new RebuildJobs(vertx, layout.jobsDir(), factory, alarms, target, aliasTargets);
    jobs = new JobsApi(registry, request -> {
      // Refused at once, before a job exists: a bad space body, an unknown db, an alias store
      // that cannot take the switch.
      SpaceSchemas.parse(request.db(), request.spaceBody(request.prefix()));
      if (!aliases.health().connected()) {
        throw ApiException.unavailable("rebuilds need the alias store, which is unreachable: " + aliases.health().detail());
      }
      return target.spaces(request.db()).mapEmpty();
    });
    unused = new UnusedVersions(registry, () -> aliases.local().all(), target);
    return fleet.start().compose(v -> registry.recover());
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (quietTimer >= 0) {
      vertx.cancelTimer(quietTimer);
    }
    Future<Void> unregistered = (consumer != null ? consumer.unregister() : Future.<Void>succeededFuture())
        .compose(v -> adminConsumer != null ? adminConsumer.unregister() : Future.succeededFuture())
        .compose(v -> fleet != null ? fleet.stop() : Future.succeededFuture());
    DefaultWriterService s = service;
    return unregistered.compose(v -> vertx.executeBlocking(() -> {
      if (s != null) {
        s.close();
      }
      if (lock != null) {
        lock.close();
      }
      return null;
    }));
  }

  /**
   * {@code vecgate.admin.writer}: every writer operation and {@code gc}, for the admin tool; the
   * token is checked first, whatever the operation.
   */
  private void handleAdmin(Message<Buffer> msg) {
    if (tokenAccepted(msg)) {
      dispatch(msg);
    }
  }

  private void handle(Message<Buffer> msg) {
    String op = msg.headers().get("op");
    // Rebuilds and garbage collection are admin operations wherever they come from (the gateway
    // forwards the token of an HTTP caller it has checked).
    if (!isAdminOp(op) || tokenAccepted(msg)) {
      dispatch(msg);
    }
  }

  /** Whether the message carries the admin token (always, when none is set); answers the refusal when not. */
  private boolean tokenAccepted(Message<Buffer> msg) {
    try {
      adminToken.check(msg.headers().get(AdminToken.HEADER));
      return true;
    } catch (ApiException e) {
      answer(msg, null, e);
      return false;
    }
  }

  /** Operations that need the admin token on {@code vecgate.writer} too. */
  public static boolean isAdminOp(String op) {
    return JobsApi.handles(op) || "gc".equals(op);
  }

  private void dispatch(Message<Buffer> msg) {
    Map<String, String> headers = headers(msg.headers());
    byte[] body = msg.body() == null ? new byte[0] : msg.body().getBytes();
    String op = headers.get("op");
    if ("gc".equals(op)) {
      unused.collect().onComplete(ar -> {
        meters.counter("vecgate.writer.requests", "op", op, "outcome", outcome(ar.cause())).increment();
        WriterReply reply = ar.succeeded() ? new WriterReply(200, new JsonObject().put("dropped",
            new io.vertx.core.json.JsonArray(ar.result())).encode().getBytes(java.nio.charset.StandardCharsets.UTF_8))
            : null;
        answer(msg, reply, ar.cause());
      });
      return;
    }
    if (JobsApi.handles(op)) {
      jobs.handle(op, headers, body).onComplete(ar -> {
        meters.counter("vecgate.writer.requests", "op", op, "outcome", outcome(ar.cause())).increment();
        answer(msg, ar.result(), ar.cause());
      });
      return;
    }
    service.handle(op, headers, body).whenComplete((reply, error) -> {
      // vecgate_writer_requests_total{op, outcome}: what the writer was asked and how it answered.
      meters.counter("vecgate.writer.requests", "op", String.valueOf(op), "outcome", outcome(error)).increment();
      context.runOnContext(v -> answer(msg, reply, error));
    });
  }

  /** Waits on a worker thread for the alias store to restore its copy. */
  private static void awaitStore(Future<Void> f) throws IOException {
    try {
      f.toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException("restoring the aliases failed: "
          + e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException("the alias store did not restore its copy within 60 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while restoring the aliases", e);
    }
  }

  private static String outcome(Throwable error) {
    return error == null ? "ok" : unwrap(error) instanceof ApiException a && a.status() < 500 ? "rejected" : "failed";
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }

  private static void answer(Message<Buffer> msg, WriterReply reply, Throwable error) {
    if (error == null) {
      DeliveryOptions o = new DeliveryOptions().addHeader("status", String.valueOf(reply.status()));
      reply.headers().forEach(o::addHeader);
      msg.reply(Buffer.buffer(reply.body()), o);
      return;
    }
    Throwable e = unwrap(error);
    ApiException api = e instanceof ApiException a ? a
        : new ApiException(500, "internal_error", e.getClass().getSimpleName() + ": " + e.getMessage());
    if (!(e instanceof ApiException)) {
      LOG.log(System.Logger.Level.ERROR, "writer op " + msg.headers().get("op") + " failed", e);
    }
    JsonObject body = new JsonObject().put("error", new JsonObject().put("type", api.type()).put("reason", api.reason()));
    msg.fail(api.status(), body.encode());
  }

  private static Map<String, String> headers(MultiMap m) {
    Map<String, String> out = new HashMap<>();
    m.forEach(e -> out.putIfAbsent(e.getKey(), e.getValue()));
    return out;
  }

  /** Publishes the service's notices on the event bus (thread-safe). */
  private final class EventBusNotices implements WriterNotices {
    @Override
    public void versionPublished(String db, String space, long version, Path dir) {
      JsonObject o = new JsonObject().put("db", db).put("space", space).put("version", version).put("dir", dir.toString());
      vertx.eventBus().publish(VERSIONS, o);
    }

    @Override
    public void spaceDropped(String db, String space) {
      vertx.eventBus().publish(VERSIONS, new JsonObject().put("db", db).put("space", space).put("dropped", true));
    }

    @Override
    public void catalogChanged(ObjectNode catalog) {
      vertx.eventBus().publish(CATALOG, Buffer.buffer(catalog.toString()));
    }
  }
}
