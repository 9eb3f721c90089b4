package io.vecgate.reader.admin;

import io.vecgate.protocol.access.AccessLevel;
import io.vecgate.protocol.access.AccessTokens;
import io.vecgate.protocol.admin.AdminReplies;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.bus.Addresses;
import io.vecgate.reader.search.Warmup;
import io.vecgate.reader.version.LoadedVersion;
import io.vecgate.reader.version.VersionKey;
import io.vecgate.reader.version.VersionRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A reader's admin commands on {@code vecgate.admin.reader.{node id}} (request/reply, JSON
 * bodies, header {@code cmd}, and the admin token as {@code Bearer <token>} in header
 * {@value AccessTokens#HEADER} when the deployment has one):
 *
 * <ul>
 *   <li>{@code warm} {@code {"db", "space", "version", "queries"}}: simulated queries on a loaded
 *       version (as a rebuild asks every reader before it switches an alias); answers
 *       {@code {"node_id", "queries", "millis"}};
 *   <li>{@code load} / {@code release} {@code {"db", "space", "version"}}: map and warm a
 *       published version / stop serving one; answer {@code {"node_id", "version", "result"}};
 *   <li>{@code gc}: release superseded versions and versions whose files are gone; answers
 *       {@code {"node_id", "released": ["db/space@v"]}};
 *   <li>{@code state}: the reader's state with {@code mapped_bytes} and {@code open_files}.
 * </ul>
 *
 * A refused command fails with the HTTP status as failure code and {@code {"error": {"type",
 * "reason"}}} as message: 401/403 (token), 400 (bad body), 404 (version not held or not published),
 * 409 (a newer version is held).
 */
public final class ReaderAdmin {

  private final Vertx vertx;
  private final String nodeId;
  private final VersionRegistry registry;
  private final ReaderControl control;
  private final Supplier<JsonObject> state;
  private final AccessTokens tokens;
  private MessageConsumer<JsonObject> consumer;

  /** @param state the state the reader publishes, plus mapped bytes and open files */
  public ReaderAdmin(Vertx vertx, String nodeId, VersionRegistry registry, ReaderControl control,
                     Supplier<JsonObject> state, AccessTokens tokens) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.registry = registry;
    this.control = control;
    this.state = state;
    this.tokens = tokens;
  }

  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.readerAdmin(nodeId), this::handle);
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void handle(Message<JsonObject> msg) {
    Future<JsonObject> answer;
    try {
      tokens.check(AccessLevel.ADMIN, msg.headers().get(AccessTokens.HEADER));
      String cmd = msg.headers().get("cmd");
      JsonObject b = msg.body() == null ? new JsonObject() : msg.body();
      answer = switch (cmd == null ? "" : cmd) {
        case "warm" -> warm(key(b), b.getInteger("queries", 0));
        case "load" -> {
          VersionKey k = key(b);
          yield control.load(k).map(loaded -> result(k, loaded ? "loaded" : "already_loaded"));
        }
        case "release" -> {
          VersionKey k = key(b);
          control.release(k);
          yield Future.succeededFuture(result(k, "released"));
        }
        case "gc" -> Future.succeededFuture(new JsonObject().put("node_id", nodeId).put("released",
            new JsonArray(control.collectGarbage().stream().map(VersionKey::toString).toList())));
        case "state" -> Future.succeededFuture(state.get());
        default -> throw ApiException.badRequest("reader " + nodeId + ": unknown admin command '" + cmd
            + "'; expected warm, load, release, gc or state");
      };
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    answer.onSuccess(msg::reply).onFailure(e -> AdminReplies.fail(msg, e));
  }

  private JsonObject result(VersionKey k, String result) {
    return new JsonObject().put("node_id", nodeId).put("version", k.toString()).put("result", result);
  }

  /** The version a command names; a missing or malformed field is a 400 naming it. */
  private VersionKey key(JsonObject b) {
    String db = b.getValue("db") instanceof String s ? s : null;
    String space = b.getValue("space") instanceof String s ? s : null;
    Object v = b.getValue("version");
    if (db == null || db.isEmpty()) {
      throw ApiException.badRequest("db: expected a db name, got " + b.getValue("db"));
    }
    if (space == null || space.isEmpty()) {
      throw ApiException.badRequest("space: expected a space name, got " + b.getValue("space"));
    }
    if (!(v instanceof Number n) || n.longValue() < 1 || n.doubleValue() != n.longValue()) {
      throw ApiException.badRequest("version: expected a version number >= 1, got " + v);
    }
    return new VersionKey(db, space, n.longValue());
  }

  private Future<JsonObject> warm(VersionKey k, int queries) {
    Optional<LoadedVersion> held = registry.acquire(k.db(), k.space(), k.version());
    if (held.isEmpty()) {
      return Future.failedFuture(ApiException.notFound("version_not_held", "reader " + nodeId + " does not hold " + k));
    }
    LoadedVersion v = held.get();
    long start = System.nanoTime();
    // Searches are CPU-bound: off the event loop.
    return vertx.executeBlocking(() -> Warmup.warm(v, queries), false)
        .onComplete(ar -> v.release())
        .map(n -> new JsonObject().put("node_id", nodeId).put("queries", n)
            .put("millis", (System.nanoTime() - start) / 1_000_000))
        .recover(e -> Future.failedFuture(new ApiException(500, "warmup_failed", "reader " + nodeId + ": warm-up of "
            + k + " failed: " + e.getMessage())));
  }
}
