package io.vecgate.writer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.liveness.ReaderLiveness;
import io.vecgate.protocol.access.AccessLevel;
import io.vecgate.protocol.access.AccessTokens;
import io.vecgate.protocol.bus.Addresses;
import io.vecgate.protocol.bus.VersionNotice;
import io.vecgate.store.DataLayout;
import io.vecgate.writer.bus.WriteAdmission;
import io.vecgate.writer.bus.WriterEndpoint;
import io.vecgate.writer.lock.WriterLock;
import io.vecgate.writer.rebuild.EventBusReaderFleet;
import io.vecgate.writer.rebuild.JobsApi;
import io.vecgate.writer.rebuild.RebuildJob;
import io.vecgate.writer.service.DefaultWriterService;
import io.vecgate.writer.service.WriterNotices;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The writer role: its {@link DefaultWriterService}, with the rebuild jobs ({@link JobsApi})
 * attached, behind the event bus shell {@link WriterEndpoint} ({@code vecgate.writer},
 * {@code vecgate.admin.writer}). Publishes {@code vecgate.versions} after every published version
 * or dropped space and {@code vecgate.catalog} after every catalog change (and once at start),
 * both as JSON Buffers.
 *
 * <pre>{@code
 * AliasStores.open(vertx, AliasStoreConfig.defaults())
 *     .compose(aliases -> vertx.deployVerticle(new WriterVerticle(WriterConfig.defaults(Path.of("/data")), aliases)));
 * }</pre>
 *
 * Opening, writes and seals run on writer threads, never on the event loop. At start, once it
 * holds the data directory's lock, it asks the alias store to keep its copy in
 * {@code aliases.json} there (see {@link AliasStore#persistTo}).
 */
public final class WriterVerticle extends VerticleBase {

  public static final String ADDRESS = Addresses.WRITER;
  public static final String VERSIONS = Addresses.VERSIONS;
  public static final String CATALOG = Addresses.CATALOG;

  /** A reader is live for rebuilds while its last state message (every second) is this recent. */
  private static final Duration READERS_LIVE_WINDOW = Duration.ofSeconds(3);

  private final WriterConfig config;
  private final AliasStore aliases;
  private final RebuildJob.Settings rebuildSettings;
  private final ReaderLiveness liveness;
  private final AccessTokens tokens;
  private final MeterRegistry meters;
  private EventBusReaderFleet fleet;
  private WriterEndpoint endpoint;
  private volatile DefaultWriterService service;
  private WriterLock lock;
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
    this(config, aliases, rebuildSettings, liveness, AccessTokens.none());
  }

  /**
   * @param tokens the deployment's tokens: every request on {@code vecgate.writer} must carry one
   *     that opens its operation's level, every command on {@code vecgate.admin.writer} the admin
   *     token (a level without a token is open); the writer sends its admin token with the
   *     commands it gives readers and the versions it announces
   */
  public WriterVerticle(WriterConfig config, AliasStore aliases, RebuildJob.Settings rebuildSettings,
                        ReaderLiveness liveness, AccessTokens tokens) {
    this(config, aliases, rebuildSettings, liveness, tokens, new SimpleMeterRegistry());
  }

  /** @param meters the node's registry, where the writer's meters go ({@code /metrics} shows it) */
  public WriterVerticle(WriterConfig config, AliasStore aliases, RebuildJob.Settings rebuildSettings,
                        ReaderLiveness liveness, AccessTokens tokens, MeterRegistry meters) {
    this.meters = meters;
    this.config = config;
    this.aliases = aliases;
    this.rebuildSettings = rebuildSettings;
    this.liveness = liveness;
    this.tokens = tokens;
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
          quietTimer = vertx.setPeriodic(config.quietCheckInterval().toMillis(), id -> s.compactQuietSpaces());
          // Jobs that were running when the writer stopped are failed and cleaned before requests are taken.
          fleet = new EventBusReaderFleet(vertx, READERS_LIVE_WINDOW, liveness, tokens);
          // Manual alias switches and rollbacks wait for (or check) the same readers as rebuilds.
          s.attachReaders(fleet);
          return fleet.start().compose(v -> JobsApi.start(vertx, layout, s, aliases, rebuildSettings, fleet, meters));
        })
        .compose(jobs -> {
          service.attachJobs(jobs);
          endpoint = new WriterEndpoint(vertx, service, config.maxBodyBytes(), new WriteAdmission(config.writeLimits()),
              tokens, meters);
          return endpoint.start();
        });
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (quietTimer >= 0) {
      vertx.cancelTimer(quietTimer);
    }
    Future<Void> unregistered = (endpoint != null ? endpoint.stop() : Future.<Void>succeededFuture())
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

  /** Waits on a worker thread for the alias store to restore its copy. */
  private static void awaitStore(Future<Void> f) throws IOException {
    try {
      f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException("restoring the aliases failed: "
          + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("the alias store did not restore its copy within 60 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while restoring the aliases", e);
    }
  }

  /**
   * Publishes the service's notices on the event bus (thread-safe). They carry the admin token:
   * readers map and drop the versions announced and gateways resolve names with the catalog, so
   * they take them only from a node that has it.
   */
  private final class EventBusNotices implements WriterNotices {
    @Override
    public void versionPublished(String db, String space, long version, Path dir) {
      vertx.eventBus().publish(VERSIONS, VersionNotice.published(db, space, version, dir.toString()).toJson(), signed());
    }

    @Override
    public void spaceDropped(String db, String space) {
      vertx.eventBus().publish(VERSIONS, VersionNotice.dropped(db, space).toJson(), signed());
    }

    private DeliveryOptions signed() {
      return tokens.sign(new DeliveryOptions(), AccessLevel.ADMIN);
    }

    @Override
    public void catalogChanged(ObjectNode catalog) {
      vertx.eventBus().publish(CATALOG, Buffer.buffer(catalog.toString()), signed());
    }
  }
}
