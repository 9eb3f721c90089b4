package io.vecgate.coordination.alias.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgate.coordination.alias.Alias;
import io.vecgate.coordination.alias.AliasChange;
import io.vecgate.coordination.alias.AliasErrors;
import io.vecgate.coordination.alias.AliasJson;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.alias.AliasStoreHealth;
import io.vecgate.coordination.alias.AliasTarget;
import io.vecgate.coordination.alias.LocalAliases;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The alias store of distributed mode: the keys of {@link RedisKeys} in one Redis, changed only
 * by the Lua scripts of {@link RedisScripts} (each change one atomic script that also publishes
 * its notice), read into this node's {@link LocalAliases}.
 *
 * <p>Two connections: one for commands, one subscribed to the change channel (a subscribed
 * connection takes no other commands). The local copy takes every notice; it re-reads
 * everything whenever a connection comes back (notices sent while it was away are lost: the
 * re-read heals that), when notices skip a revision, and every 30 s.
 *
 * <p>Redis down: the links notice at once and reconnect with backoff ({@link RedisLink}); reads
 * of the local copy go on; changes fail at once with 503 ({@link AliasErrors#unavailable});
 * {@link #health()} says why. A command gets 5 s before it fails the same way.
 */
public final class RedisAliasStore implements AliasStore {

  private static final System.Logger LOG = System.getLogger(RedisAliasStore.class.getName());
  static final long RESYNC_MILLIS = 30_000;
  static final long COMMAND_TIMEOUT_MILLIS = 5_000;

  private final Vertx vertx;
  private final Context context;
  private final String display;
  private final RedisKeys keys;
  private final int historyLength;
  private final Redis client;
  private final LocalAliases local = new LocalAliases();
  private final RedisLink commands;
  private final RedisLink notices;
  /** The epoch the local copy comes from (null before the first read); another one means the keys were wiped. */
  private volatile String epoch;
  /** The newest revision heard on the channel or read in full: a notice above it + 1 means one was missed. */
  private volatile long heard;
  private long timer = -1;

  private RedisAliasStore(Vertx vertx, Context context, AliasStoreConfig config) {
    this.vertx = vertx;
    this.context = context;
    this.display = config.display();
    this.keys = new RedisKeys(config.keyPrefix());
    this.historyLength = config.historyLength();
    RedisOptions options = new RedisOptions().setConnectionString(config.store()).setMaxPoolSize(4)
        .setMaxPoolWaiting(64);
    options.getNetClientOptions().setConnectTimeout(2_000).setTcpKeepAlive(true);
    this.client = Redis.createClient(vertx, options);
    String name = "alias store " + display + " (prefix " + keys.prefix() + ")";
    this.commands = new RedisLink(vertx, client, name + " commands", c -> Future.succeededFuture(), null,
        this::resyncQuietly);
    this.notices = new RedisLink(vertx, client, name + " notices",
        c -> c.send(Request.cmd(Command.SUBSCRIBE).arg(keys.channel())), this::onPush, this::resyncQuietly);
  }

  /**
   * Opens the store: connects both links and reads every alias; completes once that is done or
   * the first connection attempt failed (the node then starts degraded and keeps reconnecting).
   */
  public static Future<AliasStore> open(Vertx vertx, AliasStoreConfig config) {
    Context ctx = vertx.getOrCreateContext();
    Promise<AliasStore> opened = Promise.promise();
    ctx.runOnContext(v -> {
      RedisAliasStore s = new RedisAliasStore(vertx, ctx, config);
      Future.all(s.commands.start(), s.notices.start())
          .compose(x -> s.commands.up() ? s.resync() : Future.succeededFuture())
          .otherwiseEmpty()
          .onComplete(x -> {
            s.timer = vertx.setPeriodic(RESYNC_MILLIS, id -> s.resyncQuietly());
            LOG.log(System.Logger.Level.INFO, s.health().detail());
            opened.complete(s);
          });
    });
    return opened.future();
  }

  @Override
  public String describe() {
    return display + " (prefix " + keys.prefix() + ")";
  }

  @Override
  public LocalAliases local() {
    return local;
  }

  @Override
  public AliasStoreHealth health() {
    if (commands.up() && notices.up()) {
      return new AliasStoreHealth(true, "alias store " + describe() + ": revision " + local.revision());
    }
    RedisLink down = commands.up() ? notices : commands;
    return new AliasStoreHealth(false, "alias store " + describe() + " unreachable since "
        + Instant.ofEpochMilli(down.downSinceMillis()) + " (" + down.lastError() + "); serving the last known aliases "
        + "(revision " + local.revision() + "), alias changes are refused; reconnecting");
  }

  // ---- reads ----

  @Override
  public Future<Optional<Alias>> get(String name) {
    return eval(RedisScripts.GET, name).map(reply -> Optional.ofNullable(alias(reply.get("ok"))));
  }

  @Override
  public Future<List<Alias>> list() {
    return resync().map(v -> local.all());
  }

  // ---- changes ----

  @Override
  public Future<Alias> create(String name, AliasTarget target) {
    return change(RedisScripts.CREATE, name, target.key());
  }

  @Override
  public Future<Alias> switchTo(String name, AliasTarget expected, AliasTarget next) {
    return change(RedisScripts.SWITCH, name, expected == null ? "" : expected.key(), next.key(),
        String.valueOf(historyLength));
  }

  @Override
  public Future<Alias> rollback(String name, AliasTarget expected) {
    return change(RedisScripts.ROLLBACK, name, expected == null ? "" : expected.key());
  }

  @Override
  public Future<Alias> delete(String name) {
    return eval(RedisScripts.DELETE, name).map(reply -> {
      Alias was = alias(refusedOr(reply, name));
      local.apply(new AliasChange(name, null, was.revision()));
      return was;
    });
  }

  @Override
  public Future<Alias> setBuilding(String name, AliasTarget target) {
    return change(RedisScripts.SET_BUILDING, name, target.key());
  }

  @Override
  public Future<Optional<Alias>> clearBuilding(String name) {
    return eval(RedisScripts.CLEAR_BUILDING, name).map(reply -> {
      JsonNode ok = reply.get("ok");
      if (ok == null || ok.isNull()) {
        return Optional.empty();
      }
      return Optional.ofNullable(take(name, ok));
    });
  }

  @Override
  public Future<List<String>> forgetSpace(String db, String space) {
    return eval(RedisScripts.FORGET, new AliasTarget(db, space).key()).compose(reply -> {
      List<String> deleted = new ArrayList<>();
      JsonNode d = reply.path("deleted");
      if (d.isArray()) {
        d.forEach(n -> deleted.add(n.asText()));
      }
      // Several aliases may have changed: one full read brings them all (their notices follow too).
      return resync().map(v -> deleted);
    });
  }

  /** Runs a change script for alias {@code name} and takes its result into the local copy. */
  private Future<Alias> change(String script, String name, String... args) {
    return eval(script, name, args).map(reply -> take(name, refusedOr(reply, name)));
  }

  /** The alias of a change reply into the local copy; null when it went away. */
  private Alias take(String name, JsonNode stored) {
    Alias a = alias(stored);
    local.apply(new AliasChange(name, a, stored.path("revision").asLong()));
    return a;
  }

  private JsonNode refusedOr(JsonNode reply, String name) {
    String error = reply.path("error").asText(null);
    if (error == null) {
      return reply.get("ok");
    }
    AliasTarget serving = reply.hasNonNull("serving") ? AliasTarget.parse(reply.get("serving").asText()) : null;
    throw switch (error) {
      case "exists" -> AliasErrors.exists(name, serving);
      case "not_found" -> AliasErrors.notFound(name);
      case "no_history" -> AliasErrors.noHistory(name, serving);
      case "conflict" -> AliasErrors.conflict(name, expectedOf(reply), serving);
      default -> new ApiException(500, "internal_error", "alias store " + describe() + " answered " + reply);
    };
  }

  private static AliasTarget expectedOf(JsonNode reply) {
    return reply.hasNonNull("expected") ? AliasTarget.parse(reply.get("expected").asText()) : null;
  }

  private static Alias alias(JsonNode stored) {
    if (stored == null || stored.isNull() || stored.path("deleted").asBoolean(false)) {
      return null;
    }
    return AliasJson.parseStored(stored);
  }

  // ---- Redis ----

  /** Whether a Redis error reply is the script's own failure (Redis 7: {@code user_script}, 6: {@code Error running script}). */
  static boolean isScriptError(String message) {
    String m = message == null ? "" : message;
    return m.contains("user_script") || m.contains("script") && m.startsWith("ERR");
  }

  /** EVALs a script with the prefix, an epoch to set if none is, then {@code first} and {@code rest}; fails fast while Redis is down. */
  private Future<JsonNode> eval(String script, String first, String... rest) {
    RedisConnection c = commands.connection();
    if (c == null) {
      return Future.failedFuture(AliasErrors.unavailable(display, commands.lastError()));
    }
    // A fresh epoch on every call: after a wipe, whoever sets it must not bring back an old one.
    Request r = Request.cmd(Command.EVAL).arg(script).arg(0).arg(keys.prefix()).arg(UUID.randomUUID().toString()).arg(first);
    for (String a : rest) {
      r.arg(a);
    }
    return c.send(r).timeout(COMMAND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).recover(e -> {
      if (e instanceof java.util.concurrent.TimeoutException) {
        return Future.failedFuture(AliasErrors.unavailable(display, "no answer within " + COMMAND_TIMEOUT_MILLIS + " ms"));
      }
      if (e instanceof io.vertx.redis.client.impl.types.ErrorType && isScriptError(e.getMessage())) {
        // Redis ran the script and it failed: a script we got wrong, not an outage.
        return Future.failedFuture(new ApiException(500, "internal_error", "alias store " + describe()
            + " refused a script: " + RedisLink.message(e)));
      }
      // Anything else (the connection going, or Redis answering LOADING, BUSY, a shutdown in
      // progress, ...) is Redis not being able to serve now: the caller may retry.
      return Future.failedFuture(AliasErrors.unavailable(display, RedisLink.message(e)));
    }).map(resp -> {
      try {
        return StrictJson.MAPPER.readTree(resp.toString());
      } catch (IOException e) {
        throw new ApiException(500, "internal_error", "alias store " + describe() + " answered non-JSON: " + resp);
      }
    });
  }

  /** A pushed message on the notices link: {@code [message, channel, payload]}. */
  private void onPush(Response r) {
    if (r == null || r.size() < 3 || !"message".equals(String.valueOf(r.get(0)))) {
      return;
    }
    JsonNode n;
    try {
      n = StrictJson.MAPPER.readTree(r.get(2).toString());
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "alias store " + describe() + ": ignoring an unreadable notice: " + r.get(2));
      return;
    }
    String e = n.path("epoch").asText(null);
    JsonNode a = n.get("alias");
    if (a == null || !a.path("name").isTextual()) {
      return;
    }
    long rev = a.path("revision").asLong();
    if (epoch != null && e != null && !e.equals(epoch)) {
      resyncQuietly();
      return;
    }
    long before = heard;
    heard = Math.max(heard, rev);
    try {
      local.apply(new AliasChange(a.get("name").asText(), alias(a), rev));
    } catch (IllegalArgumentException bad) {
      LOG.log(System.Logger.Level.WARNING, "alias store " + describe() + ": ignoring a notice: " + bad.getMessage());
    }
    if (before > 0 && rev > before + 1) {
      // A notice went missing (its revision was skipped): read everything.
      resyncQuietly();
    }
  }

  /** Reads every alias into the local copy (replacing it when the store's epoch changed: its keys were wiped). */
  private Future<Void> resync() {
    return eval(RedisScripts.SNAPSHOT, "").map(reply -> {
      String e = reply.path("epoch").asText();
      long revision = reply.path("revision").asLong();
      List<Alias> all = new ArrayList<>();
      JsonNode list = reply.path("aliases");
      if (list.isArray()) {
        list.forEach(a -> all.add(AliasJson.parseStored(a)));
      }
      if (epoch != null && !epoch.equals(e)) {
        LOG.log(System.Logger.Level.WARNING, "alias store " + describe() + ": its keys were replaced (new epoch); "
            + "taking its " + all.size() + " aliases as they are");
        local.reset(revision, all);
      } else {
        local.applySnapshot(revision, all);
      }
      epoch = e;
      heard = Math.max(heard, revision);
      return null;
    });
  }

  private void resyncQuietly() {
    if (commands.up()) {
      resync().onFailure(e -> LOG.log(System.Logger.Level.WARNING, "alias store " + describe()
          + ": re-reading the aliases failed: " + e.getMessage()));
    }
  }

  @Override
  public Future<Void> sync(long revision) {
    return local.revision() >= revision ? Future.succeededFuture() : resync();
  }

  /** Redis keeps its own state: nothing to do. */
  @Override
  public Future<Void> persistTo(Path file) {
    return Future.succeededFuture();
  }

  @Override
  public Runnable onChange(Consumer<AliasChange> listener) {
    return local.onChange(listener);
  }

  @Override
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      Future.all(commands.close(), notices.close()).eventually(client::close).<Void>mapEmpty().otherwiseEmpty()
          .onComplete(done);
    });
    return done.future();
  }
}
