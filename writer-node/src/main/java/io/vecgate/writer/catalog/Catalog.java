package io.vecgate.writer.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.files.CorruptFileException;
import io.vecgate.files.JsonFileFormat;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.space.SpaceSchema;
import io.vecgate.space.SpaceSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writer's catalog: dbs and their spaces (kept as their create bodies), with a revision that
 * grows by one on every change. Every change is written to {@code catalog.json} atomically
 * (temporary file, fsync, rename) before it becomes visible, so a refused or failed change leaves
 * both memory and disk as they were.
 *
 * <p>Aliases are not here: they live in the alias store ({@code io.vecgate.coordination.alias}).
 * A {@code catalog.json} written before that may still list them; {@link #legacyAliases()} gives
 * them to the writer, which moves them into the store, and the next change writes the file
 * without them.
 *
 * <p>Thread-safe: every method is synchronized (changes are rare and small).
 *
 * <p>JSON form (as {@code catalog.get} answers, and the body of the file, whose format is
 * {@link JsonFileFormat#CATALOG}):
 * <pre>{@code
 * {"revision": 7,
 *  "dbs": [{"name": "shop", "spaces": [{"name": "items", "schema": {create body}, "version": 3}]}]}
 * }</pre>
 */
public final class Catalog {

  /** A space of the catalog: its parsed schema and newest published version (0 before the first). */
  public record SpaceEntry(SpaceSchema schema, long version) {}

  /** An alias of a {@code catalog.json} written before aliases moved to the alias store. */
  public record LegacyAlias(String name, String db, String space) {}

  /** Copy-on-write state: a change builds a new one, persists it, then swaps it in. */
  private record State(long revision, Map<String, Map<String, SpaceEntry>> dbs) {
    State copy() {
      Map<String, Map<String, SpaceEntry>> d = new LinkedHashMap<>();
      dbs.forEach((k, v) -> d.put(k, new LinkedHashMap<>(v)));
      return new State(revision + 1, d);
    }
  }

  private final Path file;
  private final List<LegacyAlias> legacyAliases;
  private State state;

  private Catalog(Path file, State state, List<LegacyAlias> legacyAliases) {
    this.file = file;
    this.state = state;
    this.legacyAliases = legacyAliases;
  }

  /**
   * Loads {@code file} (any format version {@link JsonFileFormat} reads), or starts empty
   * (revision 0) when it does not exist.
   *
   * @throws CorruptFileException naming the file when it fails its check: the writer does not
   *     start on a catalog it cannot trust (starting empty would lose every space)
   */
  public static Catalog open(Path file) throws IOException {
    if (!Files.exists(file)) {
      return new Catalog(file, new State(0, new LinkedHashMap<>()), List.of());
    }
    return JsonFileFormat.read(file, JsonFileFormat.CATALOG, (version, root) -> {
      List<LegacyAlias> legacy = new ArrayList<>();
      for (JsonNode a : root.path("aliases")) {
        legacy.add(new LegacyAlias(a.get("name").textValue(), a.get("db").textValue(), a.get("space").textValue()));
      }
      return new Catalog(file, fromJson(root), List.copyOf(legacy));
    });
  }

  /** The aliases {@code catalog.json} still listed when it was opened (written by an older writer). */
  public List<LegacyAlias> legacyAliases() {
    return legacyAliases;
  }

  /** Writes the file again (without the legacy aliases, once they are in the alias store). */
  public synchronized void rewrite() throws IOException {
    commit(state.copy());
  }

  public synchronized long revision() {
    return state.revision;
  }

  // ---- dbs ----

  public synchronized void createDb(String name) throws IOException {
    SpaceSchemas.checkName("name", name);
    if (state.dbs.containsKey(name)) {
      throw ApiException.conflict("db_exists_exception", "db '" + name + "' already exists");
    }
    State next = state.copy();
    next.dbs.put(name, new LinkedHashMap<>());
    commit(next);
  }

  /** Drops an empty db. */
  public synchronized void dropDb(String name) throws IOException {
    Map<String, SpaceEntry> spaces = spacesOf(name);
    if (!spaces.isEmpty()) {
      throw ApiException.conflict("db_not_empty_exception", "db '" + name + "' still has spaces " + spaces.keySet()
          + "; drop them first");
    }
    State next = state.copy();
    next.dbs.remove(name);
    commit(next);
  }

  public synchronized List<String> dbNames() {
    return List.copyOf(state.dbs.keySet());
  }

  /** The space names of a db. @throws ApiException 404 when the db does not exist */
  public synchronized List<String> spaceNames(String db) {
    return List.copyOf(spacesOf(db).keySet());
  }

  // ---- spaces ----

  /** Parses and adds a space; returns its schema. */
  public synchronized SpaceSchema createSpace(String db, ObjectNode body) throws IOException {
    spacesOf(db);
    SpaceSchema schema = SpaceSchemas.parse(db, body);
    if (state.dbs.get(db).containsKey(schema.name())) {
      throw ApiException.conflict("space_exists_exception", "space '" + schema.name() + "' already exists in db '" + db + "'");
    }
    State next = state.copy();
    next.dbs.get(db).put(schema.name(), new SpaceEntry(schema, 0));
    commit(next);
    return schema;
  }

  /** Removes a space (the writer has made the alias store forget it first). */
  public synchronized void dropSpace(String db, String space) throws IOException {
    space(db, space);
    State next = state.copy();
    next.dbs.get(db).remove(space);
    commit(next);
  }

  /** @throws ApiException 404 naming the db or the space */
  public synchronized SpaceEntry space(String db, String space) {
    SpaceEntry e = spacesOf(db).get(space);
    if (e == null) {
      throw ApiException.notFound("space_not_found_exception", "space '" + space + "' not found in db '" + db + "'");
    }
    return e;
  }

  /** The space, or null when {@code db} has none of that name. @throws ApiException 404 naming the db */
  public synchronized SpaceEntry find(String db, String space) {
    return spacesOf(db).get(space);
  }

  /** Every space of every db. */
  public synchronized List<SpaceEntry> allSpaces() {
    List<SpaceEntry> out = new ArrayList<>();
    state.dbs.values().forEach(m -> out.addAll(m.values()));
    return out;
  }

  /** Records the newest published version of a space (a catalog change: the revision grows). */
  public synchronized void setVersion(String db, String space, long version) throws IOException {
    SpaceEntry e = space(db, space);
    if (e.version() == version) {
      return;
    }
    State next = state.copy();
    next.dbs.get(db).put(space, new SpaceEntry(e.schema(), version));
    commit(next);
  }

  // ---- JSON ----

  /** The catalog in its JSON form. */
  public synchronized ObjectNode toJson() {
    ObjectNode root = StrictJson.MAPPER.createObjectNode();
    root.put("revision", state.revision);
    ArrayNode dbs = root.putArray("dbs");
    state.dbs.forEach((name, spaces) -> {
      ObjectNode d = dbs.addObject();
      d.put("name", name);
      ArrayNode sa = d.putArray("spaces");
      spaces.values().forEach(s -> {
        ObjectNode so = sa.addObject();
        so.put("name", s.schema().name());
        so.set("schema", s.schema().body().deepCopy());
        so.put("version", s.version());
      });
    });
    return root;
  }

  private static State fromJson(ObjectNode root) {
    Map<String, Map<String, SpaceEntry>> dbs = new LinkedHashMap<>();
    for (JsonNode d : root.path("dbs")) {
      String db = d.get("name").textValue();
      Map<String, SpaceEntry> spaces = new LinkedHashMap<>();
      for (JsonNode s : d.path("spaces")) {
        SpaceSchema schema = SpaceSchemas.parse(db, (ObjectNode) s.get("schema"));
        spaces.put(schema.name(), new SpaceEntry(schema, s.path("version").asLong(0)));
      }
      dbs.put(db, spaces);
    }
    return new State(root.path("revision").asLong(0), dbs);
  }

  private Map<String, SpaceEntry> spacesOf(String db) {
    Map<String, SpaceEntry> spaces = state.dbs.get(db);
    if (spaces == null) {
      throw ApiException.notFound("db_not_found_exception", "db '" + db + "' not found");
    }
    return spaces;
  }

  /** Writes {@code next} durably, then makes it the state; on an I/O error nothing changes. */
  private void commit(State next) throws IOException {
    State previous = state;
    state = next;
    byte[] json;
    try {
      json = StrictJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson());
    } finally {
      state = previous;
    }
    JsonFileFormat.write(file, JsonFileFormat.CATALOG, json);
    state = next;
  }
}
