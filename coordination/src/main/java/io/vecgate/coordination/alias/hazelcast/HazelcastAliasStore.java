package io.vecgate.coordination.alias.hazelcast;

import io.vecgate.coordination.alias.Alias;
import io.vecgate.coordination.alias.AliasChange;
import io.vecgate.coordination.alias.AliasErrors;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.alias.AliasStoreHealth;
import io.vecgate.coordination.alias.AliasTable;
import io.vecgate.coordination.alias.AliasTarget;
import io.vecgate.coordination.alias.LocalAliases;
import io.vecgate.files.JsonFileFormat;
import io.vecgate.protocol.api.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The alias store of standalone mode and the default of distributed mode: the whole alias table
 * (see {@link AliasTable}) in one entry of a map of the cluster's own Hazelcast (the Vert.x
 * cluster manager's instance), so that every change is one compare-and-set of that entry, retried
 * on contention, and every member hears of it through an entry listener.
 *
 * <p>Hazelcast keeps the table in member memory only: the writer therefore keeps a copy in its
 * data directory ({@link #persistTo}, a {@link JsonFileFormat#ALIASES} file): every change made
 * through its store is written there (atomically, fsynced) before it is acknowledged, changes
 * made elsewhere when they are heard of, and at start the copy is put back into the cluster
 * unless the cluster holds a newer table.
 *
 * <p>On a Vert.x that is not clustered (tests, tools) the table is a cell of that Vert.x instead
 * ({@link InProcessSlot}); the rules are the same.
 *
 * <p>Map operations block: they run on Vert.x worker threads.
 */
public final class HazelcastAliasStore implements AliasStore {

  private static final System.Logger LOG = System.getLogger(HazelcastAliasStore.class.getName());
  /** A full re-read this often heals anything a listener missed (aliases are few: it is cheap). */
  static final long RESYNC_MILLIS = 30_000;
  /** Compare-and-set attempts before a change gives up under contention. */
  private static final int MAX_ATTEMPTS = 64;

  private final Vertx vertx;
  private final TableSlot slot;
  private final int historyLength;
  private final LocalAliases local = new LocalAliases();
  private final Object fileLock = new Object();
  /** Where the writer keeps its copy, or null (guarded by fileLock). */
  private Path file;
  /** The revision last written to {@link #file} (guarded by fileLock). */
  private long persisted = -1;
  private Runnable unlisten;
  private long timer = -1;

  private HazelcastAliasStore(Vertx vertx, TableSlot slot, int historyLength) {
    this.vertx = vertx;
    this.slot = slot;
    this.historyLength = historyLength;
  }

  /**
   * Opens the store on {@code vertx}'s cluster (its Hazelcast cluster manager), or on a cell of
   * {@code vertx} when it is not clustered; completes once the local copy holds the table.
   */
  public static Future<AliasStore> open(Vertx vertx, AliasStoreConfig config) {
    TableSlot slot;
    if (vertx.isClustered()) {
      if (!(((VertxInternal) vertx).clusterManager() instanceof HazelcastClusterManager hz)) {
        return Future.failedFuture(new IllegalStateException("--alias-store hazelcast needs the Hazelcast cluster manager, "
            + "got " + ((VertxInternal) vertx).clusterManager().getClass().getName()));
      }
      slot = new HazelcastSlot(hz.getHazelcastInstance());
    } else {
      slot = InProcessSlot.of(vertx);
    }
    return open(vertx, slot, config.historyLength());
  }

  static Future<AliasStore> open(Vertx vertx, TableSlot slot, int historyLength) {
    HazelcastAliasStore s = new HazelcastAliasStore(vertx, slot, historyLength);
    return vertx.executeBlocking(() -> {
      s.unlisten = slot.listen(s::heard);
      return parse(slot.read(), "the cluster's alias table");
    }, false).map(table -> {
      s.takeTable(table);
      s.timer = vertx.setPeriodic(RESYNC_MILLIS, id -> s.resync());
      LOG.log(System.Logger.Level.INFO, "alias store: " + slot.describe() + ", revision " + s.local.revision() + ", "
          + s.local.all().size() + " aliases");
      return (AliasStore) s;
    });
  }

  @Override
  public String describe() {
    return AliasStoreConfig.HAZELCAST;
  }

  @Override
  public LocalAliases local() {
    return local;
  }

  @Override
  public AliasStoreHealth health() {
    boolean up = slot.running();
    return new AliasStoreHealth(up, up ? "alias store hazelcast: revision " + local.revision()
        : "alias store hazelcast: the Hazelcast member is not running; serving the last known aliases (revision "
            + local.revision() + ")");
  }

  // ---- reads ----

  @Override
  public Future<Optional<Alias>> get(String name) {
    return read().map(t -> t.get(name));
  }

  @Override
  public Future<List<Alias>> list() {
    return read().map(AliasTable::aliases);
  }

  private Future<AliasTable> read() {
    return blocking(() -> parse(slot.read(), "the cluster's alias table")).onSuccess(this::takeTable);
  }

  // ---- changes ----

  @Override
  public Future<Alias> create(String name, AliasTarget target) {
    return change(t -> t.create(name, target));
  }

  @Override
  public Future<Alias> switchTo(String name, AliasTarget expected, AliasTarget next) {
    return change(t -> t.switchTo(name, expected, next, historyLength));
  }

  @Override
  public Future<Alias> rollback(String name, AliasTarget expected) {
    return change(t -> t.rollback(name, expected));
  }

  @Override
  public Future<Alias> delete(String name) {
    return change(t -> t.delete(name));
  }

  @Override
  public Future<Alias> setBuilding(String name, AliasTarget target) {
    return change(t -> t.setBuilding(name, target));
  }

  @Override
  public Future<Optional<Alias>> clearBuilding(String name) {
    return change(t -> t.clearBuilding(name)).map(Optional::ofNullable);
  }

  @Override
  public Future<List<String>> forgetSpace(String db, String space) {
    return apply(t -> {
      AliasTable.Forget f = t.forgetSpace(new AliasTarget(db, space));
      return new Outcome<>(f.table(), f.deleted());
    });
  }

  private Future<Alias> change(Function<AliasTable, AliasTable.Change> op) {
    return apply(t -> {
      AliasTable.Change c = op.apply(t);
      return new Outcome<>(c.table(), c.alias());
    });
  }

  /** The table after an operation and what the operation answers. */
  private record Outcome<T>(AliasTable table, T result) {}

  /**
   * Runs {@code op} on the current table and swaps the result in with one compare-and-set,
   * again from the new current table when another change won the race; a refusal of {@code op}
   * ends it with nothing changed.
   */
  private <T> Future<T> apply(Function<AliasTable, Outcome<T>> op) {
    return blocking(() -> {
      for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        String current = slot.read();
        AliasTable table = parse(current, "the cluster's alias table");
        Outcome<T> out = op.apply(table);
        if (out.table() == table) {
          return out.result();
        }
        String json = out.table().toJson();
        boolean swapped = current == null ? slot.putIfAbsent(json) == null : slot.replace(current, json);
        if (swapped) {
          persistOwn(out.table(), current, json);
          takeTable(out.table());
          return out.result();
        }
      }
      throw ApiException.unavailable("the alias table changed " + MAX_ATTEMPTS + " times while this change was tried; "
          + "retry it");
    });
  }

  // ---- the writer's copy ----

  @Override
  public Future<Void> persistTo(Path target) {
    return blocking(() -> {
      // A copy that fails its check refuses the writer's start: restoring nothing would lose every alias.
      AliasTable saved = Files.exists(target) ? JsonFileFormat.read(target, JsonFileFormat.ALIASES,
          (version, body) -> AliasTable.fromJson(body, "the alias table")) : null;
      for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        String current = slot.read();
        AliasTable cluster = parse(current, "the cluster's alias table");
        AliasTable kept = cluster;
        if (saved != null && (current == null || cluster.revision() < saved.revision())) {
          String json = saved.toJson();
          if (!(current == null ? slot.putIfAbsent(json) == null : slot.replace(current, json))) {
            continue;
          }
          kept = saved;
          LOG.log(System.Logger.Level.INFO, "alias store: restored " + saved.aliases().size() + " aliases (revision "
              + saved.revision() + ") from " + target);
        }
        synchronized (fileLock) {
          file = target;
          if (!kept.equals(saved)) {
            write(target, kept);
          }
          persisted = kept.revision();
        }
        takeTable(kept);
        return null;
      }
      throw new IOException("the alias table kept changing while " + target + " was restored");
    });
  }

  /** Writes a change made here before it is acknowledged; undoes it in the cluster when the write fails. */
  private void persistOwn(AliasTable table, String previous, String json) {
    synchronized (fileLock) {
      if (file == null) {
        return;
      }
      try {
        write(file, table);
        persisted = Math.max(persisted, table.revision());
      } catch (IOException e) {
        String back = previous != null ? previous : AliasTable.EMPTY.toJson();
        boolean undone = slot.replace(json, back);
        LOG.log(System.Logger.Level.ERROR, "alias store: writing " + file + " failed; the change was "
            + (undone ? "undone" : "NOT undone (the table changed meanwhile)"), e);
        throw new ApiException(500, "internal_error", "the alias change could not be recorded in " + file + " ("
            + e.getMessage() + ")" + (undone ? "; nothing changed" : ""));
      }
    }
  }

  /** A table heard from the cluster: into the local copy, and into the writer's copy when newer. */
  private void heard(String json) {
    AliasTable t;
    try {
      t = parse(json, "a change of the cluster's alias table");
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "alias store: ignoring " + e.getMessage());
      return;
    }
    takeTable(t);
    synchronized (fileLock) {
      if (file != null && t.revision() > persisted) {
        try {
          write(file, t);
          persisted = t.revision();
        } catch (IOException e) {
          LOG.log(System.Logger.Level.ERROR, "alias store: keeping a copy of alias revision " + t.revision() + " in "
              + file + " failed; the next change retries", e);
        }
      }
    }
  }

  private static void write(Path target, AliasTable t) throws IOException {
    JsonFileFormat.write(target, JsonFileFormat.ALIASES, t.toJson().getBytes(StandardCharsets.UTF_8));
  }

  // ---- the local copy ----

  @Override
  public Future<Void> sync(long revision) {
    return local.revision() >= revision ? Future.succeededFuture() : resync();
  }

  private Future<Void> resync() {
    return read().<Void>mapEmpty().onFailure(e -> LOG.log(System.Logger.Level.WARNING,
        "alias store: re-reading the alias table failed: " + e.getMessage()));
  }

  private void takeTable(AliasTable t) {
    local.applySnapshot(t.revision(), t.aliases());
  }

  private static AliasTable parse(String json, String what) throws IOException {
    return json == null ? AliasTable.EMPTY : AliasTable.fromJson(json, what);
  }

  @Override
  public Runnable onChange(Consumer<AliasChange> listener) {
    return local.onChange(listener);
  }

  @Override
  public Future<Void> close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    Runnable u = unlisten;
    return u == null ? Future.succeededFuture() : blocking(() -> {
      u.run();
      return null;
    });
  }

  /** Runs map operations on a worker thread; a member that is not running (shut down, left) is a 503. */
  private <T> Future<T> blocking(java.util.concurrent.Callable<T> task) {
    return vertx.executeBlocking(task, false).recover(e -> Future.failedFuture(
        e instanceof ApiException || slot.running() && !(e instanceof com.hazelcast.core.HazelcastException) ? e
            : AliasErrors.unavailable(AliasStoreConfig.HAZELCAST, e.getMessage())));
  }
}
