package io.vecgate.space;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a document straight from JSON bytes with a streaming parser: no tree per document, the
 * vector's {@code feature} array goes directly into a {@code float[]}. Used where documents come
 * by the thousand (the writer's {@code _bulk}).
 *
 * <p>Contract: {@link #parse} returns and throws exactly what
 * {@code Documents.parse(schema, (ObjectNode) MAPPER.readTree(json), id, path)} would, with the
 * same {@link ApiException} status and reason. It does so in two steps: a streaming pass accepts
 * a document only when every value has the plain shape (vector numbers that are int, long or
 * double literals, in range; scalars of their field's token type; ids as strings or integers)
 * and refuses the document at the first doubt; a refused document is then parsed again as a tree
 * by {@link Documents#parse}, which either names the error or accepts the unusual but valid forms
 * the streaming pass leaves to it (say {@code 5.0} for an integer field). So the error messages
 * have one source, and only the acceptance of plain documents is written twice
 * ({@code DocumentStreamParserTest} runs both over valid and invalid documents).
 *
 * <p>Numbers follow the {@link #MAPPER} tree: a fraction or exponent literal is read as a double
 * (then cast, for vector and float fields), not as a BigDecimal. Thread-safe.
 */
public final class DocumentStreamParser {

  /**
   * The mapper whose tree {@link #parse} matches, for the lines around documents too: strict on
   * duplicate keys and trailing tokens; floating-point literals as doubles (BigDecimal halves the
   * bulk rate), parsed with Jackson's fast parser (correctly rounded, as {@link Double#parseDouble}).
   * Integer literals stay exact (int, long or BigInteger); only a long written with a fraction,
   * like {@code 9007199254740993.0}, would be rounded.
   */
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final SpaceSchema schema;
  private final FieldSpec[] fields;
  /** Where each field's vector starts in the document's vectors (vector fields only). */
  private final int[] offsets;
  /** Each vector field's bit in the mask of vector fields a document has (0 for scalars). */
  private final long[] vectorBits;
  /** Bit {@code i} per vector field {@code i} of the schema: the mask of a document that has them all. */
  private final long allVectors;
  private final int vectorLength;

  public DocumentStreamParser(SpaceSchema schema) {
    this.schema = schema;
    this.fields = schema.fields().toArray(FieldSpec[]::new);
    this.offsets = new int[fields.length];
    this.vectorBits = new long[fields.length];
    int vectors = 0;
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].isVector()) {
        offsets[i] = schema.vectorOffset(fields[i]);
        vectorBits[i] = 1L << vectors++;
      }
    }
    this.allVectors = vectors == 64 ? -1L : (1L << vectors) - 1;
    this.vectorLength = schema.vectorLength();
  }

  /**
   * Parses the document in {@code json[off, off + len)}.
   *
   * @param id the id from the URL or the bulk action, or {@code null} to take {@code _id} from
   *     the body (as {@link Documents#parse})
   * @param path prefix for error messages (e.g. {@code "line 4"})
   * @throws JsonProcessingException when the bytes are not one well-formed JSON value, as
   *     {@code MAPPER.readTree} throws it
   * @throws ApiException 400 when the value is not an object ({@code "{path}: expected a document
   *     object, got ..."}) or not a valid document of the space
   */
  public Document parse(byte[] json, int off, int len, String id, String path) throws JsonProcessingException {
    Document d = tryParse(json, off, len, id);
    if (d != null) {
      return d;
    }
    JsonNode n;
    try {
      n = MAPPER.readTree(json, off, len);
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      // Reading a byte array does no I/O.
      throw new UncheckedIOException(e);
    }
    if (n == null || !n.isObject()) {
      throw StrictJson.wrongType(path, "a document object", n);
    }
    return Documents.parse(schema, (ObjectNode) n, id, path);
  }

  /**
   * The streaming pass alone: the document, or {@code null} when it is invalid or has a form
   * the pass leaves to the tree. Never accepts what {@link Documents#parse} refuses.
   */
  Document tryParse(byte[] json, int off, int len, String id) {
    try (JsonParser p = MAPPER.createParser(json, off, len)) {
      return read(p, id);
    } catch (IOException | ApiException e) {
      return null;
    }
  }

  private Document read(JsonParser p, String id) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return null;
    }
    String docId = id;
    float[] vector = new float[vectorLength];
    long vectorsSeen = 0;
    Map<String, Object> scalars = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (name.equals("_id")) {
        String bodyId = id(p, v);
        if (bodyId == null || docId != null && !docId.equals(bodyId)) {
          return null;
        }
        docId = bodyId;
        continue;
      }
      int fi = field(name);
      if (fi < 0) {
        return null;
      }
      FieldSpec f = fields[fi];
      if (f.isVector()) {
        if (!vector(p, v, vector, offsets[fi], f.dimension())) {
          return null;
        }
        vectorsSeen |= vectorBits[fi];
      } else if (v != JsonToken.VALUE_NULL) {
        Object value = scalar(f, p, v);
        if (value == null) {
          return null;
        }
        scalars.put(f.name(), value);
      }
    }
    // At the document's END_OBJECT; anything after it fails the tree too (trailing tokens).
    if (vectorsSeen != allVectors || p.nextToken() != null) {
      return null;
    }
    try {
      Documents.normalize(schema, vector, "");
    } catch (ApiException zero) {
      return null; // the tree parser says so, naming the line
    }
    return new Document(docId, vector, scalars);
  }

  private int field(String name) {
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** As {@link Documents#idValue}; null for anything else. */
  private static String id(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_STRING) {
      return Documents.checkId(p.getText(), "_id");
    }
    if (v == JsonToken.VALUE_NUMBER_INT) {
      return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue().toString()
          : Long.toString(p.getLongValue());
    }
    return null;
  }

  /**
   * {@code {"feature": [dimension finite floats]}} into {@code out[off..off + dimension)}, leaving
   * the parser on its END_OBJECT; false for anything else.
   */
  private static boolean vector(JsonParser p, JsonToken v, float[] out, int off, int dimension) throws IOException {
    if (v != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME || !p.currentName().equals("feature")
        || p.nextToken() != JsonToken.START_ARRAY) {
      return false;
    }
    int n = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (n == dimension) {
        return false;
      }
      float x;
      if (t == JsonToken.VALUE_NUMBER_FLOAT) {
        // The tree holds a double and casts it (DoubleNode.floatValue).
        x = (float) p.getDoubleValue();
      } else if (t == JsonToken.VALUE_NUMBER_INT) {
        JsonParser.NumberType nt = p.getNumberType();
        if (nt == JsonParser.NumberType.INT) {
          x = p.getIntValue();
        } else if (nt == JsonParser.NumberType.LONG) {
          x = p.getLongValue();
        } else {
          return false;
        }
      } else {
        return false;
      }
      if (!Float.isFinite(x)) {
        return false;
      }
      out[off + n++] = x;
    }
    return n == dimension && p.nextToken() == JsonToken.END_OBJECT;
  }

  /** As {@link Documents#scalar} for plain tokens; null for anything else. */
  private static Object scalar(FieldSpec f, JsonParser p, JsonToken v) throws IOException {
    return switch (f.type()) {
      case INTEGER -> v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT
          ? Integer.valueOf(p.getIntValue()) : null;
      case LONG -> v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
          ? Long.valueOf(p.getLongValue()) : null;
      case FLOAT -> {
        double d = number(p, v);
        yield Double.isFinite(d) && Math.abs(d) <= Float.MAX_VALUE ? Float.valueOf((float) d) : null;
      }
      case DOUBLE -> {
        double d = number(p, v);
        yield Double.isFinite(d) ? Double.valueOf(d) : null;
      }
      case STRING, KEYWORD -> {
        if (v != JsonToken.VALUE_STRING) {
          yield null;
        }
        String s = p.getText();
        yield s.length() <= Documents.MAX_STRING_BYTES ? s : null;
      }
      case VECTOR -> null;
    };
  }

  /** The double value the tree's number node has; NaN for anything the pass leaves to the tree. */
  private static double number(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getDoubleValue();
    }
    if (v == JsonToken.VALUE_NUMBER_INT) {
      return switch (p.getNumberType()) {
        case INT -> p.getIntValue();
        case LONG -> p.getLongValue();
        default -> Double.NaN;
      };
    }
    return Double.NaN;
  }
}
