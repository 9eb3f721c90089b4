package io.vecgate.protocol.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.api.ApiException;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads request JSON strictly: every accessor takes the field's path for its error message
 * ({@code engine.retrieval_param.ncentroids: expected an integer, got "abc"}), and
 * {@link #requireOnly} refuses keys it does not know, so a misspelt one never falls back to a
 * default. Failures are {@link ApiException}s with status 400.
 */
public final class StrictJson {

  /** Parses duplicates as errors and keeps big numbers exact, so range checks see the real value. */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * The same, but floats parse as doubles: several times faster on query vectors, where a
   * BigDecimal per component is pure cost (float precision is all a vector keeps), and with
   * Jackson's fast double parser (correctly rounded, as the JDK's), as the bulk parser reads them.
   */
  public static final ObjectMapper FAST = new ObjectMapper(JsonFactory.builder()
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private StrictJson() {}

  /** Parses a request body that must be one JSON object. */
  public static ObjectNode parseObject(byte[] body, String what) {
    return parseObject(body, what, MAPPER);
  }

  /** Parses a request body that must be one JSON object, with {@code mapper}. */
  public static ObjectNode parseObject(byte[] body, String what, ObjectMapper mapper) {
    if (body == null || body.length == 0) {
      throw ApiException.parse(what + ": the request body is empty; expected a JSON object");
    }
    JsonNode n;
    try {
      n = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.parse(what + ": malformed JSON: " + e.getOriginalMessage()
          + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() : ""));
    } catch (java.io.IOException e) {
      throw ApiException.parse(what + ": unreadable body: " + e.getMessage());
    }
    if (n == null || !n.isObject()) {
      throw ApiException.parse(what + ": expected a JSON object, got " + describe(n));
    }
    return (ObjectNode) n;
  }

  /** Fails naming the first key of {@code node} that is not in {@code allowed}. */
  public static void requireOnly(JsonNode node, String path, Set<String> allowed) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw ApiException.badRequest(join(path, name) + ": unknown field; expected one of " + new TreeSet<>(allowed));
      }
    }
  }

  public static ObjectNode object(JsonNode parent, String key, String path, boolean required) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      if (required) {
        throw missing(path, key, "an object");
      }
      return null;
    }
    if (!n.isObject()) {
      throw wrongType(join(path, key), "an object", n);
    }
    return (ObjectNode) n;
  }

  public static String string(JsonNode parent, String key, String path, String dflt) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      if (dflt == null) {
        throw missing(path, key, "a string");
      }
      return dflt;
    }
    if (!n.isTextual()) {
      throw wrongType(join(path, key), "a string", n);
    }
    return n.textValue();
  }

  /** An integer in {@code [min, max]}; {@code dflt} when absent ({@code null}: required). */
  public static int integer(JsonNode parent, String key, String path, Integer dflt, int min, int max) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      if (dflt == null) {
        throw missing(path, key, "an integer");
      }
      return dflt;
    }
    return integerValue(n, join(path, key), min, max);
  }

  public static int integerValue(JsonNode n, String path, int min, int max) {
    if (n.isNumber() && !n.isBigDecimal() && !n.isIntegralNumber() && !Double.isFinite(n.doubleValue())) {
      throw ApiException.badRequest(path + ": expected an integer in [" + min + ", " + max + "], got " + n);
    }
    if (!n.isIntegralNumber() && !(n.isNumber() && n.decimalValue().stripTrailingZeros().scale() <= 0)) {
      throw wrongType(path, "an integer", n);
    }
    java.math.BigDecimal v = n.decimalValue();
    if (v.compareTo(java.math.BigDecimal.valueOf(min)) < 0 || v.compareTo(java.math.BigDecimal.valueOf(max)) > 0) {
      throw ApiException.badRequest(path + ": expected an integer in [" + min + ", " + max + "], got " + n);
    }
    return v.intValue();
  }

  public static boolean bool(JsonNode parent, String key, String path, boolean dflt) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isBoolean()) {
      throw wrongType(join(path, key), "true or false", n);
    }
    return n.booleanValue();
  }

  /** A finite number. */
  public static double number(JsonNode n, String path) {
    if (!n.isNumber()) {
      throw wrongType(path, "a number", n);
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d)) {
      throw ApiException.badRequest(path + ": expected a finite number, got " + n);
    }
    return d;
  }

  /**
   * A vector of exactly {@code dimension} finite floats; {@code multiple} allows any positive
   * multiple of the dimension (several query vectors concatenated).
   */
  public static float[] vector(JsonNode n, String path, int dimension, boolean multiple) {
    if (n == null || n.isNull()) {
      throw ApiException.badRequest(path + ": missing; expected an array of " + dimension + " numbers");
    }
    if (!n.isArray()) {
      throw wrongType(path, "an array of " + dimension + " numbers", n);
    }
    int len = n.size();
    if (len == 0) {
      throw ApiException.badRequest(path + ": empty vector; expected " + dimension + " numbers");
    }
    boolean ok = multiple ? len % dimension == 0 : len == dimension;
    if (!ok) {
      throw ApiException.badRequest(path + ": expected " + (multiple ? "a multiple of " : "") + dimension
          + " numbers (the field's dimension), got " + len);
    }
    float[] v = new float[len];
    for (int i = 0; i < len; i++) {
      JsonNode e = n.get(i);
      if (!e.isNumber()) {
        throw wrongType(path + "[" + i + "]", "a number", e);
      }
      float f = e.floatValue();
      if (!Float.isFinite(f)) {
        throw ApiException.badRequest(path + "[" + i + "]: expected a finite float, got " + e);
      }
      v[i] = f;
    }
    return v;
  }

  public static ApiException missing(String path, String key, String expected) {
    return ApiException.badRequest(join(path, key) + ": missing; expected " + expected);
  }

  public static ApiException wrongType(String path, String expected, JsonNode got) {
    return ApiException.badRequest(path + ": expected " + expected + ", got " + describe(got));
  }

  /** A short rendering of a received value for error messages. */
  public static String describe(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing";
    }
    String s = n.toString();
    String kind = n.isTextual() ? "string " : n.isNumber() ? "number " : n.isBoolean() ? "boolean " : n.isArray() ? "array " : n.isObject() ? "object " : "";
    return kind + (s.length() > 60 ? s.substring(0, 57) + "..." : s);
  }

  public static String join(String path, String key) {
    return path == null || path.isEmpty() ? key : path + "." + key;
  }
}
