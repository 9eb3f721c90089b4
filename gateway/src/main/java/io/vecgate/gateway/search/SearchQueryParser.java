package io.vecgate.gateway.search;

import static io.vecgate.protocol.json.StrictJson.requireOnly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.gateway.search.SearchQuery.ScoreBounds;
import io.vecgate.gateway.search.SearchQuery.SortKey;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.protocol.reader.Filter;
import io.vecgate.space.FieldSpec;
import io.vecgate.space.SpaceSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a Vearch {@code _search} body against a space's schema. Every key is known or refused;
 * every value is checked (field names, dimension, finite floats, types of filter values, top-K
 * limit), and errors name the path of the offending key, the expected and the received value.
 */
public final class SearchQueryParser {

  /** The keys each object of the body may have (public: docs/api.md's contract test compares its tables). */
  public static final Set<String> TOP = Set.of("query", "size", "retrieval_param", "fields", "vector_value", "sort",
      "is_brute_search", "quick", "l2_sqrt", "online_log_level", "client_type");
  public static final Set<String> QUERY = Set.of("sum", "filter");
  public static final Set<String> SUM = Set.of("field", "feature", "min_score", "max_score", "symbol", "value", "boost");
  public static final Set<String> RANGE = Set.of("gt", "gte", "lt", "lte");
  public static final Set<String> RETRIEVAL = Set.of("nprobe", "ef", "efSearch", "metric_type");
  private static final int MAX_NQ = 1024;

  private final int maxSize;

  /** @param maxSize the largest top-K accepted ({@code size}) */
  public SearchQueryParser(int maxSize) {
    this.maxSize = maxSize;
  }

  /**
   * @param urlSize the {@code ?size=} parameter, or null; it wins over the body's {@code size}
   */
  public SearchQuery parse(SpaceSchema schema, ObjectNode body, String urlSize) {
    requireOnly(body, "", TOP);
    ObjectNode query = StrictJson.object(body, "query", "", true);
    requireOnly(query, "query", QUERY);
    JsonNode sum = query.get("sum");
    if (sum == null || !sum.isArray() || sum.isEmpty()) {
      throw ApiException.badRequest("query.sum: expected a non-empty array of {\"field\", \"feature\"}, got "
          + StrictJson.describe(sum));
    }
    List<SearchQuery.SumEntry> entries = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    int nq = -1;
    for (int i = 0; i < sum.size(); i++) {
      SearchQuery.SumEntry e = entry(schema, sum.get(i), "query.sum[" + i + "]", seen, i, nq);
      nq = e.queries().length / e.dimension();
      entries.add(e);
    }
    List<Filter> filters = FilterParser.filters(schema, query.get("filter"));
    int size = size(body, urlSize);

    int nprobe = 0;
    int ef = 0;
    ObjectNode rp = StrictJson.object(body, "retrieval_param", "", false);
    if (rp != null) {
      requireOnly(rp, "retrieval_param", RETRIEVAL);
      nprobe = StrictJson.integer(rp, "nprobe", "retrieval_param", 0, 1, 1 << 20);
      ef = StrictJson.integer(rp, "ef", "retrieval_param", 0, 1, 1 << 16);
      if (rp.has("efSearch")) {
        ef = StrictJson.integer(rp, "efSearch", "retrieval_param", null, 1, 1 << 16);
      }
      if (rp.has("metric_type")) {
        String m = StrictJson.string(rp, "metric_type", "retrieval_param", null);
        if (!m.equals(schema.engine().metricName())) {
          throw ApiException.badRequest("retrieval_param.metric_type: the space is built for '" + schema.engine().metricName()
              + "', got '" + m + "'");
        }
      }
    }
    boolean exact = flag(body, "is_brute_search");
    List<String> fields = fields(schema, body.get("fields"));
    List<SortKey> sort = sort(schema, body.get("sort"));
    String level = StrictJson.string(body, "online_log_level", "", "");
    if (!level.isEmpty() && !level.equals("debug") && !level.equals("info")) {
      throw ApiException.badRequest("online_log_level: expected \"debug\", got \"" + level + "\"");
    }
    String clientType = StrictJson.string(body, "client_type", "", "");
    if (!clientType.isEmpty() && !clientType.equals("leader") && !clientType.equals("random")) {
      throw ApiException.badRequest("client_type: expected \"leader\" or \"random\", got \"" + clientType + "\"");
    }
    return new SearchQuery(entries, nq, size, nprobe, ef, exact, flag(body, "quick"), flag(body, "l2_sqrt"),
        filters, fields, flag(body, "vector_value"), sort, level.equals("debug"), clientType.isEmpty() ? null : clientType);
  }

  /**
   * One {@code query.sum} entry: a vector field of the space not named before, its query vectors
   * ({@code nq} of them, as the entries before when there are), its bounds and boost.
   */
  private static SearchQuery.SumEntry entry(SpaceSchema schema, JsonNode entry, String path, Map<String, Integer> seen,
                                            int index, int nq) {
    if (!entry.isObject()) {
      throw StrictJson.wrongType(path, "an object", entry);
    }
    requireOnly(entry, path, SUM);
    String field = StrictJson.string(entry, "field", path, null);
    FieldSpec f = schema.field(field);
    if (f == null || !f.isVector()) {
      List<String> names = schema.vectorFieldNames();
      throw ApiException.badRequest(path + ".field: expected " + (names.size() == 1 ? "the vector field '" + names.getFirst()
          + "'" : "one of the vector fields " + names) + ", got '" + field + "'");
    }
    Integer before = seen.putIfAbsent(field, index);
    if (before != null) {
      throw ApiException.badRequest(path + ".field: '" + field + "' is already searched by query.sum[" + before
          + "]; expected one entry per vector field");
    }
    float[] queries = StrictJson.vector(entry.get("feature"), path + ".feature", f.dimension(), true);
    int n = queries.length / f.dimension();
    if (f.normalized()) {
      // Stored unit-length: the query is too, or L2 scores would mix length into the distance.
      for (int q = 0; q < n; q++) {
        f.normalize(queries, q * f.dimension(), path + ".feature");
      }
    }
    if (n > MAX_NQ) {
      throw ApiException.badRequest(path + ".feature: at most " + MAX_NQ + " query vectors per request, got " + n);
    }
    if (nq >= 0 && n != nq) {
      throw ApiException.badRequest(path + ".feature: expected " + nq + " query vector" + (nq == 1 ? "" : "s") + " of "
          + f.dimension() + " numbers (" + nq * f.dimension() + " numbers, as every entry has the same number of query "
          + "vectors), got " + queries.length + " numbers");
    }
    ScoreBounds bounds = bounds(entry, path);
    float boost = 1f;
    if (entry.has("boost")) {
      double b = StrictJson.number(entry.get("boost"), path + ".boost");
      if (!(b > 0) || b > Float.MAX_VALUE) {
        throw ApiException.badRequest(path + ".boost: expected a number > 0, got " + entry.get("boost"));
      }
      boost = (float) b;
    }
    return new SearchQuery.SumEntry(field, f.dimension(), queries, boost, bounds);
  }

  private int size(JsonNode body, String urlSize) {
    if (urlSize != null) {
      int s;
      try {
        s = Integer.parseInt(urlSize.trim());
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("size (URL parameter): expected an integer in [1, " + maxSize + "], got '" + urlSize + "'");
      }
      if (s < 1 || s > maxSize) {
        throw ApiException.badRequest("size (URL parameter): expected an integer in [1, " + maxSize + "], got " + s);
      }
      return s;
    }
    return StrictJson.integer(body, "size", "", 10, 1, maxSize);
  }

  /** Vearch sends booleans as true/false or 0/1. */
  private static boolean flag(JsonNode body, String key) {
    JsonNode n = body.get(key);
    if (n == null || n.isNull()) {
      return false;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isIntegralNumber() && (n.intValue() == 0 || n.intValue() == 1)) {
      return n.intValue() == 1;
    }
    throw StrictJson.wrongType(key, "true, false, 0 or 1", n);
  }

  private static ScoreBounds bounds(JsonNode entry, String path) {
    Double min = entry.has("min_score") ? StrictJson.number(entry.get("min_score"), path + ".min_score") : null;
    Double max = entry.has("max_score") ? StrictJson.number(entry.get("max_score"), path + ".max_score") : null;
    boolean minIncl = true;
    boolean maxIncl = true;
    if (entry.has("symbol") || entry.has("value")) {
      String symbol = StrictJson.string(entry, "symbol", path, null);
      JsonNode valueNode = entry.get("value");
      if (valueNode == null) {
        throw StrictJson.missing(path, "value", "the number the symbol compares with");
      }
      double value = StrictJson.number(valueNode, path + ".value");
      switch (symbol) {
        case ">" -> { min = value; minIncl = false; }
        case ">=" -> { min = value; }
        case "<" -> { max = value; maxIncl = false; }
        case "<=" -> { max = value; }
        default -> throw ApiException.badRequest(path + ".symbol: expected one of >, >=, <, <=, got \"" + symbol + "\"");
      }
    }
    if (min == null && max == null) {
      return ScoreBounds.NONE;
    }
    return new ScoreBounds(min, minIncl, max, maxIncl);
  }

  private static List<String> fields(SpaceSchema schema, JsonNode fields) {
    if (fields == null || fields.isNull()) {
      return null;
    }
    if (!fields.isArray()) {
      throw StrictJson.wrongType("fields", "an array of field names", fields);
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      JsonNode n = fields.get(i);
      if (!n.isTextual()) {
        throw StrictJson.wrongType("fields[" + i + "]", "a field name", n);
      }
      FieldSpec f = schema.field(n.textValue());
      if (f == null && !n.textValue().equals("_id")) {
        throw ApiException.badRequest("fields[" + i + "]: unknown field '" + n.textValue() + "' of space " + schema.name());
      }
      if (f != null) {
        // A vector field named here comes back as {"feature": [...]}, as with vector_value.
        out.add(f.name());
      }
    }
    return out;
  }

  private static List<SortKey> sort(SpaceSchema schema, JsonNode sort) {
    List<SortKey> out = new ArrayList<>();
    if (sort == null || sort.isNull()) {
      return out;
    }
    if (!sort.isArray()) {
      throw StrictJson.wrongType("sort", "an array like [{\"price\": {\"order\": \"asc\"}}]", sort);
    }
    for (int i = 0; i < sort.size(); i++) {
      String path = "sort[" + i + "]";
      JsonNode s = sort.get(i);
      String name;
      boolean desc = false;
      if (s.isTextual()) {
        name = s.textValue();
      } else if (s.isObject() && s.size() == 1) {
        Map.Entry<String, JsonNode> e = s.fields().next();
        name = e.getKey();
        JsonNode spec = e.getValue();
        String order;
        if (spec.isTextual()) {
          order = spec.textValue();
        } else if (spec.isObject()) {
          requireOnly(spec, path + "." + name, Set.of("order"));
          order = StrictJson.string(spec, "order", path + "." + name, "asc");
        } else {
          throw StrictJson.wrongType(path + "." + name, "{\"order\": \"asc\"|\"desc\"}", spec);
        }
        if (!order.equals("asc") && !order.equals("desc")) {
          throw ApiException.badRequest(path + "." + name + ".order: expected \"asc\" or \"desc\", got \"" + order + "\"");
        }
        desc = order.equals("desc");
      } else {
        throw StrictJson.wrongType(path, "a field name or {\"field\": {\"order\": \"asc\"}}", s);
      }
      if (!name.equals("_score")) {
        FieldSpec f = schema.field(name);
        if (f == null || f.isVector()) {
          throw ApiException.badRequest(path + ": expected a scalar field of space " + schema.name() + " or _score, got '"
              + name + "'");
        }
      }
      out.add(new SortKey(name, desc));
    }
    return out;
  }
}
