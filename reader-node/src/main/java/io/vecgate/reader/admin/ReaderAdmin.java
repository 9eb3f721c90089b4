package io.vecgate.reader.admin;

import io.vecgate.common.cluster.Addresses;
import io.vecgate.reader.search.Warmup;
import io.vecgate.reader.version.LoadedVersion;
import io.vecgate.reader.version.VersionRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * A reader's admin commands on {@code vecgate.admin.reader.{node id}} (request/reply, JSON
 * bodies, header {@code cmd}): {@code warm} runs simulated queries on a loaded version
 * ({@code {"db", "space", "version", "queries"}}, answers {@code {"queries", "millis"}}), as a
 * rebuild asks every reader before it switches an alias. A refused command fails with 404 (the
 * version is not held) or 400.
 */
public final class ReaderAdmin {

  private final Vertx vertx;
  private final String nodeId;
  private final VersionRegistry registry;
  private MessageConsumer<JsonObject> consumer;

  public ReaderAdmin(Vertx vertx, String nodeId, VersionRegistry registry) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.registry = registry;
  }

  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.readerAdmin(nodeId), this::handle);
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void handle(Message<JsonObject> msg) {
    String cmd = msg.headers().get("cmd");
    if (!"warm".equals(cmd)) {
      msg.fail(400, "reader " + nodeId + ": unknown admin command '" + cmd + "'; expected warm");
      return;
    }
    JsonObject b = msg.body() == null ? new JsonObject() : msg.body();
    String db = b.getString("db");
    String space = b.getString("space");
    long version = b.getLong("version", 0L);
    int queries = b.getInteger("queries", 0);
    Optional<LoadedVersion> held = registry.acquire(db, space, version);
    if (held.isEmpty()) {
      msg.fail(404, "reader " + nodeId + " does not hold " + db + "/" + space + "@" + version);
      return;
    }
    LoadedVersion v = held.get();
    long start = System.nanoTime();
    // Searches are CPU-bound: off the event loop.
    vertx.executeBlocking(() -> Warmup.warm(v, queries), false)
        .onComplete(ar -> v.release())
        .onSuccess(n -> msg.reply(new JsonObject().put("node_id", nodeId).put("queries", n)
            .put("millis", (System.nanoTime() - start) / 1_000_000)))
        .onFailure(e -> msg.fail(500, "reader " + nodeId + ": warm-up of " + db + "/" + space + "@" + version
            + " failed: " + e.getMessage()));
  }
}
