package io.vecgate.coordination.alias;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.json.StrictJson;
import java.util.ArrayList;
import java.util.List;

/**
 * The two JSON forms of an alias.
 *
 * <ul>
 *   <li>Stored (the Hazelcast table, {@code aliases.json}, Redis notices and reads):
 *       {@code {"name", "serving": "db/space", "building": "db/space", "history": ["db/space"], "revision"}},
 *       absent keys for absent targets.
 *   <li>API (the {@code data} of the alias routes): {@code {"name", "db", "space"}} as Vearch
 *       answers, plus {@code "building": {"db", "space"}} when one is set and
 *       {@code "history": [{"db", "space"}]}, newest first.
 * </ul>
 */
public final class AliasJson {

  private AliasJson() {}

  public static ObjectNode stored(Alias a) {
    ObjectNode o = StrictJson.MAPPER.createObjectNode();
    o.put("name", a.name());
    if (a.serving() != null) {
      o.put("serving", a.serving().key());
    }
    if (a.building() != null) {
      o.put("building", a.building().key());
    }
    ArrayNode h = o.putArray("history");
    a.history().forEach(t -> h.add(t.key()));
    o.put("revision", a.revision());
    return o;
  }

  /**
   * Parses the stored form. An empty history may come as {@code {}} (Redis' Lua JSON encoder
   * cannot tell an empty array from an empty object).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Alias parseStored(JsonNode o) {
    if (o == null || !o.path("name").isTextual()) {
      throw new IllegalArgumentException("alias: expected {\"name\": ..., \"serving\": \"db/space\", ...}, got "
          + StrictJson.describe(o));
    }
    List<AliasTarget> history = new ArrayList<>();
    JsonNode h = o.path("history");
    if (h.isArray()) {
      h.forEach(t -> history.add(AliasTarget.parse(t.asText())));
    }
    return new Alias(o.get("name").asText(), target(o.get("serving")), target(o.get("building")), history,
        o.path("revision").asLong(0));
  }

  private static AliasTarget target(JsonNode n) {
    return n == null || n.isNull() ? null : AliasTarget.parse(n.asText());
  }

  /** The API form of an alias that serves a target. */
  public static ObjectNode api(Alias a) {
    ObjectNode o = StrictJson.MAPPER.createObjectNode();
    o.put("name", a.name());
    if (a.serving() != null) {
      o.put("db", a.serving().db()).put("space", a.serving().space());
    }
    if (a.building() != null) {
      o.putObject("building").put("db", a.building().db()).put("space", a.building().space());
    }
    ArrayNode h = o.putArray("history");
    a.history().forEach(t -> h.addObject().put("db", t.db()).put("space", t.space()));
    return o;
  }

  /** The API list: the aliases that serve a target, by name. */
  public static ArrayNode apiList(List<Alias> aliases) {
    ArrayNode a = StrictJson.MAPPER.createArrayNode();
    aliases.stream().filter(Alias::serves).sorted(java.util.Comparator.comparing(Alias::name)).forEach(x -> a.add(api(x)));
    return a;
  }
}
