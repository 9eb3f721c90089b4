package io.vecgate.writer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.vecgate.common.api.ApiException;
import io.vecgate.common.cluster.Addresses;
import io.vecgate.common.cluster.ClusterBootstrap;
import io.vecgate.common.store.DataLayout;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.writer.lock.WriterLock;
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

  private final WriterConfig config;
  private final AliasStore aliases;
  private volatile DefaultWriterService service;
  private WriterLock lock;
  private final MeterRegistry meters = ClusterBootstrap.registry();
  private MessageConsumer<Buffer> consumer;
  private long timer = -1;
  private long quietTimer = -1;

  /** @param aliases the node's alias store (shared with the other roles of the JVM; the writer does not close it) */
  public WriterVerticle(WriterConfig config, AliasStore aliases) {
    this.config = config;
    this.aliases = aliases;
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
          consumer = vertx.eventBus().consumer(ADDRESS, this::handle);
          return consumer.completion();
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
    Future<Void> unregistered = consumer != null ? consumer.unregister() : Future.succeededFuture();
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

  private void handle(Message<Buffer> msg) {
    Map<String, String> headers = headers(msg.headers());
    byte[] body = msg.body() == null ? new byte[0] : msg.body().getBytes();
    String op = headers.get("op");
    service.handle(op, headers, body).whenComplete((reply, error) -> {
      // vecgate_writer_requests_total{op, outcome}: what the writer was asked and how it answered.
      String outcome = error == null ? "ok" : unwrap(error) instanceof ApiException a && a.status() < 500 ? "rejected" : "failed";
      meters.counter("vecgate.writer.requests", "op", String.valueOf(op), "outcome", outcome).increment();
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
