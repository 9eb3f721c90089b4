package io.vecgate.gateway.milvus;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vecgate.gateway.milvus.MilvusCollections.Collection;
import io.vecgate.milvus.proto.PlaceholderGroup;
import io.vecgate.milvus.proto.PlaceholderType;
import io.vecgate.milvus.proto.TemplateArrayValue;
import io.vecgate.milvus.proto.TemplateValue;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.protocol.reader.Hit;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pieces of Milvus requests that are not messages of their own: query vectors in a placeholder group,
 * key-value parameters, output field lists, template values, and the rounding of scores.
 */
final class MilvusParams {

  private MilvusParams() {}

  static List<List<Hit>> emptyLists(int nq) {
    List<List<Hit>> out = new ArrayList<>();
    for (int i = 0; i < nq; i++) {
      out.add(List.of());
    }
    return out;
  }

  /** The fields to return: those asked for ({@code *} = every scalar field), with the primary key for queries. */
  static List<String> outputFields(Collection c, List<String> asked, boolean withKey) {
    Set<String> out = new LinkedHashSet<>();
    if (withKey) {
      out.add(c.primaryKey());
    }
    for (String f : asked) {
      if (f.equals("*")) {
        c.fieldNames().stream().filter(n -> !n.equals(c.vectorField())).forEach(out::add);
      } else if (c.typeOf(f) == null) {
        throw ApiException.badRequest("output_fields: no field '" + f + "' in collection " + c.space().name());
      } else {
        out.add(f);
      }
    }
    return new ArrayList<>(out);
  }

  /** The query vectors of a placeholder group: one FloatVector placeholder, each value {@code dim} little-endian floats. */
  static float[] queries(ByteString group, int dim) {
    PlaceholderGroup g;
    try {
      g = PlaceholderGroup.parseFrom(group);
    } catch (InvalidProtocolBufferException e) {
      throw ApiException.badRequest("placeholder_group: not a PlaceholderGroup message");
    }
    if (g.getPlaceholdersCount() != 1 || g.getPlaceholders(0).getType() != PlaceholderType.FloatVector) {
      throw ApiException.badRequest("placeholder_group: expected one group of float vectors");
    }
    List<ByteString> values = g.getPlaceholders(0).getValuesList();
    if (values.isEmpty()) {
      throw ApiException.badRequest("placeholder_group: no query vectors");
    }
    float[] out = new float[values.size() * dim];
    for (int i = 0; i < values.size(); i++) {
      ByteString v = values.get(i);
      if (v.size() != dim * 4) {
        throw ApiException.badRequest("placeholder_group: query vector " + i + " has " + v.size() / 4
            + " floats, the collection's dim is " + dim);
      }
      ByteBuffer bb = v.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      for (int j = 0; j < dim; j++) {
        out[i * dim + j] = bb.getFloat();
      }
    }
    return out;
  }

  static float round(float score, int decimals) {
    if (decimals < 0 || Float.isNaN(score) || Float.isInfinite(score)) {
      return score;
    }
    return new BigDecimal(Float.toString(score)).setScale(decimals, RoundingMode.HALF_UP).floatValue();
  }

  static int intParam(Map<String, String> params, String key, int def) {
    String v = params.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(key + ": expected an integer, got '" + v + "'");
    }
  }

  static JsonNode parseJson(String s, String what) {
    try {
      return StrictJson.MAPPER.readTree(s);
    } catch (IOException e) {
      throw ApiException.badRequest(what + ": expected JSON, got '" + s + "'");
    }
  }

  /** Template values as the expression parser takes them: Long, Double, String, Boolean or a List of them. */
  static Map<String, Object> templates(Map<String, TemplateValue> values) {
    Map<String, Object> out = new HashMap<>();
    values.forEach((k, v) -> out.put(k, switch (v.getValCase()) {
      case BOOL_VAL -> v.getBoolVal();
      case INT64_VAL -> v.getInt64Val();
      case FLOAT_VAL -> v.getFloatVal();
      case STRING_VAL -> v.getStringVal();
      case ARRAY_VAL -> {
        TemplateArrayValue a = v.getArrayVal();
        yield switch (a.getDataCase()) {
          case BOOL_DATA -> new ArrayList<Object>(a.getBoolData().getDataList());
          case LONG_DATA -> new ArrayList<Object>(a.getLongData().getDataList());
          case DOUBLE_DATA -> new ArrayList<Object>(a.getDoubleData().getDataList());
          case STRING_DATA -> new ArrayList<Object>(a.getStringData().getDataList());
          default -> throw ApiException.badRequest("expr_template_values." + k + ": nested arrays and JSON are not supported");
        };
      }
      default -> throw ApiException.badRequest("expr_template_values." + k + ": no value");
    }));
    return out;
  }
}
