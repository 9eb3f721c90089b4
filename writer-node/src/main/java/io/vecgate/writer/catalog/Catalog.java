package io.vecgate.writer.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.common.api.ApiException;
import io.vecgate.common.json.StrictJson;
import io.vecgate.common.space.SpaceSchema;
import io.vecgate.common.space.SpaceSchemas;
import io.vecgate.engine.segment.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writer's catalog: dbs, their spaces (kept as their create bodies) and aliases, with a
 * revision that grows by one on every change. Every change is written to {@code catalog.json}
 * atomically (temporary file, fsync, rename) before it becomes visible, so a refused or failed
 * change leaves both memory and disk as they were.
 *
 * <p>Thread-safe: every method is synchronized (changes are rare and small).
 *
 * <p>JSON form (as {@code catalog.get} answers and the file holds):
 * <pre>{@code
 * {"revision": 7,
 *  "dbs": [{"name": "shop", "spaces": [{"name": "items", "schema": {create body}, "version": 3}]}],
 *  "aliases": [{"name": "items_live", "db": "shop", "space": "items"}]}
 * }</pre>
 */
public final class Catalog {

  /** A space of the catalog: its parsed schema and newest published version (0 before the first). */
  public record SpaceEntry(SpaceSchema schema, long version) {}

  /** An alias: a global name for one space of one db. */
  public record Alias(String name, String db, String space) {}

  /** Copy-on-write state: a change builds a new one, persists it, then swaps it in. */
  private record State(long revision, Map<String, Map<String, SpaceEntry>> dbs, Map<String, Alias> aliases) {
    State copy() {
      Map<String, Map<String, SpaceEntry>> d = new LinkedHashMap<>();
      dbs.forEach((k, v) -> d.put(k, new LinkedHashMap<>(v)));
      return new State(revision + 1, d, new LinkedHashMap<>(aliases));
    }
  }

  private final Path file;
  private State state;

  private Catalog(Path file, State state) {
    this.file = file;
    this.state = state;
  }

  /** Loads {@code file}, or starts empty (revision 0) when it does not exist. */
  public static Catalog open(Path file) throws IOException {
    if (!Files.exists(file)) {
      return new Catalog(file, new State(0, new LinkedHashMap<>(), new LinkedHashMap<>()));
    }
    return new Catalog(file, fromJson(StrictJson.parseObject(Files.readAllBytes(file), file.toString())));
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

  /** Removes a space and the aliases that point at it. */
  public synchronized void dropSpace(String db, String space) throws IOException {
    space(db, space);
    State next = state.copy();
    next.dbs.get(db).remove(space);
    next.aliases.values().removeIf(a -> a.db().equals(db) && a.space().equals(space));
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

  /** A space by name, or by the name of an alias whose db is {@code db}. */
  public synchronized SpaceEntry resolve(String db, String spaceOrAlias) {
    Map<String, SpaceEntry> spaces = spacesOf(db);
    SpaceEntry e = spaces.get(spaceOrAlias);
    if (e != null) {
      return e;
    }
    Alias a = state.aliases.get(spaceOrAlias);
    if (a != null && a.db().equals(db) && spaces.containsKey(a.space())) {
      return spaces.get(a.space());
    }
    return space(db, spaceOrAlias);
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

  // ---- aliases ----

  /** Creates ({@code replace} false) or switches ({@code replace} true) an alias to an existing space. */
  public synchronized Alias putAlias(String name, String db, String space, boolean replace) throws IOException {
    SpaceSchemas.checkName("alias", name);
    space(db, space);
    boolean exists = state.aliases.containsKey(name);
    if (!replace && exists) {
      throw ApiException.conflict("alias_exists_exception", "alias '" + name + "' already exists; switch it with PUT");
    }
    if (replace && !exists) {
      throw aliasNotFound(name);
    }
    Alias a = new Alias(name, db, space);
    State next = state.copy();
    next.aliases.put(name, a);
    commit(next);
    return a;
  }

  public synchronized Alias alias(String name) {
    Alias a = state.aliases.get(name);
    if (a == null) {
      throw aliasNotFound(name);
    }
    return a;
  }

  public synchronized List<Alias> aliases() {
    return List.copyOf(state.aliases.values());
  }

  public synchronized Alias deleteAlias(String name) throws IOException {
    Alias a = alias(name);
    State next = state.copy();
    next.aliases.remove(name);
    commit(next);
    return a;
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
    ArrayNode aliases = root.putArray("aliases");
    state.aliases.values().forEach(a -> aliases.addObject().put("name", a.name()).put("db", a.db()).put("space", a.space()));
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
    Map<String, Alias> aliases = new LinkedHashMap<>();
    for (JsonNode a : root.path("aliases")) {
      Alias alias = new Alias(a.get("name").textValue(), a.get("db").textValue(), a.get("space").textValue());
      aliases.put(alias.name(), alias);
    }
    return new State(root.path("revision").asLong(0), dbs, aliases);
  }

  private Map<String, SpaceEntry> spacesOf(String db) {
    Map<String, SpaceEntry> spaces = state.dbs.get(db);
    if (spaces == null) {
      throw ApiException.notFound("db_not_found_exception", "db '" + db + "' not found");
    }
    return spaces;
  }

  private static ApiException aliasNotFound(String name) {
    return ApiException.notFound("alias_not_found_exception", "alias '" + name + "' not found");
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
    Files.createDirectories(file.toAbsolutePath().getParent());
    AtomicFiles.write(file, ch -> {
      ByteBuffer b = ByteBuffer.wrap(json);
      while (b.hasRemaining()) {
        ch.write(b);
      }
    });
    state = next;
  }
}
