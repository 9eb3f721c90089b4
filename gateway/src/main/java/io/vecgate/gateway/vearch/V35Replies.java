package io.vecgate.gateway.vearch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.vecgate.protocol.json.StrictJson;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The answers of the Vearch 3.5 API: {@code {"code": 0, "msg": "success", "data": ...}}, with a
 * search's hits as {@code data.documents} (one list per query vector, each document its
 * {@code _id}, {@code _score} and fields at the top level, vectors as plain arrays), a query's as
 * {@code data.documents} with {@code data.total}, and an upsert's or delete's ids with
 * {@code data.total}.
 */
final class V35Replies {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private V35Replies() {}

  static ObjectNode ok(JsonNode data) {
    ObjectNode o = F.objectNode();
    o.put("code", 0).put("msg", "success").set("data", data);
    return o;
  }

  /**
   * {@code data} of a search from vecgate's rendered {@code _search} answer (one object, or an
   * array of them when there were several query vectors).
   */
  static ObjectNode search(JsonNode rendered, Set<String> vectorFields) {
    ArrayNode documents = F.arrayNode();
    for (JsonNode one : rendered.isArray() ? rendered : List.of(rendered)) {
      ArrayNode hits = documents.addArray();
      for (JsonNode h : one.path("hits").path("hits")) {
        ObjectNode d = hits.addObject();
        d.set("_id", h.get("_id"));
        d.set("_score", h.get("_score"));
        fields(source(h), d, vectorFields);
      }
    }
    ObjectNode data = F.objectNode();
    data.set("documents", documents);
    return data;
  }

  /**
   * A rendered hit's {@code _source} as an object: the renderer passes a reader's projected
   * source through as raw JSON when it need not change it, so that one is parsed here.
   */
  static JsonNode source(JsonNode hit) {
    JsonNode src = hit.path("_source");
    if (src instanceof POJONode p && p.getPojo() instanceof RawValue raw) {
      try {
        return StrictJson.MAPPER.readTree(raw.rawValue().toString());
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a reader's _source is not JSON: " + raw.rawValue(), e);
      }
    }
    return src;
  }

  /** {@code data} of a query: the documents found ({@code _id} and fields), in the order asked. */
  static ObjectNode query(List<Map.Entry<String, JsonNode>> found, Set<String> vectorFields) {
    ArrayNode documents = F.arrayNode();
    for (Map.Entry<String, JsonNode> e : found) {
      ObjectNode d = documents.addObject();
      d.put("_id", e.getKey());
      fields(e.getValue(), d, vectorFields);
    }
    ObjectNode data = F.objectNode();
    data.put("total", documents.size()).set("documents", documents);
    return data;
  }

  /** Copies a {@code _source} into a 3.5 document: vectors {@code {"feature": [...]}} become the plain array. */
  static void fields(JsonNode source, ObjectNode into, Set<String> vectorFields) {
    source.properties().forEach(e -> {
      JsonNode v = e.getValue();
      into.set(e.getKey(), vectorFields.contains(e.getKey()) && v.has("feature") ? v.get("feature") : v);
    });
  }

  /**
   * {@code data} of an upsert from the writer's {@code _bulk} answer: {@code total} documents
   * written, and per document its {@code _id}, with {@code code} and {@code msg} when it was refused.
   */
  static ObjectNode upsert(JsonNode bulk) {
    ArrayNode ids = F.arrayNode();
    int written = 0;
    for (JsonNode item : bulk.path("items")) {
      JsonNode r = item.path("index");
      ObjectNode d = ids.addObject();
      d.set("_id", r.get("_id"));
      if (r.has("error")) {
        d.put("code", r.path("status").asInt(400)).put("msg", r.path("error").path("reason").asText());
      } else {
        written++;
      }
    }
    ObjectNode data = F.objectNode();
    data.put("total", written).set("document_ids", ids);
    return data;
  }

  /** {@code data} of a delete from the writer's {@code _bulk} answer: the ids that existed and are gone. */
  static ObjectNode delete(JsonNode bulk) {
    ArrayNode ids = F.arrayNode();
    for (JsonNode item : bulk.path("items")) {
      JsonNode r = item.path("delete");
      if ("deleted".equals(r.path("result").asText())) {
        ids.add(r.get("_id"));
      }
    }
    ObjectNode data = F.objectNode();
    data.put("total", ids.size()).set("document_ids", ids);
    return data;
  }
}
