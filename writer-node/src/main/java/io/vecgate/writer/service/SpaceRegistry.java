package io.vecgate.writer.service;

import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasTarget;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.space.SpaceSchema;
import io.vecgate.writer.catalog.Catalog;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The catalog with the lane its changes run on, and the lanes of the open spaces by name.
 * Lanes are added and removed on the catalog lane; lookups may come from any thread.
 */
final class SpaceRegistry {

  private static final System.Logger LOG = System.getLogger(SpaceRegistry.class.getName());

  final Catalog catalog;
  private final WriterNotices notices;
  /** The deployment's alias store, or null for a writer without aliases (tools, tests). */
  private final AliasStore aliases;
  private final ExecutorService catalogLane = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().daemon().name("writer-catalog").factory());
  private final Map<String, SpaceLane> lanes = new ConcurrentHashMap<>();

  SpaceRegistry(Catalog catalog, WriterNotices notices, AliasStore aliases) {
    this.catalog = catalog;
    this.notices = notices;
    this.aliases = aliases;
  }

  /** The alias store, or null when this writer runs without one. */
  AliasStore aliases() {
    return aliases;
  }

  /** The alias store; a writer without one answers alias operations with 503. */
  AliasStore aliasStore() {
    if (aliases == null) {
      throw ApiException.unavailable("this writer runs without an alias store");
    }
    return aliases;
  }

  /** The lane of a space named directly or through an alias of its db (resolved in the alias store's local copy). */
  SpaceLane lane(String db, String spaceOrAlias) {
    Catalog.SpaceEntry entry = catalog.find(db, spaceOrAlias);
    if (entry == null && aliases != null) {
      AliasTarget t = aliases.local().resolve(spaceOrAlias);
      if (t != null && t.db().equals(db)) {
        entry = catalog.find(db, t.space());
      }
    }
    SpaceSchema schema = entry != null ? entry.schema() : catalog.space(db, spaceOrAlias).schema();
    SpaceLane lane = lanes.get(key(db, schema.name()));
    if (lane == null) {
      throw SpaceLane.spaceGone(db, schema.name());
    }
    return lane;
  }

  /** The lane of space {@code space} of {@code db}, or null. */
  SpaceLane get(String db, String space) {
    return lanes.get(key(db, space));
  }

  void add(SpaceLane lane) {
    lanes.put(key(lane.db(), lane.name()), lane);
  }

  SpaceLane remove(String db, String space) {
    return lanes.remove(key(db, space));
  }

  Collection<SpaceLane> all() {
    return lanes.values();
  }

  /**
   * Shuts the catalog lane down, then closes every store on its lane (after the tasks queued
   * there) and shuts the lanes down, waiting for each; forgets every lane.
   */
  void closeAll() {
    SpaceLane.shutdown(catalogLane);
    for (SpaceLane lane : lanes.values()) {
      try {
        lane.exec.execute(() -> {
          try {
            lane.compaction = null;
            lane.store.close();
          } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + lane.db() + "/" + lane.name(), e);
          }
        });
      } catch (RejectedExecutionException e) {
        // Already shut down (dropped).
      }
      SpaceLane.shutdown(lane.exec);
    }
    lanes.clear();
  }

  /** Runs {@code task} on the catalog lane. */
  <T> CompletableFuture<T> onCatalog(Callable<T> task) {
    return SpaceLane.run(catalogLane, task, null);
  }

  /** Announces the catalog after a change. */
  void catalogChanged() {
    notices.catalogChanged(catalog.toJson());
  }

  private static String key(String db, String space) {
    return db + '\u0000' + space;
  }
}
