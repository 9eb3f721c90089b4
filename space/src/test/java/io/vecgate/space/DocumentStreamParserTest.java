package io.vecgate.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The streaming parser against the tree: every document, valid or not, must give the same
 * document or the same error (status, type, reason) as {@link Documents#parse} over the tree of
 * a mapper like {@link DocumentStreamParser#MAPPER} but with the JDK's double parser, so the
 * fast double parser is pinned too.
 */
class DocumentStreamParserTest {

  static final int DIM = 4;

  static final SpaceSchema SCHEMA = SpaceSchemas.parse("db", StrictJson.parseObject(("""
      {"name": "s", "engine": {"retrieval_type": "FLAT", "retrieval_param": {"metric_type": "L2"}},
       "properties": {"vec": {"type": "vector", "dimension": %d}, "i": {"type": "integer"}, "l": {"type": "long"},
                      "f": {"type": "float"}, "d": {"type": "double"}, "s": {"type": "string"}, "k": {"type": "keyword"}}}"""
      .formatted(DIM)).getBytes(StandardCharsets.UTF_8), "test"));

  /** The tree side: the bulk mapper without the fast double parser. */
  static final ObjectMapper ORACLE = ((com.fasterxml.jackson.databind.json.JsonMapper) DocumentStreamParser.MAPPER)
      .rebuild().disable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

  static final DocumentStreamParser PARSER = new DocumentStreamParser(SCHEMA);

  static final String V = "\"vec\": {\"feature\": [0.5, -1, 2.25e-3, 7]}";

  /** A comparable rendering of a result: the document (vector bits, typed scalars) or the error. */
  static String outcome(ThrowingSupplier s) {
    try {
      Document d = s.get();
      StringBuilder sb = new StringBuilder("doc id=").append(d.id()).append(" vec=[");
      for (float x : d.vector()) {
        sb.append(Float.floatToRawIntBits(x)).append('/').append(x).append(' ');
      }
      sb.append("] scalars=");
      Map<String, String> typed = new TreeMap<>();
      d.scalars().forEach((k, v) -> typed.put(k, v.getClass().getSimpleName() + ":" + v));
      return sb.append(typed).toString();
    } catch (ApiException e) {
      return "api " + e.status() + " " + e.type() + " " + e.reason();
    } catch (JsonProcessingException e) {
      return "json " + e.getClass().getSimpleName() + " " + e.getOriginalMessage();
    }
  }

  interface ThrowingSupplier {
    Document get() throws JsonProcessingException;
  }

  static String viaTree(String json, String id) {
    return outcome(() -> {
      JsonNode n;
      try {
        n = ORACLE.readTree(json.getBytes(StandardCharsets.UTF_8));
      } catch (JsonProcessingException e) {
        throw e;
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
      if (n == null || !n.isObject()) {
        throw StrictJson.wrongType("line 7", "a document object", n);
      }
      return Documents.parse(SCHEMA, (ObjectNode) n, id, "line 7");
    });
  }

  static String viaStream(String json, String id) {
    byte[] b = ("xx" + json + "yy").getBytes(StandardCharsets.UTF_8);
    int off = 2;
    int len = b.length - 4;
    return outcome(() -> PARSER.parse(b, off, len, id, "line 7"));
  }

  /** Asserts both parsers agree; returns whether the streaming pass took the document itself. */
  static boolean same(String json, String id) {
    String tree = viaTree(json, id);
    String stream = viaStream(json, id);
    assertEquals(tree, stream, () -> "document " + json + " with id " + id);
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    Document fast = PARSER.tryParse(b, 0, b.length, id);
    if (!tree.startsWith("doc ")) {
      assertNull(fast, () -> "the streaming pass accepted an invalid document: " + json);
    }
    return fast != null;
  }

  static void sameAndStreamed(String json, String id) {
    assertTrue(same(json, id), () -> "the streaming pass left a plain document to the tree: " + json);
  }

  static String doc(String fields) {
    return "{" + fields + (fields.isEmpty() ? "" : ", ") + V + "}";
  }

  @Test
  void plainDocumentsAreStreamedAndEqualTheTree() {
    sameAndStreamed(doc(""), null);
    sameAndStreamed(doc(""), "a");
    sameAndStreamed(doc("\"_id\": \"x1\""), null);
    sameAndStreamed(doc("\"_id\": \"x1\""), "x1");
    sameAndStreamed(doc("\"_id\": 42"), null);
    sameAndStreamed(doc("\"_id\": 42"), "42");
    sameAndStreamed(doc("\"_id\": -9223372036854775808"), null);
    sameAndStreamed(doc("\"_id\": 123456789012345678901234567890"), null);
    sameAndStreamed(doc("\"i\": 5, \"l\": -9223372036854775808, \"f\": 1.5, \"d\": 2.5e300, \"s\": \"x\", \"k\": \"\""), null);
    sameAndStreamed(doc("\"i\": -2147483648, \"l\": 9223372036854775807, \"f\": 7, \"d\": 9007199254740993"), null);
    sameAndStreamed(doc("\"f\": 3.4028234663852886E38, \"d\": -4.9e-324, \"l\": 2147483648"), null);
    sameAndStreamed(doc("\"f\": 1e-50, \"d\": -0.0"), null);
    sameAndStreamed(doc("\"i\": null, \"l\": null, \"f\": null, \"d\": null, \"s\": null, \"k\": null"), null);
    sameAndStreamed(doc("\"s\": \"caf\\u00e9 \\\"q\\\" \\n\", \"k\": \"\u65e5\u672c\""), null);
    sameAndStreamed(doc("\"s\": \"" + "x".repeat(Documents.MAX_STRING_BYTES) + "\""), null);
    sameAndStreamed("{" + V + ", \"i\": 1}", null);
    sameAndStreamed("  {\"vec\":{\"feature\":[1,2,3,4]}}\t\r\n ", null);
    sameAndStreamed("{\"vec\": {\"feature\": [-0.0, 1e-50, 16777217, 9007199254740993]}}", null);
    sameAndStreamed("{\"vec\": {\"feature\": [3.4028235E38, -3.4028235E38, 1.4E-45, 2147483648]}}", null);
    sameAndStreamed("{\"vec\": {\"feature\": [0.1, 0.30000000000000004, 1.0000000596046448, 3.4028234663852886E38]}}", null);
  }

  @Test
  void unusualButValidFormsAreLeftToTheTreeAndStillAgree() {
    // Accepted by the tree, declined by the streaming pass: the result must still be equal.
    for (String f : List.of("\"i\": 2.0", "\"i\": 1e2", "\"i\": -0.0", "\"l\": 3.0", "\"l\": 1e18",
        "\"f\": 123456789012345678901234567890", "\"d\": 123456789012345678901234567890")) {
      same(doc(f), null);
      assertTrue(viaTree(doc(f), null).startsWith("doc "), f);
    }
    same("{\"vec\": {\"feature\": [123456789012345678901234567890, 1, 2, 3]}}", null);
  }

  @Test
  void invalidDocumentsFailAlike() {
    List<String> bad = new ArrayList<>(List.of(
        // dimension
        "{\"vec\": {\"feature\": [1, 2, 3]}}", "{\"vec\": {\"feature\": [1, 2, 3, 4, 5]}}", "{\"vec\": {\"feature\": []}}",
        "{\"vec\": {\"feature\": [1, 2, 3, 4, 5, \"x\"]}}", "{\"vec\": {\"feature\": [1, \"x\", 3]}}",
        // NaN, Inf, out of float range
        "{\"vec\": {\"feature\": [NaN, 1, 2, 3]}}", "{\"vec\": {\"feature\": [1, Infinity, 2, 3]}}",
        "{\"vec\": {\"feature\": [1, -Infinity, 2, 3]}}", "{\"vec\": {\"feature\": [1, 2, 1e39, 3]}}",
        "{\"vec\": {\"feature\": [1, 2, -1e39, 3]}}", "{\"vec\": {\"feature\": [1e400, 2, 3, 4]}}",
        "{\"vec\": {\"feature\": [3.4028236E38, 2, 3, 4]}}", "{\"vec\": {\"feature\": [1, 2, 3, 1e999999]}}",
        "{\"vec\": {\"feature\": [1, 2, 3, 1" + "0".repeat(39) + "]}}",
        "{\"vec\": {\"feature\": [1, 2, 3, " + "9".repeat(1200) + "]}}",
        doc("\"f\": 1e39"), doc("\"f\": -3.5e38"), doc("\"f\": 1e400"), doc("\"d\": 1e400"), doc("\"d\": -1e309"),
        doc("\"f\": NaN"), doc("\"d\": \"NaN\""), doc("\"f\": \"Infinity\""),
        // strings, booleans and containers for numbers
        "{\"vec\": {\"feature\": [\"1.5\", 2, 3, 4]}}", "{\"vec\": {\"feature\": [true, 2, 3, 4]}}",
        "{\"vec\": {\"feature\": [null, 2, 3, 4]}}", "{\"vec\": {\"feature\": \"1,2,3,4\"}}",
        doc("\"i\": \"5\""), doc("\"l\": \"5\""), doc("\"f\": \"1.5\""), doc("\"d\": true"), doc("\"s\": 5"),
        doc("\"k\": false"), doc("\"s\": [\"a\"]"), doc("\"i\": [1]"), doc("\"f\": {\"v\": 1}"),
        // fractions for integers, integers out of range
        doc("\"i\": 1.5"), doc("\"i\": -0.5"), doc("\"l\": 2.5"), doc("\"l\": 1e-3"), doc("\"i\": 2147483648"),
        doc("\"i\": -2147483649"), doc("\"i\": 1e10"), doc("\"l\": 9223372036854775808"),
        doc("\"l\": -9223372036854775809"), doc("\"l\": 1e19"), doc("\"l\": 9.3e18"), doc("\"i\": 99999999999999999999"),
        // beyond the double range: an infinite double node, which has no BigDecimal value (was a 500)
        doc("\"i\": 1e400"), doc("\"i\": -1e400"), doc("\"l\": 1e400"), doc("\"l\": -1e309"),
        // Float.toString(Float.MAX_VALUE) reads as a double just above Float.MAX_VALUE
        doc("\"f\": 3.4028235E38"),
        // strings too long
        doc("\"s\": \"" + "x".repeat(Documents.MAX_STRING_BYTES + 1) + "\""),
        doc("\"k\": \"" + "\\u00e9".repeat(Documents.MAX_STRING_BYTES + 1) + "\""),
        // unknown fields
        doc("\"colour\": 1"), doc("\"_index\": \"db\""), doc("\"Vec\": 1"), doc("\"colour\": null"),
        "{\"vec\": {\"feature\": [1, 2, 3, 4], \"extra\": 1}}", "{\"vec\": {\"extra\": 1, \"feature\": [1, 2, 3, 4]}}",
        "{\"vec\": {\"features\": [1, 2, 3, 4]}}",
        // missing or misshapen vector
        "{}", "{\"f\": 1.5}", "{\"vec\": null}", "{\"vec\": {}}", "{\"vec\": {\"feature\": null}}", "{\"vec\": [1, 2, 3, 4]}",
        "{\"vec\": \"1,2,3,4\"}", "{\"vec\": 1}", "{\"_id\": \"a\"}",
        // nested junk
        "{\"vec\": {\"feature\": [1, [2], 3, 4]}}", "{\"vec\": {\"feature\": [1, {\"a\": [1, 2]}, 3, 4]}}",
        "{\"vec\": {\"feature\": [[1, 2, 3, 4]]}}", "{\"vec\": {\"feature\": {\"0\": 1}}}",
        doc("\"x\": {\"a\": {\"b\": [1, {\"c\": null}]}}"), doc("\"s\": {\"a\": [" + "[".repeat(50) + "]".repeat(50) + "]}"),
        "{\"vec\": {\"feature\": [1, 2, 3, 4]}, \"s\": " + "[".repeat(1200) + "]".repeat(1200) + "}",
        // duplicate keys, also inside values the checks would refuse first
        doc("\"f\": 1, \"f\": 2"), "{" + V + ", " + V + "}", "{\"vec\": {\"feature\": [1, 2, 3, 4], \"feature\": [1, 2, 3, 4]}}",
        doc("\"_id\": \"a\", \"_id\": \"a\""), doc("\"colour\": 1, \"x\": {\"a\": 1, \"a\": 2}"),
        "{\"colour\": 1, " + V + ", \"colour\": 2}", doc("\"s\": 5, \"s\": \"x\""),
        // ids
        doc("\"_id\": \"\""), doc("\"_id\": 1.5"), doc("\"_id\": true"), doc("\"_id\": null"), doc("\"_id\": [\"a\"]"),
        doc("\"_id\": {\"a\": 1}"), doc("\"_id\": \"a\\u0001b\""), doc("\"_id\": \"" + "i".repeat(Documents.MAX_ID_LENGTH + 1) + "\""),
        doc("\"_id\": 1e3"),
        // malformed JSON, trailing tokens, not an object
        "{\"vec\": {\"feature\": [1, 2, 3, 4]}", "{\"vec\": {\"feature\": [1, 2, 3, 4]}} x", "{\"vec\": {\"feature\": [1, 2, 3, 4]}} {}",
        "{\"vec\": {\"feature\": [1, 2, 3, 4]}}]", "{\"vec\": {\"feature\": [1, 2, 3, 4,]}}", "{\"vec\": {\"feature\": [1 2 3 4]}}",
        "{'vec': {\"feature\": [1, 2, 3, 4]}}", "{vec: {\"feature\": [1, 2, 3, 4]}}", "{\"vec\": {\"feature\": [01, 2, 3, 4]}}",
        "{\"vec\": {\"feature\": [1., 2, 3, 4]}}", "{\"vec\": {\"feature\": [.5, 2, 3, 4]}}", "{\"vec\": {\"feature\": [+1, 2, 3, 4]}}",
        "{\"vec\": {\"feature\": [0x1, 2, 3, 4]}}", "{\"vec\": /* c */ {\"feature\": [1, 2, 3, 4]}}",
        doc("\"s\": \"unterminated"), doc("\"s\": \"bad \\q escape\""), doc("\"s\": \"raw \u0001 control\""),
        "[1, 2, 3, 4]", "\"doc\"", "42", "null", "true", "{\"vec\": {\"feature\": [1, 2, 3, 4]}} // c"));
    for (String b : bad) {
      same(b, null);
      same(b, "a");
      assertTrue(!viaTree(b, null).startsWith("doc "), () -> "meant as invalid: " + b);
    }
  }

  @Test
  void idConflictsFailAlike() {
    for (String body : List.of(doc("\"_id\": \"a\""), doc("\"_id\": 7"), doc("\"_id\": 123456789012345678901234567890"))) {
      same(body, "b");
      assertTrue(viaTree(body, "b").contains("the request is for 'b'"), body);
    }
    assertTrue(same(doc("\"_id\": 7"), "7"));
  }

  @Test
  void randomDocumentsAndTheirMutationsAgree() {
    long seed = new Random().nextLong();
    Random r = new Random(seed);
    int streamed = 0;
    int valid = 0;
    try {
      for (int n = 0; n < 3000; n++) {
        String json = randomDoc(r);
        String id = r.nextInt(4) == 0 ? "q" + r.nextInt(3) : null;
        boolean plain = same(json, id);
        if (viaTree(json, id).startsWith("doc ")) {
          valid++;
          streamed += plain ? 1 : 0;
        }
        for (int m = 0; m < 4; m++) {
          same(mutate(r, json), id);
        }
      }
    } catch (AssertionError e) {
      throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
    }
    assertTrue(valid > 500 && streamed > valid * 9 / 10, "seed " + seed + ": " + streamed + " of " + valid + " valid streamed");
  }

  @Test
  void vectorValuesAreTheJdkDoubleCastToFloat() {
    Random r = new Random(3);
    for (int n = 0; n < 20_000; n++) {
      String[] texts = new String[DIM];
      StringBuilder sb = new StringBuilder("{\"vec\": {\"feature\": [");
      for (int i = 0; i < DIM; i++) {
        texts[i] = number(r);
        sb.append(i == 0 ? "" : ", ").append(texts[i]);
      }
      String json = sb.append("]}}").toString();
      byte[] b = json.getBytes(StandardCharsets.UTF_8);
      Document d = PARSER.tryParse(b, 0, b.length, "a");
      boolean finite = true;
      for (int i = 0; i < DIM; i++) {
        finite &= Float.isFinite((float) Double.parseDouble(texts[i]));
      }
      if (!finite) {
        assertNull(d, json);
        continue;
      }
      assertNotNull(d, json);
      for (int i = 0; i < DIM; i++) {
        assertEquals(Float.floatToRawIntBits((float) Double.parseDouble(texts[i])), Float.floatToRawIntBits(d.vector()[i]),
            texts[i]);
      }
    }
  }

  static String number(Random r) {
    return switch (r.nextInt(8)) {
      case 0 -> Float.toString(r.nextFloat() * 2 - 1);
      case 1 -> Double.toString(r.nextGaussian() * Math.pow(10, r.nextInt(80) - 40));
      case 2 -> Integer.toString(r.nextInt());
      case 3 -> Long.toString(r.nextLong() >> r.nextInt(64));
      case 4 -> String.format(java.util.Locale.ROOT, "%.9f", r.nextDouble() - 0.5);
      case 5 -> (r.nextBoolean() ? "-" : "") + r.nextInt(10) + "." + Long.toString(r.nextLong() >>> 1) + "e" + (r.nextInt(90) - 45);
      case 6 -> Float.toString(Float.intBitsToFloat(r.nextInt()));
      default -> r.nextInt(1000) + "E" + (r.nextInt(80) - 40);
    };
  }

  static String randomDoc(Random r) {
    List<String> parts = new ArrayList<>();
    StringBuilder v = new StringBuilder("\"vec\": {\"feature\": [");
    int len = r.nextInt(20) == 0 ? DIM + r.nextInt(3) - 1 : DIM;
    for (int i = 0; i < len; i++) {
      v.append(i == 0 ? "" : ",").append(r.nextInt(60) == 0 ? "\"1\"" : number(r));
    }
    parts.add(v.append("]}").toString());
    if (r.nextInt(3) == 0) {
      parts.add("\"_id\": " + (r.nextBoolean() ? "\"q" + r.nextInt(3) + "\"" : Integer.toString(r.nextInt(5))));
    }
    String[][] scalars = {
        {"i", Integer.toString(r.nextInt()), "7.0", "2147483648"},
        {"l", Long.toString(r.nextLong()), "-12", "1.5"},
        {"f", number(r), "1e39", "\"2\""},
        {"d", number(r), "1e400", "null"},
        {"s", "\"s" + r.nextInt(100) + "\"", "\"\\u00fc\"", "1"},
        {"k", "\"k\"", "null", "[\"k\"]"}};
    for (String[] s : scalars) {
      if (r.nextBoolean()) {
        int pick = r.nextInt(10);
        parts.add("\"" + s[0] + "\": " + (pick < 8 ? s[1] : s[pick - 6]));
      }
    }
    if (r.nextInt(30) == 0) {
      parts.add("\"other\": 1");
    }
    java.util.Collections.shuffle(parts, r);
    return "{" + String.join(r.nextBoolean() ? ", " : ",", parts) + "}";
  }

  static String mutate(Random r, String json) {
    StringBuilder sb = new StringBuilder(json);
    int at = r.nextInt(sb.length());
    String junk = "{}[]\",:-+.eE0123456789 \\nulltruefalse\u00e9x";
    switch (r.nextInt(4)) {
      case 0 -> sb.deleteCharAt(at);
      case 1 -> sb.insert(at, junk.charAt(r.nextInt(junk.length())));
      case 2 -> sb.setCharAt(at, junk.charAt(r.nextInt(junk.length())));
      default -> sb.setLength(at);
    }
    return sb.toString();
  }

  static final SpaceSchema TWO = SpaceSchemas.parse("db", StrictJson.parseObject(("""
      {"name": "s2", "engine": {"retrieval_type": "FLAT"},
       "properties": {"a": {"type": "vector", "dimension": 2}, "n": {"type": "integer"},
                      "b": {"type": "vector", "dimension": 3}}}""").getBytes(StandardCharsets.UTF_8), "test"));

  @Test
  void severalVectorFieldsStreamIntoOneArrayOrFallBackToTheTree() {
    DocumentStreamParser parser = new DocumentStreamParser(TWO);
    String[] docs = {
        "{\"a\": {\"feature\": [1, 2]}, \"b\": {\"feature\": [3, 4, 5]}, \"n\": 7}",
        "{\"b\": {\"feature\": [3, 4, 5]}, \"a\": {\"feature\": [1.5, 2]}}",
        "{\"a\": {\"feature\": [1, 2]}, \"n\": 7}",
        "{\"b\": {\"feature\": [3, 4, 5]}}",
        "{\"a\": {\"feature\": [1, 2]}, \"b\": {\"feature\": [3, 4]}}",
        "{\"a\": {\"feature\": [1, 2]}, \"b\": {\"feature\": [3, 4, 5]}, \"a\": {\"feature\": [1, 2]}}",
    };
    boolean[] streamed = {true, true, false, false, false, false};
    for (int i = 0; i < docs.length; i++) {
      String json = docs[i];
      byte[] b = json.getBytes(StandardCharsets.UTF_8);
      String tree = outcome(() -> {
        try {
          return Documents.parse(TWO, (ObjectNode) ORACLE.readTree(b), "x", "line 2");
        } catch (JsonProcessingException e) {
          throw e;
        } catch (java.io.IOException e) {
          throw new AssertionError(e);
        }
      });
      String stream = outcome(() -> parser.parse(b, 0, b.length, "x", "line 2"));
      assertEquals(tree, stream, json);
      assertEquals(streamed[i], parser.tryParse(b, 0, b.length, "x") != null, json);
    }
    Document d = parser.tryParse(docs[1].getBytes(StandardCharsets.UTF_8), 0, docs[1].length(), "x");
    assertNotNull(d);
    assertEquals(List.of(1.5f, 2f, 3f, 4f, 5f), List.of(d.vector()[0], d.vector()[1], d.vector()[2], d.vector()[3],
        d.vector()[4]));
    assertTrue(viaTwo(parser, docs[2]).contains("line 2.b: missing"), viaTwo(parser, docs[2]));
  }

  private static String viaTwo(DocumentStreamParser parser, String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return outcome(() -> parser.parse(b, 0, b.length, "x", "line 2"));
  }

  @Test
  void aNormalizedFieldIsScaledAndAZeroVectorFailsAsInTheTree() throws Exception {
    SpaceSchema n = SpaceSchemas.parse("db", StrictJson.parseObject("""
        {"name": "n", "engine": {"retrieval_type": "FLAT", "retrieval_param": {"metric_type": "L2"}},
         "properties": {"v": {"type": "vector", "dimension": 2, "format": "normalization"}}}"""
        .getBytes(StandardCharsets.UTF_8), "test"));
    DocumentStreamParser p = new DocumentStreamParser(n);
    byte[] good = "{\"v\": {\"feature\": [0, 2]}}".getBytes(StandardCharsets.UTF_8);
    Document d = p.parse(good, 0, good.length, "a", "line 1");
    assertEquals(0f, d.vector()[0], 0);
    assertEquals(1f, d.vector()[1], 1e-6);
    byte[] zero = "{\"v\": {\"feature\": [0, 0]}}".getBytes(StandardCharsets.UTF_8);
    ApiException e = assertThrows(ApiException.class, () -> p.parse(zero, 0, zero.length, "a", "line 2"));
    assertTrue(e.reason().startsWith("line 2.v: a zero vector cannot be normalised"), e.reason());
  }
}
