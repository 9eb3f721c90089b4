package io.vecgate.gateway.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.common.api.ApiException;
import io.vecgate.common.space.SpaceSchema;
import io.vecgate.common.space.SpaceSchemas;
import java.util.HashMap;
import java.util.Map;

/**
 * One immutable revision of the writer's catalog as the gateway sees it: dbs, their spaces
 * (schema and newest published version), and aliases. Built from the catalog JSON of
 * docs/internals.md.
 */
public final class CatalogView {

  /** A space and its newest published version (0 before the first). */
  public record SpaceEntry(SpaceSchema schema, long version) {}

  /** Where an alias points. */
  public record AliasTarget(String db, String space) {}

  public static final CatalogView EMPTY = new CatalogView(-1, Map.of(), Map.of());

  private final long revision;
  private final Map<String, Map<String, SpaceEntry>> dbs;
  private final Map<String, AliasTarget> aliases;

  private CatalogView(long revision, Map<String, Map<String, SpaceEntry>> dbs, Map<String, AliasTarget> aliases) {
    this.revision = revision;
    this.dbs = dbs;
    this.aliases = aliases;
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
    Map<String, AliasTarget> aliases = new HashMap<>();
    for (JsonNode a : json.path("aliases")) {
      aliases.put(a.path("name").asText(), new AliasTarget(a.path("db").asText(), a.path("space").asText()));
    }
    return new CatalogView(json.path("revision").asLong(), Map.copyOf(dbs), Map.copyOf(aliases));
  }

  public long revision() {
    return revision;
  }

  /**
   * The space called {@code name} in {@code db}, or the space an alias of that name points to
   * when its db is {@code db}.
   *
   * @throws ApiException 404 naming the db or the space
   */
  public SpaceEntry resolve(String db, String name) {
    Map<String, SpaceEntry> spaces = dbs.get(db);
    if (spaces == null) {
      throw ApiException.notFound("db_not_exists", "db '" + db + "' does not exist");
    }
    SpaceEntry s = spaces.get(name);
    if (s == null) {
      AliasTarget a = aliases.get(name);
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

  public Map<String, AliasTarget> aliases() {
    return aliases;
  }
}
