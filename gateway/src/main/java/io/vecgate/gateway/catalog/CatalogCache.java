package io.vecgate.gateway.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgate.coordination.alias.LocalAliases;
import io.vecgate.protocol.access.AccessTokens;
import io.vecgate.protocol.access.PublishCheck;
import io.vecgate.protocol.bus.Addresses;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.protocol.writer.WriterHeaders;
import io.vecgate.protocol.writer.WriterOp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gateway's copy of the catalog: replaced by every {@code vecgate.catalog} publication,
 * fetched with {@code catalog.get} at start and re-fetched when a publication was missed (its
 * revision jumps) or periodically, so a lost notice heals. Names resolve against it and the
 * alias store's local copy.
 */
public final class CatalogCache {

  private static final System.Logger LOG = System.getLogger(CatalogCache.class.getName());

  private final Vertx vertx;
  private final LocalAliases aliases;
  private final AtomicReference<CatalogView> current = new AtomicReference<>(CatalogView.EMPTY);
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private MessageConsumer<Buffer> consumer;
  private long timer = -1;

  private final AccessTokens tokens;

  public CatalogCache(Vertx vertx, LocalAliases aliases) {
    this(vertx, aliases, AccessTokens.none());
  }

  /** @param tokens the node's tokens: the writer's catalog is asked for with the one that opens reads */
  public CatalogCache(Vertx vertx, LocalAliases aliases, AccessTokens tokens) {
    this.vertx = vertx;
    this.aliases = aliases;
    this.tokens = tokens;
  }

  public CatalogView view() {
    return current.get();
  }

  /**
   * The space {@code name} names in {@code db}: a space, or an alias of that db.
   *
   * @throws io.vecgate.protocol.api.ApiException 404 naming the db or the space
   */
  public CatalogView.SpaceEntry resolve(String db, String name) {
    return current.get().resolve(db, name, aliases);
  }

  /** Runs {@code listener} after every catalog received (a publication or an answer to {@code catalog.get}). */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** Subscribes and asks the writer once; completes when the subscription is registered (the writer may be down). */
  public Future<Void> start() {
    PublishCheck check = new PublishCheck(tokens, "catalog");
    consumer = vertx.eventBus().consumer(Addresses.CATALOG, msg -> {
      if (check.admit(msg)) {
        accept(msg.body());
      }
    });
    timer = vertx.setPeriodic(2000, id -> refresh());
    return consumer.completion().onSuccess(v -> refresh());
  }

  public void stop() {
    if (consumer != null) {
      consumer.unregister();
    }
    vertx.cancelTimer(timer);
  }

  /** Asks the writer for the catalog now. */
  public Future<CatalogView> refresh() {
    return vertx.eventBus().<Buffer>request(Addresses.WRITER, Buffer.buffer(),
            tokens.sign(new DeliveryOptions().addHeader(WriterHeaders.OP, WriterOp.CATALOG_GET.wireName())
                .setSendTimeout(5000), WriterOp.CATALOG_GET.level()))
        .map(msg -> {
          accept(msg.body());
          return current.get();
        })
        .onFailure(e -> LOG.log(System.Logger.Level.DEBUG, WriterOp.CATALOG_GET + " failed: " + e.getMessage()));
  }

  private void accept(Buffer body) {
    try {
      JsonNode json = StrictJson.MAPPER.readTree(body.getBytes());
      CatalogView next = CatalogView.fromJson(json);
      current.accumulateAndGet(next, (old, n) -> n.revision() >= old.revision() ? n : old);
      listeners.forEach(Runnable::run);
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "ignoring an unreadable catalog: " + e.getMessage());
    }
  }
}
