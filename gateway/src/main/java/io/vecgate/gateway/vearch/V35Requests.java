package io.vecgate.gateway.vearch;

import static io.vecgate.protocol.json.StrictJson.requireOnly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.space.FieldSpec;
import io.vecgate.space.FieldType;
import io.vecgate.space.SpaceSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The request bodies of the Vearch 3.5 API ({@code /document/*}, {@code /dbs/*}) read and turned
 * into what vecgate's own API takes: a space definition with {@code engine} and
 * {@code properties}, a {@code _search} body with {@code query.sum} and {@code query.filter}, an
 * NDJSON {@code _bulk}. Keys are checked against 3.5's own lists first, so an unknown key is
 * refused with its 3.5 path; what 3.5 takes and vecgate does not ({@code partition_id},
 * {@code next}, {@code get_by_hash}, an {@code OR} of filters) is refused naming it.
 */
public final class V35Requests {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  public static final Set<String> SPACE = Set.of("name", "partition_num", "replica_num", "fields");
  public static final Set<String> FIELD = Set.of("name", "type", "dimension", "index", "store_type", "format", "store_param",
      "array");
  static final Set<String> FIELD_INDEX = Set.of("name", "type", "params");
  static final Set<String> UPSERT = Set.of("db_name", "space_name", "documents");
  public static final Set<String> SEARCH = Set.of("db_name", "space_name", "vectors", "filters", "fields", "limit",
      "index_params", "vector_value", "load_balance", "ranker", "is_brute_search");
  static final Set<String> VECTOR = Set.of("field", "feature", "min_score", "max_score");
  public static final Set<String> QUERY = Set.of("db_name", "space_name", "document_ids", "filters", "fields", "limit",
      "vector_value", "load_balance");
  static final Set<String> DELETE = Set.of("db_name", "space_name", "document_ids", "filters", "limit", "query");
  /** The OpenAPI description's form of a delete: the ids (or filters) inside {@code query}. */
  static final Set<String> DELETE_QUERY = Set.of("document_ids", "filters");
  static final Set<String> FILTERS = Set.of("operator", "conditions");
  static final Set<String> CONDITION = Set.of("field", "operator", "value");
  static final Set<String> INDEX_PARAMS = Set.of("efSearch", "metric_type", "nprobe", "ef");
  static final Set<String> RANKER = Set.of("type", "params");
  /** 3.5's default {@code limit}. */
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_IDS = 500;

  private V35Requests() {}

  /** Which space a document request is about. */
  record Target(String db, String space) {}

  static Target target(ObjectNode body) {
    String db = StrictJson.string(body, "db_name", "", null);
    String space = StrictJson.string(body, "space_name", "", null);
    return new Target(db, space);
  }

  /**
   * A 3.5 space ({@code fields} with per-field {@code index}) as vecgate's space definition: the
   * vector fields' index becomes the space's {@code engine} (one index type and one set of
   * parameters for all of them), a scalar field's index becomes {@code "index": true}.
   */
  static ObjectNode space(ObjectNode body) {
    requireOnly(body, "", SPACE);
    ObjectNode out = F.objectNode();
    out.set("name", body.get("name"));
    if (body.has("partition_num")) {
      out.set("partition_num", body.get("partition_num"));
    }
    if (body.has("replica_num")) {
      out.set("replica_num", body.get("replica_num"));
    }
    JsonNode fields = body.get("fields");
    if (fields == null || !fields.isArray() || fields.isEmpty()) {
      throw StrictJson.wrongType("fields", "a non-empty array of fields [{\"name\", \"type\", ...}]", fields);
    }
    ObjectNode properties = out.putObject("properties");
    ObjectNode engine = null;
    String enginePath = null;
    for (int i = 0; i < fields.size(); i++) {
      String path = "fields[" + i + "]";
      JsonNode f = fields.get(i);
      if (!f.isObject()) {
        throw StrictJson.wrongType(path, "an object {\"name\", \"type\", ...}", f);
      }
      requireOnly((ObjectNode) f, path, FIELD);
      String name = StrictJson.string(f, "name", path, null);
      String type = StrictJson.string(f, "type", path, null);
      if (f.has("array") && f.get("array").asBoolean(false)) {
        throw ApiException.badRequest(path + ".array: array fields are not supported");
      }
      if (f.has("store_param")) {
        throw ApiException.badRequest(path + ".store_param: not supported (vecgate maps index files; there is no "
            + "cache to size)");
      }
      if (properties.has(name)) {
        throw ApiException.badRequest(path + ".name: field '" + name + "' appears twice");
      }
      ObjectNode p = properties.putObject(name);
      p.put("type", type);
      for (String k : List.of("dimension", "store_type", "format")) {
        if (f.has(k)) {
          p.set(k, f.get(k));
        }
      }
      JsonNode index = f.get("index");
      boolean vector = "vector".equalsIgnoreCase(type);
      if (index == null || index.isNull()) {
        if (vector) {
          throw ApiException.badRequest(path + ".index: a vector field needs an index {\"type\": \"FLAT\" | "
              + "\"IVFFLAT\" | \"IVFPQ\" | \"HNSW\" | ..., \"params\": {\"metric_type\": ...}}");
        }
        continue;
      }
      if (!index.isObject()) {
        throw StrictJson.wrongType(path + ".index", "an object {\"name\", \"type\", \"params\"}", index);
      }
      requireOnly((ObjectNode) index, path + ".index", FIELD_INDEX);
      if (!vector) {
        String it = StrictJson.string(index, "type", path + ".index", "SCALAR");
        if (!it.equals("SCALAR") && !it.equals("INVERTED") && !it.equals("BITMAP")) {
          throw ApiException.badRequest(path + ".index.type: a scalar index is SCALAR, INVERTED or BITMAP, got \""
              + it + "\"");
        }
        p.put("index", true);
        continue;
      }
      ObjectNode e = F.objectNode();
      e.put("retrieval_type", StrictJson.string(index, "type", path + ".index", null));
      JsonNode params = index.get("params");
      if (params != null && !params.isNull()) {
        if (!params.isObject()) {
          throw StrictJson.wrongType(path + ".index.params", "an object", params);
        }
        e.set("retrieval_param", params);
      }
      if (engine == null) {
        engine = e;
        enginePath = path;
      } else if (!engine.equals(e)) {
        throw ApiException.badRequest(path + ".index: every vector field of a space has the same index type and "
            + "parameters here (" + enginePath + ".index has " + engine + ")");
      }
    }
    if (engine == null) {
      throw ApiException.badRequest("fields: expected at least one field of type vector");
    }
    out.set("engine", engine);
    return out;
  }

  /**
   * A 3.5 upsert as NDJSON {@code _bulk} index actions: each document's {@code _id} (a random one
   * when it has none, as 3.5 makes), its vector fields (plain arrays in 3.5) as
   * {@code {"feature": [...]}}, the rest as is.
   */
  static Bulk upsert(ObjectNode body, SpaceSchema schema) {
    requireOnly(body, "", UPSERT);
    JsonNode docs = body.get("documents");
    if (docs == null || !docs.isArray() || docs.isEmpty()) {
      throw StrictJson.wrongType("documents", "a non-empty array of documents", docs);
    }
    StringBuilder ndjson = new StringBuilder();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      String path = "documents[" + i + "]";
      JsonNode d = docs.get(i);
      if (!d.isObject()) {
        throw StrictJson.wrongType(path, "a document object", d);
      }
      ObjectNode doc = ((ObjectNode) d).deepCopy();
      JsonNode idNode = doc.remove("_id");
      String id;
      if (idNode == null || idNode.isNull()) {
        id = Long.toString(ThreadLocalRandom.current().nextLong());
      } else if (idNode.isTextual() && !idNode.textValue().isEmpty()) {
        id = idNode.textValue();
      } else {
        throw StrictJson.wrongType(path + "._id", "a non-empty string", idNode);
      }
      for (FieldSpec f : schema.fields()) {
        JsonNode v = doc.get(f.name());
        if (f.type() == FieldType.VECTOR && v != null) {
          if (!v.isArray()) {
            throw StrictJson.wrongType(path + "." + f.name(), "an array of " + f.dimension() + " numbers", v);
          }
          doc.set(f.name(), F.objectNode().set("feature", v));
        }
      }
      ids.add(id);
      ndjson.append("{\"index\":{\"_id\":").append(F.textNode(id)).append("}}\n").append(doc).append('\n');
    }
    return new Bulk(ndjson.toString().getBytes(StandardCharsets.UTF_8), ids);
  }

  /** An NDJSON {@code _bulk} body and the ids of its documents, in order. */
  record Bulk(byte[] ndjson, List<String> ids) {}

  /** NDJSON delete actions for {@code ids}. */
  static byte[] deletes(List<String> ids) {
    StringBuilder sb = new StringBuilder();
    for (String id : ids) {
      sb.append("{\"delete\":{\"_id\":").append(F.textNode(id)).append("}}\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A delete with its selection in {@code query} (as the OpenAPI description has it) as one with it at the top. */
  static ObjectNode hoistQuery(ObjectNode body) {
    JsonNode q = body.get("query");
    if (q == null) {
      return body;
    }
    if (!q.isObject()) {
      throw StrictJson.wrongType("query", "an object {\"document_ids\": [...]} or {\"filters\": {...}}", q);
    }
    requireOnly(q, "query", DELETE_QUERY);
    ObjectNode out = body.deepCopy();
    out.remove("query");
    for (String k : DELETE_QUERY) {
      if (q.has(k)) {
        if (out.has(k)) {
          throw ApiException.badRequest("query." + k + ": given twice (at the top and in query)");
        }
        out.set(k, q.get(k));
      }
    }
    return out;
  }

  /** {@code document_ids}: 1 to {@value #MAX_IDS} strings, or null when absent. */
  static List<String> ids(ObjectNode body) {
    JsonNode n = body.get("document_ids");
    if (n == null) {
      return null;
    }
    if (!n.isArray() || n.isEmpty() || n.size() > MAX_IDS) {
      throw StrictJson.wrongType("document_ids", "an array of 1 to " + MAX_IDS + " document ids", n);
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      if (!n.get(i).isTextual()) {
        throw StrictJson.wrongType("document_ids[" + i + "]", "a string", n.get(i));
      }
      ids.add(n.get(i).textValue());
    }
    return ids;
  }

  /** {@code limit}: 1 to {@code max}, {@value #DEFAULT_LIMIT} when absent. */
  static int limit(ObjectNode body, int max) {
    return StrictJson.integer(body, "limit", "", DEFAULT_LIMIT, 1, max);
  }

  /**
   * A 3.5 search as vecgate's {@code _search} body: {@code vectors} become {@code query.sum}
   * (weighted by {@code ranker.params} when several), {@code filters} {@code query.filter},
   * {@code limit} {@code size}, {@code index_params} {@code retrieval_param},
   * {@code load_balance} {@code client_type}.
   */
  static ObjectNode search(ObjectNode body, SpaceSchema schema) {
    requireOnly(body, "", SEARCH);
    JsonNode vectors = body.get("vectors");
    if (vectors == null || !vectors.isArray() || vectors.isEmpty()) {
      throw StrictJson.wrongType("vectors", "a non-empty array [{\"field\", \"feature\"}]", vectors);
    }
    double[] weights = weights(body.get("ranker"), vectors.size());
    ObjectNode out = F.objectNode();
    ObjectNode query = out.putObject("query");
    ArrayNode sum = query.putArray("sum");
    for (int i = 0; i < vectors.size(); i++) {
      String path = "vectors[" + i + "]";
      JsonNode v = vectors.get(i);
      if (!v.isObject()) {
        throw StrictJson.wrongType(path, "an object {\"field\", \"feature\"}", v);
      }
      requireOnly((ObjectNode) v, path, VECTOR);
      ObjectNode e = ((ObjectNode) v).deepCopy();
      if (weights != null) {
        e.put("boost", weights[i]);
      }
      sum.add(e);
    }
    ArrayNode filter = filters(body.get("filters"), schema);
    if (filter != null) {
      query.set("filter", filter);
    }
    out.put("size", limit(body, Integer.MAX_VALUE));
    if (body.has("fields")) {
      out.set("fields", body.get("fields"));
    }
    copyFlag(body, out, "vector_value");
    copyFlag(body, out, "is_brute_search");
    JsonNode params = body.get("index_params");
    if (params != null) {
      if (!params.isObject()) {
        throw StrictJson.wrongType("index_params", "an object like {\"efSearch\": 64}", params);
      }
      requireOnly((ObjectNode) params, "index_params", INDEX_PARAMS);
      out.set("retrieval_param", params);
    }
    String balance = body.has("load_balance") ? StrictJson.string(body, "load_balance", "", null) : null;
    if (balance != null) {
      String clientType = switch (balance) {
        case "leader" -> "leader";
        case "random", "not_leader" -> "random";
        case "least_connection", "no_leader" -> null;
        default -> throw ApiException.badRequest("load_balance: expected leader, random, not_leader or "
            + "least_connection, got \"" + balance + "\"");
      };
      if (clientType != null) {
        out.put("client_type", clientType);
      }
    }
    return out;
  }

  private static void copyFlag(ObjectNode from, ObjectNode to, String key) {
    if (from.has(key)) {
      to.put(key, StrictJson.bool(from, key, "", false));
    }
  }

  /** {@code ranker: {"type": "WeightedRanker", "params": [w1, w2, ...]}}: one weight per vector, or null. */
  private static double[] weights(JsonNode ranker, int vectors) {
    if (ranker == null || ranker.isNull()) {
      return null;
    }
    if (!ranker.isObject()) {
      throw StrictJson.wrongType("ranker", "{\"type\": \"WeightedRanker\", \"params\": [weights]}", ranker);
    }
    requireOnly((ObjectNode) ranker, "ranker", RANKER);
    String type = StrictJson.string(ranker, "type", "ranker", null);
    if (!type.equals("WeightedRanker")) {
      throw ApiException.badRequest("ranker.type: expected \"WeightedRanker\", got \"" + type + "\"");
    }
    JsonNode params = ranker.get("params");
    if (params == null || !params.isArray() || params.size() != vectors) {
      throw StrictJson.wrongType("ranker.params", "an array of " + vectors + " weights (one per entry of vectors)",
          params);
    }
    double[] w = new double[vectors];
    for (int i = 0; i < vectors; i++) {
      w[i] = StrictJson.number(params.get(i), "ranker.params[" + i + "]");
      if (!(w[i] > 0) || Double.isInfinite(w[i])) {
        throw ApiException.badRequest("ranker.params[" + i + "]: expected a weight > 0, got " + params.get(i));
      }
    }
    return w;
  }

  /**
   * 3.5 {@code filters} ({@code {"operator": "AND", "conditions": [{"field", "operator", "value"}]}})
   * as vecgate's {@code query.filter}: {@code > >= < <=} as ranges, {@code =} as a range of one
   * number or a term of one string, {@code IN} and {@code NOT IN} as terms; null when absent.
   */
  static ArrayNode filters(JsonNode filters, SpaceSchema schema) {
    if (filters == null || filters.isNull()) {
      return null;
    }
    if (!filters.isObject()) {
      throw StrictJson.wrongType("filters", "{\"operator\": \"AND\", \"conditions\": [...]}", filters);
    }
    requireOnly((ObjectNode) filters, "filters", FILTERS);
    String op = StrictJson.string(filters, "operator", "filters", "AND");
    if (!op.equalsIgnoreCase("AND")) {
      throw ApiException.badRequest("filters.operator: only \"AND\" is supported, got \"" + op + "\"");
    }
    JsonNode conditions = filters.get("conditions");
    if (conditions == null || !conditions.isArray() || conditions.isEmpty()) {
      throw StrictJson.wrongType("filters.conditions", "a non-empty array of {\"field\", \"operator\", \"value\"}",
          conditions);
    }
    ArrayNode out = F.arrayNode();
    for (int i = 0; i < conditions.size(); i++) {
      String path = "filters.conditions[" + i + "]";
      JsonNode c = conditions.get(i);
      if (!c.isObject()) {
        throw StrictJson.wrongType(path, "an object {\"field\", \"operator\", \"value\"}", c);
      }
      requireOnly((ObjectNode) c, path, CONDITION);
      String field = StrictJson.string(c, "field", path, null);
      String operator = StrictJson.string(c, "operator", path, null).toUpperCase(Locale.ROOT);
      JsonNode value = c.get("value");
      if (value == null) {
        throw ApiException.badRequest(path + ".value: missing");
      }
      FieldSpec f = schema.field(field);
      if (f == null || f.type() == FieldType.VECTOR) {
        throw ApiException.badRequest(path + ".field: '" + field + "' is not a scalar field of " + schema.name()
            + " (its fields: " + schema.fields().stream().map(FieldSpec::name).toList() + ")");
      }
      if (!f.index()) {
        throw ApiException.badRequest(path + ".field: '" + field + "' has no index; create the field with "
            + "\"index\": {\"type\": \"SCALAR\"} to filter on it");
      }
      boolean numeric = f.type() != FieldType.STRING && f.type() != FieldType.KEYWORD;
      switch (operator) {
        case ">", ">=", "<", "<=" -> {
          if (!value.isNumber()) {
            throw StrictJson.wrongType(path + ".value", "a number for " + operator, value);
          }
          String bound = switch (operator) {
            case ">" -> "gt";
            case ">=" -> "gte";
            case "<" -> "lt";
            default -> "lte";
          };
          out.addObject().putObject("range").putObject(field).set(bound, value);
        }
        case "=" -> {
          if (numeric) {
            if (!value.isNumber()) {
              throw StrictJson.wrongType(path + ".value", "a number (" + field + " is " + f.type().apiName() + ")",
                  value);
            }
            ObjectNode bounds = out.addObject().putObject("range").putObject(field);
            bounds.set("gte", value);
            bounds.set("lte", value);
          } else {
            out.addObject().putObject("term").putArray(field).add(text(value, path));
          }
        }
        case "IN", "NOT IN" -> {
          if (!value.isArray() || value.isEmpty()) {
            throw StrictJson.wrongType(path + ".value", "a non-empty array of values for " + operator, value);
          }
          ObjectNode term = out.addObject().putObject("term");
          ArrayNode values = term.putArray(field);
          for (int j = 0; j < value.size(); j++) {
            values.add(numeric ? value.get(j) : F.textNode(text(value.get(j), path + ".value[" + j + "]")));
          }
          term.put("operator", operator.equals("IN") ? "or" : "not");
        }
        default -> throw ApiException.badRequest(path + ".operator: expected one of >, >=, <, <=, =, IN, NOT IN, got \""
            + operator + "\"");
      }
    }
    return out;
  }

  private static String text(JsonNode v, String path) {
    if (!v.isTextual()) {
      throw StrictJson.wrongType(path, "a string", v);
    }
    return v.textValue();
  }
}
