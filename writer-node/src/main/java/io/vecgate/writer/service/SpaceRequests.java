package io.vecgate.writer.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.space.SpaceSchema;
import io.vecgate.space.SpaceSchemas;
import io.vecgate.store.DataLayout;
import io.vecgate.writer.store.SpaceStore;
import io.vecgate.writer.store.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Spaces: create, describe, list, drop, refresh and compact. Creates and drops run on the
 * catalog lane (a space's store is opened or dropped with its catalog entry), descriptions,
 * refreshes and compactions on the space's lane.
 */
final class SpaceRequests {

  private final SpaceRegistry spaces;
  private final SpaceRefresher refresher;
  private final WriterNotices notices;
  private final DataLayout layout;
  private final StoreConfig storeConfig;
  private final AliasRequests aliasRequests;

  SpaceRequests(SpaceRegistry spaces, SpaceRefresher refresher, WriterNotices notices, DataLayout layout,
      StoreConfig storeConfig, AliasRequests aliasRequests) {
    this.spaces = spaces;
    this.aliasRequests = aliasRequests;
    this.refresher = refresher;
    this.notices = notices;
    this.layout = layout;
    this.storeConfig = storeConfig;
  }

  CompletableFuture<WriterReply> create(String db, ObjectNode req) {
    return spaces.onCatalog(() -> {
      // Parse (and refuse) before touching anything, and fail early on duplicates.
      SpaceSchema parsed = SpaceSchemas.parse(db, req);
      if (spaces.catalog.spaceNames(db).contains(parsed.name())) {
        throw ApiException.conflict("space_exists_exception", "space '" + parsed.name() + "' already exists in db '" + db + "'");
      }
      // Files of an earlier space of this name (a drop cut short by a crash) must not come back.
      deleteSpaceFiles(db, parsed.name());
      SpaceStore store = SpaceStore.open(parsed, layout, storeConfig);
      SpaceSchema schema;
      try {
        schema = spaces.catalog.createSpace(db, req);
      } catch (IOException | RuntimeException e) {
        store.drop();
        throw e;
      }
      spaces.add(new SpaceLane(schema, store));
      spaces.catalogChanged();
      return Json.success(Json.describe(schema, store.stats()));
    });
  }

  CompletableFuture<WriterReply> get(String db, String space) {
    SpaceLane lane = spaces.lane(db, space);
    return lane.run(() -> Json.success(Json.describe(lane.schema, lane.store.stats())));
  }

  CompletableFuture<WriterReply> list(String db) {
    return spaces.onCatalog(() -> spaces.catalog.spaceNames(db)).thenCompose(names -> {
      List<CompletableFuture<ObjectNode>> descs = new ArrayList<>();
      for (String n : names) {
        SpaceLane lane = spaces.get(db, n);
        if (lane != null) {
          descs.add(lane.run(() -> Json.describe(lane.schema, lane.store.stats())));
        }
      }
      return CompletableFuture.allOf(descs.toArray(CompletableFuture[]::new)).thenApply(v -> {
        ArrayNode a = StrictJson.MAPPER.createArrayNode();
        descs.forEach(d -> a.add(d.join()));
        return Json.success(a);
      });
    });
  }

  /** Seals and publishes the space's buffered writes and deletes before answering. */
  CompletableFuture<WriterReply> refresh(String db, String space) {
    SpaceLane lane = spaces.lane(db, space);
    return lane.run(() -> {
      long version = refresher.sealNow(lane);
      return Json.success(Json.object().put("version", version)).withVersion(version);
    });
  }

  /**
   * {@code space.compact}: seals and starts compacting every partition into one indexed segment
   * now; answers at once with the version published so far (the description says when the
   * index is built and published).
   */
  CompletableFuture<WriterReply> compact(String db, String space) {
    SpaceLane lane = spaces.lane(db, space);
    return lane.run(() -> {
      refresher.compactNow(lane);
      return Json.success(Json.describe(lane.schema, lane.store.stats()));
    });
  }

  CompletableFuture<WriterReply> drop(String db, String space) {
    return spaces.onCatalog(() -> {
      spaces.catalog.space(db, space);
      // Aliases first: a store that cannot be reached refuses the drop before anything is gone.
      List<String> deletedAliases = aliasRequests.forgetSpace(db, space);
      SpaceLane lane = spaces.remove(db, space);
      spaces.catalog.dropSpace(db, space);
      if (lane != null) {
        lane.closed = true;
        // Runs after the writes already queued on the lane (they fail as not found from now on).
        CompletableFuture<Void> dropped = new CompletableFuture<>();
        lane.exec.execute(() -> {
          try {
            lane.store.drop();
            dropped.complete(null);
          } catch (Throwable t) {
            dropped.completeExceptionally(t);
          }
        });
        lane.exec.shutdown();
        dropped.join();
      } else {
        deleteSpaceFiles(db, space);
      }
      notices.spaceDropped(db, space);
      spaces.catalogChanged();
      ObjectNode data = Json.object().put("db", db).put("name", space);
      ArrayNode gone = data.putArray("aliases_deleted");
      deletedAliases.forEach(gone::add);
      return Json.success(data);
    });
  }

  private void deleteSpaceFiles(String db, String space) throws IOException {
    for (Path dir : List.of(layout.walDir(db, space), layout.spaceDir(db, space))) {
      if (Files.exists(dir)) {
        try (Stream<Path> walk = Files.walk(dir)) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }
}
