package io.vecgate.gateway.search;

import static io.vecgate.protocol.json.StrictJson.requireOnly;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.protocol.reader.Filter;
import io.vecgate.protocol.reader.RangeFilter;
import io.vecgate.protocol.reader.TermFilter;
import io.vecgate.space.FieldSpec;
import io.vecgate.space.FieldType;
import io.vecgate.space.SpaceSchema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code query.filter} part of a {@code _search} body: {@code range} filters on numeric
 * fields and {@code term} filters on any indexed scalar field, checked against the space's
 * schema (the field exists, is indexed and not a vector, the values have its type) and turned into
 * the reader protocol's filters. Errors name the path of the offending key.
 */
final class FilterParser {

  private FilterParser() {}

  static List<Filter> filters(SpaceSchema schema, JsonNode filter) {
    List<Filter> out = new ArrayList<>();
    if (filter == null || filter.isNull()) {
      return out;
    }
    if (!filter.isArray()) {
      throw StrictJson.wrongType("query.filter", "an array of {\"range\": ...} and {\"term\": ...}", filter);
    }
    for (int i = 0; i < filter.size(); i++) {
      String path = "query.filter[" + i + "]";
      JsonNode f = filter.get(i);
      if (!f.isObject() || f.size() != 1) {
        throw StrictJson.wrongType(path, "an object with one key, range or term", f);
      }
      if (f.has("range")) {
        out.add(range(schema, f.get("range"), path + ".range"));
      } else if (f.has("term")) {
        out.add(term(schema, f.get("term"), path + ".term"));
      } else {
        throw ApiException.badRequest(path + ": unknown filter '" + f.fieldNames().next() + "'; expected range or term");
      }
    }
    return out;
  }

  private static FieldSpec filterField(SpaceSchema schema, String name, String path) {
    FieldSpec f = schema.field(name);
    if (f == null) {
      throw ApiException.badRequest(path + ": unknown field '" + name + "' of space " + schema.name());
    }
    if (f.isVector()) {
      throw ApiException.badRequest(path + ": '" + name + "' is a vector field; filters take scalar fields");
    }
    if (!f.index()) {
      throw ApiException.badRequest(path + ": field '" + name + "' is not indexed; create it with \"index\": true to filter on it");
    }
    return f;
  }

  private static Filter range(SpaceSchema schema, JsonNode range, String path) {
    if (!range.isObject() || range.size() != 1) {
      throw StrictJson.wrongType(path, "{\"field\": {\"gte\": .., \"lte\": ..}}", range);
    }
    Map.Entry<String, JsonNode> e = range.fields().next();
    String fpath = path + "." + e.getKey();
    FieldSpec f = filterField(schema, e.getKey(), fpath);
    if (f.type() == FieldType.STRING || f.type() == FieldType.KEYWORD) {
      throw ApiException.badRequest(fpath + ": range needs a numeric field; '" + f.name() + "' is " + f.type().apiName());
    }
    JsonNode b = e.getValue();
    if (!b.isObject() || b.isEmpty()) {
      throw StrictJson.wrongType(fpath, "an object with gt, gte, lt or lte", b);
    }
    requireOnly(b, fpath, SearchQueryParser.RANGE);
    RangeFilter.Builder r = RangeFilter.newBuilder().setField(f.name());
    if (b.has("gt")) r.setGt(StrictJson.number(b.get("gt"), fpath + ".gt"));
    if (b.has("gte")) r.setGte(StrictJson.number(b.get("gte"), fpath + ".gte"));
    if (b.has("lt")) r.setLt(StrictJson.number(b.get("lt"), fpath + ".lt"));
    if (b.has("lte")) r.setLte(StrictJson.number(b.get("lte"), fpath + ".lte"));
    if (b.has("gt") && b.has("gte") || b.has("lt") && b.has("lte")) {
      throw ApiException.badRequest(fpath + ": give gt or gte, and lt or lte, not both");
    }
    return Filter.newBuilder().setRange(r).build();
  }

  private static Filter term(SpaceSchema schema, JsonNode term, String path) {
    if (!term.isObject()) {
      throw StrictJson.wrongType(path, "{\"field\": [values], \"operator\": \"or\"}", term);
    }
    String operator = "or";
    String fieldName = null;
    JsonNode values = null;
    Iterator<Map.Entry<String, JsonNode>> it = term.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("operator")) {
        if (!e.getValue().isTextual() || !Set.of("or", "and", "not").contains(e.getValue().textValue())) {
          throw StrictJson.wrongType(path + ".operator", "\"or\", \"and\" or \"not\"", e.getValue());
        }
        operator = e.getValue().textValue();
      } else if (fieldName == null) {
        fieldName = e.getKey();
        values = e.getValue();
      } else {
        throw ApiException.badRequest(path + ": one field per term filter, got '" + fieldName + "' and '" + e.getKey() + "'");
      }
    }
    if (fieldName == null) {
      throw ApiException.badRequest(path + ": missing the field to match");
    }
    String fpath = path + "." + fieldName;
    FieldSpec f = filterField(schema, fieldName, fpath);
    List<String> out = new ArrayList<>();
    if (values.isArray()) {
      if (values.isEmpty()) {
        throw ApiException.badRequest(fpath + ": expected at least one value, got []");
      }
      for (int i = 0; i < values.size(); i++) {
        out.add(termValue(f, values.get(i), fpath + "[" + i + "]"));
      }
    } else {
      out.add(termValue(f, values, fpath));
    }
    return Filter.newBuilder().setTerm(TermFilter.newBuilder().setField(f.name()).addAllValues(out).setOperator(operator)).build();
  }

  private static String termValue(FieldSpec f, JsonNode v, String path) {
    return switch (f.type()) {
      case STRING, KEYWORD -> {
        if (!v.isTextual()) {
          throw StrictJson.wrongType(path, "a string (" + f.name() + " is " + f.type().apiName() + ")", v);
        }
        yield v.textValue();
      }
      case INTEGER, LONG -> {
        if (!v.isIntegralNumber()) {
          throw StrictJson.wrongType(path, "an integer (" + f.name() + " is " + f.type().apiName() + ")", v);
        }
        yield v.bigIntegerValue().toString();
      }
      default -> String.valueOf(StrictJson.number(v, path));
    };
  }
}
