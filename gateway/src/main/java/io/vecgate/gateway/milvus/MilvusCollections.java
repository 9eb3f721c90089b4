package io.vecgate.gateway.milvus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.milvus.proto.CollectionSchema;
import io.vecgate.milvus.proto.ConsistencyLevel;
import io.vecgate.milvus.proto.DataType;
import io.vecgate.milvus.proto.FieldSchema;
import io.vecgate.milvus.proto.KeyValuePair;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.space.SpaceSchema;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A Milvus collection as a vecgate space, and back. The space holds every field of the collection under its own
 * name (the primary key too, so filters can name it; its value is also the document's {@code _id}); Milvus's
 * words that vecgate's schema has none for go into the space body's {@code milvus} key, which only this API
 * reads: the Milvus type of each field (Bool is stored as an integer 0/1), the primary key, {@code auto_id},
 * the description, the consistency level and the index's name, type and parameters.
 *
 * <p>Types: Bool, Int8, Int16, Int32 (vecgate integer), Int64 (long), Float, Double, VarChar (keyword), one
 * FloatVector field. The index: FLAT, IVF_FLAT, IVF_SQ8, IVF_PQ, HNSW, and AUTOINDEX = HNSW with vecgate's
 * defaults ({@link #DEFAULT_INDEX}); metrics L2, IP, COSINE (COSINE when none is given, as Milvus).
 */
final class MilvusCollections {

  static final String DEFAULT_INDEX = "AUTOINDEX";
  static final String DEFAULT_METRIC = "COSINE";
  private static final Set<DataType> SCALARS = Set.of(DataType.Bool, DataType.Int8, DataType.Int16, DataType.Int32,
      DataType.Int64, DataType.Float, DataType.Double, DataType.VarChar, DataType.String);

  private MilvusCollections() {}

  /** What the {@code milvus} key of a space says, with the space itself. */
  record Collection(SpaceSchema space, ObjectNode meta) {
    static Collection of(SpaceSchema space) {
      JsonNode m = space.body().get("milvus");
      if (m == null || !m.isObject()) {
        return new Collection(space, synthesize(space));
      }
      return new Collection(space, (ObjectNode) m);
    }

    String primaryKey() {
      return meta.path("primary_key").asText();
    }

    DataType primaryType() {
      return typeOf(primaryKey());
    }

    boolean autoId() {
      return meta.path("auto_id").asBoolean();
    }

    String vectorField() {
      return space.vectorFieldNames().getFirst();
    }

    int dimension() {
      return space.vectorFields().getFirst().dimension();
    }

    /** The fields in the order of the collection's schema. */
    List<String> fieldNames() {
      java.util.ArrayList<String> out = new java.util.ArrayList<>();
      meta.path("fields").forEach(f -> out.add(f.path("name").asText()));
      return out;
    }

    DataType typeOf(String field) {
      for (JsonNode f : meta.path("fields")) {
        if (f.path("name").asText().equals(field)) {
          return DataType.valueOf(f.path("type").asText());
        }
      }
      return null;
    }

    Set<String> boolFields() {
      java.util.HashSet<String> out = new java.util.HashSet<>();
      meta.path("fields").forEach(f -> {
        if (f.path("type").asText().equals("Bool")) {
          out.add(f.path("name").asText());
        }
      });
      return out;
    }

    ConsistencyLevel consistency() {
      return ConsistencyLevel.valueOf(meta.path("consistency").asText("Bounded"));
    }

    /** The index as created: name, type (the Milvus one), metric, params. */
    ObjectNode index() {
      return (ObjectNode) meta.path("index");
    }

    long created() {
      return meta.path("created").asLong();
    }
  }

  /** The {@code milvus} key for a space made by the HTTP API: its fields as Milvus would type them, key {@code _id}. */
  private static ObjectNode synthesize(SpaceSchema space) {
    ObjectNode m = StrictJson.MAPPER.createObjectNode();
    ArrayNode fields = m.putArray("fields");
    m.put("primary_key", "_id").put("auto_id", false).put("description", "").put("consistency", "Bounded");
    fields.addObject().put("name", "_id").put("type", "VarChar");
    space.fields().forEach(f -> fields.addObject().put("name", f.name()).put("type", switch (f.type()) {
      case VECTOR -> "FloatVector";
      case INTEGER -> "Int32";
      case LONG -> "Int64";
      case FLOAT -> "Float";
      case DOUBLE -> "Double";
      case STRING, KEYWORD -> "VarChar";
    }));
    m.putObject("index").put("name", space.vectorFieldNames().getFirst())
        .put("type", milvusIndexType(space)).put("metric", milvusMetric(space.engine().metricName()));
    return m;
  }

  /**
   * The body of {@code space.create} for a Milvus collection, its index the default until CreateIndex says
   * otherwise.
   */
  static ObjectNode spaceBody(String name, CollectionSchema schema, int shards, ConsistencyLevel level, long createdTs) {
    if (schema.getEnableDynamicField()) {
      throw ApiException.badRequest("enable_dynamic_field: dynamic fields are not supported; declare every field");
    }
    if (schema.getFunctionsCount() > 0 || schema.getStructArrayFieldsCount() > 0) {
      throw ApiException.badRequest("schema: functions and struct array fields are not supported");
    }
    ObjectNode properties = StrictJson.MAPPER.createObjectNode();
    ObjectNode meta = StrictJson.MAPPER.createObjectNode();
    ArrayNode fields = meta.putArray("fields");
    String pk = null;
    boolean autoId = false;
    int vectors = 0;
    for (FieldSchema f : schema.getFieldsList()) {
      String path = "schema.fields." + f.getName();
      ObjectNode params = StrictJson.MAPPER.createObjectNode();
      f.getTypeParamsList().forEach(kv -> params.put(kv.getKey(), kv.getValue()));
      fields.addObject().put("name", f.getName()).put("type", f.getDataType().name())
          .put("description", f.getDescription()).set("params", params);
      if (f.getIsPrimaryKey()) {
        if (pk != null) {
          throw ApiException.badRequest(path + ": a second primary key (the first is '" + pk + "')");
        }
        if (f.getDataType() != DataType.Int64 && f.getDataType() != DataType.VarChar) {
          throw ApiException.badRequest(path + ": the primary key must be Int64 or VarChar, got " + f.getDataType());
        }
        pk = f.getName();
        autoId = f.getAutoID() || schema.getAutoID();
      }
      if (f.getIsPartitionKey() || f.getIsClusteringKey() || f.getIsFunctionOutput() || f.hasDefaultValue()) {
        throw ApiException.badRequest(path + ": partition keys, clustering keys, function outputs and default values "
            + "are not supported");
      }
      if (f.getDataType() == DataType.FloatVector) {
        vectors++;
        String dim = params.path("dim").asText(null);
        if (dim == null) {
          throw ApiException.badRequest(path + ": a FloatVector field needs type_params dim");
        }
        properties.putObject(f.getName()).put("type", "vector").put("dimension", Integer.parseInt(dim));
      } else if (SCALARS.contains(f.getDataType())) {
        String type = switch (f.getDataType()) {
          case Bool, Int8, Int16, Int32 -> "integer";
          case Int64 -> "long";
          case Float -> "float";
          case Double -> "double";
          default -> "keyword";
        };
        properties.putObject(f.getName()).put("type", type).put("index", true);
      } else {
        throw ApiException.badRequest(path + ": data type " + f.getDataType() + " is not supported (supported: Bool, "
            + "Int8, Int16, Int32, Int64, Float, Double, VarChar and one FloatVector)");
      }
    }
    if (pk == null) {
      throw ApiException.badRequest("schema: no primary key field (is_primary_key)");
    }
    if (vectors != 1) {
      throw ApiException.badRequest("schema: expected exactly one FloatVector field, got " + vectors);
    }
    meta.put("primary_key", pk).put("auto_id", autoId).put("description", schema.getDescription())
        .put("consistency", level.name()).put("created", createdTs);
    ObjectNode body = StrictJson.MAPPER.createObjectNode();
    body.put("name", name).put("partition_num", Math.max(1, Math.min(shards, 16)));
    body.set("engine", engine(DEFAULT_INDEX, DEFAULT_METRIC, Map.of()));
    body.set("properties", properties);
    body.set("milvus", meta);
    return body;
  }

  /** The parameters of a CreateIndex: {@code index_type}, {@code metric_type}, and {@code params} (JSON) or keys. */
  static Map<String, String> indexParams(List<KeyValuePair> extra) {
    Map<String, String> out = new HashMap<>();
    for (KeyValuePair kv : extra) {
      if (kv.getKey().equals("params")) {
        try {
          JsonNode p = StrictJson.MAPPER.readTree(kv.getValue());
          Iterator<Map.Entry<String, JsonNode>> it = p.fields();
          while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asText());
          }
        } catch (IOException e) {
          throw ApiException.badRequest("extra_params.params: expected a JSON object, got '" + kv.getValue() + "'");
        }
      } else {
        out.put(kv.getKey(), kv.getValue());
      }
    }
    return out;
  }

  /** vecgate's {@code engine} for a Milvus index type, metric and build parameters. */
  static ObjectNode engine(String indexType, String metric, Map<String, String> params) {
    ObjectNode e = StrictJson.MAPPER.createObjectNode();
    ObjectNode p = StrictJson.MAPPER.createObjectNode();
    p.put("metric_type", switch (metric.toUpperCase(Locale.ROOT)) {
      case "L2" -> "L2";
      case "IP" -> "InnerProduct";
      case "COSINE" -> "Cosine";
      default -> throw ApiException.badRequest("metric_type: expected L2, IP or COSINE, got '" + metric + "'");
    });
    String type = switch (indexType.toUpperCase(Locale.ROOT)) {
      case "FLAT" -> "FLAT";
      case "IVF_FLAT" -> "IVFFLAT";
      case "IVF_SQ8" -> "IVFSQ8";
      case "IVF_PQ" -> "IVFPQ";
      case "HNSW", "AUTOINDEX" -> "HNSW";
      default -> throw ApiException.badRequest("index_type: expected FLAT, IVF_FLAT, IVF_SQ8, IVF_PQ, HNSW or "
          + "AUTOINDEX, got '" + indexType + "'");
    };
    if (type.startsWith("IVF")) {
      intParam(params, "nlist", p, "ncentroids");
      if (type.equals("IVFPQ")) {
        intParam(params, "m", p, "nsubvector");
      }
    } else if (type.equals("HNSW") && !indexType.equalsIgnoreCase("AUTOINDEX")) {
      intParam(params, "M", p, "nlinks");
      intParam(params, "efConstruction", p, "efConstruction");
    }
    e.put("retrieval_type", type).set("retrieval_param", p);
    return e;
  }

  private static void intParam(Map<String, String> params, String milvus, ObjectNode p, String vecgate) {
    String v = params.get(milvus);
    if (v != null) {
      try {
        p.put(vecgate, Integer.parseInt(v));
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("params." + milvus + ": expected an integer, got '" + v + "'");
      }
    }
  }

  /** Milvus's name of the space's index type (its {@code engine.retrieval_type} as created). */
  static String milvusIndexType(SpaceSchema space) {
    return switch (space.body().path("engine").path("retrieval_type").asText().toUpperCase(Locale.ROOT)) {
      case "IVFFLAT", "IVF_FLAT" -> "IVF_FLAT";
      case "IVFSQ8", "IVF_SQ8" -> "IVF_SQ8";
      case "IVFPQ", "IVF_PQ" -> "IVF_PQ";
      case "HNSW" -> "HNSW";
      default -> "FLAT";
    };
  }

  /** Milvus's metric name for vecgate's. */
  static String milvusMetric(String vecgateMetric) {
    return switch (vecgateMetric.toUpperCase(Locale.ROOT)) {
      case "INNERPRODUCT", "INNER_PRODUCT", "IP" -> "IP";
      case "COSINE" -> "COSINE";
      default -> "L2";
    };
  }

  /** The collection's schema as DescribeCollection answers it. */
  static CollectionSchema describe(Collection c, String db) {
    CollectionSchema.Builder b = CollectionSchema.newBuilder().setName(c.space().name())
        .setDescription(c.meta().path("description").asText()).setDbName(db).setEnableDynamicField(false);
    long id = 100;
    for (JsonNode f : c.meta().path("fields")) {
      String name = f.path("name").asText();
      FieldSchema.Builder fb = FieldSchema.newBuilder().setFieldID(id++).setName(name)
          .setDataType(DataType.valueOf(f.path("type").asText())).setDescription(f.path("description").asText());
      f.path("params").fields().forEachRemaining(e -> fb.addTypeParams(
          KeyValuePair.newBuilder().setKey(e.getKey()).setValue(e.getValue().asText())));
      if (fb.getDataType() == DataType.FloatVector && f.path("params").path("dim").isMissingNode()) {
        fb.addTypeParams(KeyValuePair.newBuilder().setKey("dim").setValue(String.valueOf(c.dimension())));
      }
      if (name.equals(c.primaryKey())) {
        fb.setIsPrimaryKey(true).setAutoID(c.autoId());
        if (fb.getDataType() == DataType.VarChar && f.path("params").path("max_length").isMissingNode()) {
          fb.addTypeParams(KeyValuePair.newBuilder().setKey("max_length").setValue("65535"));
        }
      }
      b.addFields(fb);
    }
    return b.build();
  }
}
