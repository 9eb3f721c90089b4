package io.vecgate.writer.service;

import static io.vecgate.writer.service.SpaceRegistry.required;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.common.json.StrictJson;
import io.vecgate.writer.catalog.Catalog;
import java.util.Map;
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

  CompletableFuture<WriterReply> createDb(byte[] body) {
    return spaces.onCatalog(() -> {
      String name = StrictJson.string(StrictJson.parseObject(body, "db.create"), "name", "", null);
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

  CompletableFuture<WriterReply> getDb(Map<String, String> headers) {
    return spaces.onCatalog(() -> {
      String db = required(headers, "db");
      ObjectNode o = Json.name(db);
      ArrayNode names = o.putArray("spaces");
      catalog.spaceNames(db).forEach(names::add);
      return Json.success(o);
    });
  }

  CompletableFuture<WriterReply> dropDb(Map<String, String> headers) {
    return spaces.onCatalog(() -> {
      String db = required(headers, "db");
      catalog.dropDb(db);
      spaces.catalogChanged();
      return Json.success(Json.name(db));
    });
  }

  /** The catalog as announced (read without the lane: {@link Catalog#toJson} is thread-safe). */
  CompletableFuture<WriterReply> get() {
    return CompletableFuture.completedFuture(new WriterReply(200, Json.bytes(catalog.toJson())));
  }
}
