package io.vecgate.coordination.alias;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.json.StrictJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every alias of a deployment as one immutable value with one revision: the state the Hazelcast
 * store keeps in a single map entry (so that a change is one compare-and-set of that entry) and
 * the writer keeps in {@code aliases.json} (as the body of a
 * {@link io.vecgate.files.JsonFileFormat#ALIASES} file). Its operations are the rules of
 * {@link AliasStore}, as pure functions: each returns the next table (revision + 1) and the alias
 * it changed, or throws the refusal of {@link AliasErrors}.
 *
 * <p>JSON form:
 * <pre>{@code
 * {"revision": 7,
 *  "aliases": [{"name": "items", "serving": "shop/items_v3", "building": "shop/items_v4",
 *               "history": ["shop/items_v2", "shop/items_v1"], "revision": 7}]}
 * }</pre>
 */
public final class AliasTable {

  public static final AliasTable EMPTY = new AliasTable(0, new TreeMap<>());

  /** A change: the table after it, and the alias after it (null when it went away). */
  public record Change(AliasTable table, Alias alias) {}

  private final long revision;
  private final TreeMap<String, Alias> aliases;

  private AliasTable(long revision, TreeMap<String, Alias> aliases) {
    this.revision = revision;
    this.aliases = aliases;
  }

  public static AliasTable of(long revision, Collection<Alias> aliases) {
    TreeMap<String, Alias> m = new TreeMap<>();
    aliases.forEach(a -> m.put(a.name(), a));
    return new AliasTable(revision, m);
  }

  public long revision() {
    return revision;
  }

  /** Every alias, by name. */
  public List<Alias> aliases() {
    return List.copyOf(aliases.values());
  }

  public Optional<Alias> get(String name) {
    return Optional.ofNullable(aliases.get(name));
  }

  // ---- the operations of AliasStore ----

  public Change create(String name, AliasTarget target) {
    Alias a = aliases.get(name);
    if (a != null && a.serves()) {
      throw AliasErrors.exists(name, a.serving());
    }
    AliasTarget building = a != null && !target.equals(a.building()) ? a.building() : null;
    List<AliasTarget> history = a == null ? List.of() : without(a.history(), target);
    return put(new Alias(name, target, building, history, 0));
  }

  public Change switchTo(String name, AliasTarget expected, AliasTarget next, int historyLength) {
    Alias a = serving(name);
    if (expected != null && !expected.equals(a.serving())) {
      throw AliasErrors.conflict(name, expected, a.serving());
    }
    if (a.serving().equals(next)) {
      return new Change(this, a);
    }
    List<AliasTarget> history = new ArrayList<>();
    history.add(a.serving());
    history.addAll(without(without(a.history(), a.serving()), next));
    if (history.size() > historyLength) {
      history = history.subList(0, historyLength);
    }
    AliasTarget building = next.equals(a.building()) ? null : a.building();
    return put(new Alias(name, next, building, history, 0));
  }

  public Change rollback(String name, AliasTarget expected) {
    Alias a = serving(name);
    if (expected != null && !expected.equals(a.serving())) {
      throw AliasErrors.conflict(name, expected, a.serving());
    }
    if (a.history().isEmpty()) {
      throw AliasErrors.noHistory(name, a.serving());
    }
    AliasTarget previous = a.history().getFirst();
    AliasTarget building = previous.equals(a.building()) ? null : a.building();
    return put(new Alias(name, previous, building, a.history().subList(1, a.history().size()), 0));
  }

  /** Deletes {@code name}; the change's alias is what it was (with the revision of the deletion). */
  public Change delete(String name) {
    Alias a = serving(name);
    TreeMap<String, Alias> m = new TreeMap<>(aliases);
    m.remove(name);
    return new Change(new AliasTable(revision + 1, m), a.withRevision(revision + 1));
  }

  public Change setBuilding(String name, AliasTarget target) {
    Alias a = aliases.get(name);
    if (a != null && target.equals(a.building())) {
      return new Change(this, a);
    }
    return put(a == null ? new Alias(name, null, target, List.of(), 0)
        : new Alias(name, a.serving(), target, a.history(), 0));
  }

  public Change clearBuilding(String name) {
    Alias a = aliases.get(name);
    if (a == null || a.building() == null) {
      return new Change(this, a);
    }
    if (!a.serves()) {
      TreeMap<String, Alias> m = new TreeMap<>(aliases);
      m.remove(name);
      return new Change(new AliasTable(revision + 1, m), null);
    }
    return put(new Alias(name, a.serving(), null, a.history(), 0));
  }

  /** {@link AliasStore#forgetSpace}: the next table and the deleted aliases (the same table when nothing refers to it). */
  public record Forget(AliasTable table, List<String> deleted) {}

  public Forget forgetSpace(AliasTarget space) {
    TreeMap<String, Alias> m = new TreeMap<>();
    List<String> deleted = new ArrayList<>();
    boolean changed = false;
    for (Alias a : aliases.values()) {
      if (space.equals(a.serving())) {
        deleted.add(a.name());
        changed = true;
        continue;
      }
      AliasTarget building = space.equals(a.building()) ? null : a.building();
      List<AliasTarget> history = without(a.history(), space);
      if (building == a.building() && history.size() == a.history().size()) {
        m.put(a.name(), a);
      } else {
        changed = true;
        if (a.serves() || building != null) {
          m.put(a.name(), new Alias(a.name(), a.serving(), building, history, revision + 1));
        }
      }
    }
    return changed ? new Forget(new AliasTable(revision + 1, m), deleted) : new Forget(this, List.of());
  }

  private Alias serving(String name) {
    Alias a = aliases.get(name);
    if (a == null || !a.serves()) {
      throw AliasErrors.notFound(name);
    }
    return a;
  }

  private Change put(Alias a) {
    Alias stamped = a.withRevision(revision + 1);
    TreeMap<String, Alias> m = new TreeMap<>(aliases);
    m.put(a.name(), stamped);
    return new Change(new AliasTable(revision + 1, m), stamped);
  }

  private static List<AliasTarget> without(List<AliasTarget> list, AliasTarget t) {
    return list.stream().filter(x -> !x.equals(t)).toList();
  }

  // ---- JSON ----

  public String toJson() {
    ObjectNode root = StrictJson.MAPPER.createObjectNode();
    root.put("revision", revision);
    ArrayNode arr = root.putArray("aliases");
    aliases.values().forEach(a -> arr.add(AliasJson.stored(a)));
    try {
      return StrictJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("an alias table failed to serialise", e);
    }
  }

  /**
   * Parses the JSON form.
   *
   * @param what names the source in the error (a file, a map entry)
   * @throws IOException when it is not an alias table
   */
  public static AliasTable fromJson(String json, String what) throws IOException {
    JsonNode root;
    try {
      root = StrictJson.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IOException(what + ": not JSON: " + e.getMessage(), e);
    }
    return fromJson(root, what);
  }

  /** As {@link #fromJson(String, String)}, from parsed JSON (the body of {@code aliases.json}). */
  public static AliasTable fromJson(JsonNode root, String what) throws IOException {
    if (root == null || !root.path("revision").canConvertToLong() || !root.path("aliases").isArray()) {
      throw new IOException(what + ": expected {\"revision\": n, \"aliases\": [...]}, got " + StrictJson.describe(root));
    }
    List<Alias> list = new ArrayList<>();
    for (JsonNode a : root.get("aliases")) {
      try {
        list.add(AliasJson.parseStored(a));
      } catch (IllegalArgumentException e) {
        throw new IOException(what + ": " + e.getMessage(), e);
      }
    }
    return of(root.get("revision").asLong(), list);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AliasTable t && t.revision == revision && t.aliases.equals(aliases);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(revision) * 31 + aliases.hashCode();
  }
}
