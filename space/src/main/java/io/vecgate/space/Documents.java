package io.vecgate.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a document body of the Vearch document API ({@code {"price": 9.5, "brand": "acme",
 * "vec": {"feature": [...]}}}) into a {@link Document}, checking it against the space: every
 * vector field is required and must have its field's dimension and finite values; scalars must
 * have their field's type; unknown fields are refused. Errors name the field, the expected and the
 * received value.
 */
public final class Documents {

  /** Longest accepted {@code _id}, in characters. */
  public static final int MAX_ID_LENGTH = 512;
  public static final int MAX_STRING_BYTES = 32 * 1024;

  private Documents() {}

  /** Checks an {@code _id} taken from the URL or a bulk action. */
  public static String checkId(String id, String path) {
    if (id == null || id.isEmpty()) {
      throw ApiException.badRequest(path + ": expected a non-empty id, got an empty one");
    }
    if (id.length() > MAX_ID_LENGTH) {
      throw ApiException.badRequest(path + ": expected an id of at most " + MAX_ID_LENGTH + " characters, got "
          + id.length());
    }
    for (int i = 0; i < id.length(); i++) {
      if (Character.isISOControl(id.charAt(i))) {
        throw ApiException.badRequest(path + ": ids may not contain control characters");
      }
    }
    return id;
  }

  /** The id given as a JSON string or integer. */
  public static String idValue(JsonNode n, String path) {
    if (n.isTextual()) {
      return checkId(n.textValue(), path);
    }
    if (n.isIntegralNumber()) {
      return n.bigIntegerValue().toString();
    }
    throw StrictJson.wrongType(path, "a string or integer id", n);
  }

  /**
   * Parses one document.
   *
   * @param id the id from the URL or the bulk action, or {@code null} to take {@code _id} from
   *     the body (still {@code null} when the body has none: the writer generates one)
   * @param path prefix for error messages (e.g. {@code "line 4"}), may be empty
   */
  public static Document parse(SpaceSchema schema, ObjectNode body, String id, String path) {
    String docId = id;
    float[] vector = new float[schema.vectorLength()];
    java.util.Set<String> vectorsSeen = new java.util.HashSet<>();
    Map<String, Object> scalars = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = body.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      String fieldPath = StrictJson.join(path, name);
      JsonNode v = e.getValue();
      if (name.equals("_id")) {
        String bodyId = idValue(v, fieldPath);
        if (docId != null && !docId.equals(bodyId)) {
          throw ApiException.badRequest(fieldPath + ": the body says '" + bodyId + "' but the request is for '" + docId + "'");
        }
        docId = bodyId;
        continue;
      }
      FieldSpec f = schema.field(name);
      if (f == null) {
        throw ApiException.badRequest(fieldPath + ": unknown field of space " + schema.name() + "; fields: "
            + schema.fields().stream().map(FieldSpec::name).toList());
      }
      if (f.isVector()) {
        float[] one = vector(v, fieldPath, f.dimension());
        System.arraycopy(one, 0, vector, schema.vectorOffset(f), one.length);
        vectorsSeen.add(name);
      } else if (!v.isNull()) {
        scalars.put(name, scalar(f, v, fieldPath));
      }
    }
    for (FieldSpec f : schema.vectorFields()) {
      if (!vectorsSeen.contains(f.name())) {
        throw ApiException.badRequest(StrictJson.join(path, f.name()) + ": missing; expected {\"feature\": ["
            + f.dimension() + " numbers]}" + (schema.vectorFields().size() > 1 ? " (every vector field of the space "
            + "is required: " + schema.vectorFieldNames() + ")" : ""));
      }
    }
    normalize(schema, vector, path);
    return new Document(docId, vector, scalars);
  }

  /** Scales the vectors of the fields with {@code "format": "normalization"} to unit length, in place. */
  public static void normalize(SpaceSchema schema, float[] vector, String path) {
    for (FieldSpec f : schema.vectorFields()) {
      if (f.normalized()) {
        f.normalize(vector, schema.vectorOffset(f), StrictJson.join(path, f.name()));
      }
    }
  }

  private static float[] vector(JsonNode v, String path, int dimension) {
    if (!v.isObject()) {
      throw StrictJson.wrongType(path, "{\"feature\": [" + dimension + " numbers]}", v);
    }
    StrictJson.requireOnly(v, path, java.util.Set.of("feature"));
    return StrictJson.vector(v.get("feature"), path + ".feature", dimension, false);
  }

  /** A scalar value of field {@code f}, as the Java type of its column. */
  public static Object scalar(FieldSpec f, JsonNode v, String path) {
    return switch (f.type()) {
      case INTEGER -> {
        if (beyondDouble(v)) {
          throw ApiException.badRequest(path + ": expected an integer in [" + Integer.MIN_VALUE + ", " + Integer.MAX_VALUE
              + "], got " + v);
        }
        yield StrictJson.integerValue(v, path, Integer.MIN_VALUE, Integer.MAX_VALUE);
      }
      case LONG -> longValue(v, path);
      case FLOAT -> {
        double d = StrictJson.number(v, path);
        if (Math.abs(d) > Float.MAX_VALUE) {
          throw ApiException.badRequest(path + ": expected a float, got " + v + " (out of float range)");
        }
        yield (float) d;
      }
      case DOUBLE -> StrictJson.number(v, path);
      case STRING, KEYWORD -> {
        if (!v.isTextual()) {
          throw StrictJson.wrongType(path, "a string", v);
        }
        String s = v.textValue();
        if (s.length() > MAX_STRING_BYTES) {
          throw ApiException.badRequest(path + ": expected at most " + MAX_STRING_BYTES + " characters, got " + s.length());
        }
        yield s;
      }
      case VECTOR -> throw new IllegalArgumentException("not a scalar field: " + f.name());
    };
  }

  /**
   * A literal beyond the double range, like {@code 1e400}, read by a mapper that keeps floats as
   * doubles: an infinite double node, which has no BigDecimal value.
   */
  private static boolean beyondDouble(JsonNode v) {
    return v.isDouble() && !Double.isFinite(v.doubleValue());
  }

  private static long longValue(JsonNode v, String path) {
    if (!v.isNumber()) {
      throw StrictJson.wrongType(path, "an integer", v);
    }
    if (beyondDouble(v)) {
      throw ApiException.badRequest(path + ": expected a 64-bit integer, got " + v);
    }
    BigDecimal d = v.decimalValue();
    if (d.stripTrailingZeros().scale() > 0) {
      throw StrictJson.wrongType(path, "an integer", v);
    }
    try {
      return d.longValueExact();
    } catch (ArithmeticException e) {
      throw ApiException.badRequest(path + ": expected a 64-bit integer, got " + v);
    }
  }
}
