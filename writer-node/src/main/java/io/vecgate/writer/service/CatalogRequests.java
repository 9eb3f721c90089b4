package io.vecgate.writer.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.writer.catalog.Catalog;
import java.util.concurrent.CompletableFuture;

/**
 * {@code db.*} and {@code catalog.get}: catalog reads and changes, run on the catalog lane;
 * every change is announced.
 */
final class CatalogRequests {

  private final SpaceRegistry spaces;
  private final Catalog catalog;

  CatalogRequests(SpaceRegistry spaces) {
    this.spaces = spaces;
    this.catalog = spaces.catalog;
  }

  CompletableFuture<WriterReply> createDb(String name) {
    return spaces.onCatalog(() -> {
      catalog.createDb(name);
      spaces.catalogChanged();
      return Json.success(Json.name(name));
    });
  }

  CompletableFuture<WriterReply> listDbs() {
    return spaces.onCatalog(() -> {
      ArrayNode a = StrictJson.MAPPER.createArrayNode();
      catalog.dbNames().forEach(n -> a.add(Json.name(n)));
      return Json.success(a);
    });
  }

  CompletableFuture<WriterReply> getDb(String db) {
    return spaces.onCatalog(() -> {
      ObjectNode o = Json.name(db);
      ArrayNode names = o.putArray("spaces");
      catalog.spaceNames(db).forEach(names::add);
      return Json.success(o);
    });
  }

  CompletableFuture<WriterReply> dropDb(String db) {
    return spaces.onCatalog(() -> {
      catalog.dropDb(db);
      spaces.catalogChanged();
      return Json.success(Json.name(db));
    });
  }

  /** The catalog as announced (read without the lane: {@link Catalog#toJson} is thread-safe). */
  CompletableFuture<WriterReply> get() {
    return CompletableFuture.completedFuture(WriterReply.of(200, catalog.toJson()));
  }
}
