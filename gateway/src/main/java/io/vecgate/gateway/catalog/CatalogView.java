package io.vecgate.gateway.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.coordination.alias.AliasTarget;
import io.vecgate.coordination.alias.LocalAliases;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.space.SpaceSchema;
import io.vecgate.space.SpaceSchemas;
import java.util.HashMap;
import java.util.Map;

/**
 * One immutable revision of the writer's catalog as the gateway sees it: dbs and their spaces
 * (schema and newest published version). Built from the catalog JSON of docs/internals.md.
 * Aliases come from the alias store's local copy, given to {@link #resolve}.
 */
public final class CatalogView {

  /** A space and its newest published version (0 before the first). */
  public record SpaceEntry(SpaceSchema schema, long version) {}

  public static final CatalogView EMPTY = new CatalogView(-1, Map.of());

  private final long revision;
  private final Map<String, Map<String, SpaceEntry>> dbs;

  private CatalogView(long revision, Map<String, Map<String, SpaceEntry>> dbs) {
    this.revision = revision;
    this.dbs = dbs;
  }

  public static CatalogView fromJson(JsonNode json) {
    Map<String, Map<String, SpaceEntry>> dbs = new HashMap<>();
    for (JsonNode db : json.path("dbs")) {
      String dbName = db.path("name").asText();
      Map<String, SpaceEntry> spaces = new HashMap<>();
      for (JsonNode s : db.path("spaces")) {
        SpaceSchema schema = SpaceSchemas.parse(dbName, (ObjectNode) s.get("schema"));
        spaces.put(schema.name(), new SpaceEntry(schema, s.path("version").asLong()));
      }
      dbs.put(dbName, Map.copyOf(spaces));
    }
    return new CatalogView(json.path("revision").asLong(), Map.copyOf(dbs));
  }

  public long revision() {
    return revision;
  }

  /** Every space of every db. */
  public java.util.stream.Stream<SpaceEntry> spaces() {
    return dbs.values().stream().flatMap(m -> m.values().stream());
  }

  /**
   * The space called {@code name} in {@code db}, or the space the alias of that name serves
   * (looked up in {@code aliases}) when its db is {@code db}.
   *
   * @throws ApiException 404 naming the db or the space
   */
  public SpaceEntry resolve(String db, String name, LocalAliases aliases) {
    Map<String, SpaceEntry> spaces = dbs.get(db);
    if (spaces == null) {
      throw ApiException.notFound("db_not_exists", "db '" + db + "' does not exist");
    }
    SpaceEntry s = spaces.get(name);
    if (s == null) {
      AliasTarget a = aliases.resolve(name);
      if (a != null && a.db().equals(db)) {
        s = spaces.get(a.space());
      }
    }
    if (s == null) {
      throw ApiException.notFound("space_not_exists", "space '" + name + "' does not exist in db '" + db
          + "' (nor does an alias of that name)");
    }
    return s;
  }
}
