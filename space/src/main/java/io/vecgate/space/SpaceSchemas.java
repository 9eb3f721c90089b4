package io.vecgate.space;

import static io.vecgate.protocol.json.StrictJson.integer;
import static io.vecgate.protocol.json.StrictJson.object;
import static io.vecgate.protocol.json.StrictJson.requireOnly;
import static io.vecgate.protocol.json.StrictJson.string;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.vector.Metric;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses the body of {@code PUT /space/{db}/_create} (the Vearch master API of the source texts'
 * era) into a {@link SpaceSchema}. Every key is checked: unknown ones, and parameters that do
 * not apply to the chosen {@code retrieval_type}, are refused with the path of the key.
 */
public final class SpaceSchemas {

  /** Names of dbs, spaces, aliases and fields. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_\\-]{0,127}");
  public static final int MAX_PARTITIONS = 1024;
  public static final int MAX_DIMENSION = 65_536;
  public static final int MAX_SCALAR_FIELDS = 256;
  public static final int MAX_VECTOR_FIELDS = 16;

  /** The keys of the body, of {@code engine} and of a field (public: docs/api.md's contract test compares its tables). */
  public static final Set<String> TOP = Set.of("name", "partition_num", "replica_num", "partitioner", "engine", "properties");
  public static final Set<String> ENGINE = Set.of("retrieval_type", "retrieval_param", "index_size", "name");
  public static final Set<String> FIELD = Set.of("type", "dimension", "index", "store_type", "format");

  private SpaceSchemas() {}

  /** Checks a db, space or alias name. */
  public static String checkName(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw ApiException.badRequest(what + ": expected a name of letters, digits, '_' and '-' starting with a letter "
          + "(at most 128 characters), got '" + name + "'");
    }
    return name;
  }

  public static SpaceSchema parse(String db, ObjectNode body) {
    requireOnly(body, "", TOP);
    String name = checkName("name", string(body, "name", "", null));
    int partitions = integer(body, "partition_num", "", 1, 1, MAX_PARTITIONS);
    int replicas = integer(body, "replica_num", "", 1, 1, 16);
    if (replicas > 1) {
      // Every reader serves every partition it is given: replicas are readers, not a property of a space.
      throw ApiException.badRequest("replica_num: a space has one copy on the shared mount and as many replicas as "
          + "readers serve it (run more readers, or give them --partitions); expected 1, got " + replicas);
    }
    String partitioner = string(body, "partitioner", "", "murmur3");
    if (!partitioner.equals("murmur3") && !partitioner.equals("modulo")) {
      throw ApiException.badRequest("partitioner: expected \"murmur3\" or \"modulo\", got \"" + partitioner + "\"");
    }
    ObjectNode properties = object(body, "properties", "", true);
    List<FieldSpec> fields = fields(properties);
    EngineSpec engine = engine(object(body, "engine", "", true));
    String m = engine.buildParams().get("m");
    for (FieldSpec f : fields) {
      if (m != null && f.isVector() && f.dimension() % Integer.parseInt(m) != 0) {
        throw ApiException.badRequest("engine.retrieval_param.nsubvector: expected a divisor of the dimension of every "
            + "vector field (" + f.name() + " has " + f.dimension() + "), got " + m);
      }
    }
    return new SpaceSchema(db, name, partitions, replicas, partitioner, engine, fields, body.deepCopy());
  }

  private static List<FieldSpec> fields(ObjectNode properties) {
    List<FieldSpec> out = new ArrayList<>();
    int vectors = 0;
    Iterator<Map.Entry<String, JsonNode>> it = properties.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = "properties." + e.getKey();
      checkName(path, e.getKey());
      if (!e.getValue().isObject()) {
        throw StrictJson.wrongType(path, "an object like {\"type\": \"float\"}", e.getValue());
      }
      JsonNode f = e.getValue();
      requireOnly(f, path, FIELD);
      String typeName = string(f, "type", path, null);
      FieldType type = FieldType.parseOrNull(typeName);
      if (type == null) {
        throw ApiException.badRequest(path + ".type: expected one of vector, integer, long, float, double, string, "
            + "keyword, got \"" + typeName + "\"");
      }
      int dimension = 0;
      if (type == FieldType.VECTOR) {
        vectors++;
        dimension = integer(f, "dimension", path, null, 1, MAX_DIMENSION);
      } else if (f.has("dimension")) {
        throw ApiException.badRequest(path + ".dimension: only vector fields have a dimension");
      }
      if (f.has("store_type")) {
        if (type != FieldType.VECTOR) {
          throw ApiException.badRequest(path + ".store_type: only vector fields have a store_type");
        }
        String store = string(f, "store_type", path, null);
        // vecgate keeps vectors in memory-mapped files paged in by warm-up: what MemoryOnly and Mmap ask for.
        if (!store.equals("MemoryOnly") && !store.equals("Mmap")) {
          throw ApiException.badRequest(path + ".store_type: \"MemoryOnly\" and \"Mmap\" are supported (vectors are "
              + "memory-mapped and warmed), got \"" + store + "\"");
        }
      }
      boolean normalized = false;
      if (f.has("format")) {
        String format = string(f, "format", path, null);
        if (type != FieldType.VECTOR || !format.equals("normalization")) {
          throw ApiException.badRequest(path + ".format: only \"normalization\" on a vector field is supported, got \""
              + format + "\"");
        }
        normalized = true;
      }
      boolean index = StrictJson.bool(f, "index", path, type == FieldType.VECTOR);
      out.add(new FieldSpec(e.getKey(), type, dimension, index, normalized));
    }
    if (vectors < 1 || vectors > MAX_VECTOR_FIELDS) {
      throw ApiException.badRequest("properties: expected 1 to " + MAX_VECTOR_FIELDS + " fields of type vector, got "
          + vectors);
    }
    if (out.size() - vectors > MAX_SCALAR_FIELDS) {
      throw ApiException.badRequest("properties: at most " + MAX_SCALAR_FIELDS + " scalar fields, got "
          + (out.size() - vectors));
    }
    return out;
  }

  private static EngineSpec engine(ObjectNode engine) {
    requireOnly(engine, "engine", ENGINE);
    String typeName = string(engine, "retrieval_type", "engine", null);
    IndexType type;
    try {
      type = IndexType.parse(typeName);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("engine.retrieval_type: expected one of FLAT, IVFFLAT, IVFSQ8, IVFPQ, HNSW, got \""
          + typeName + "\"");
    }
    ObjectNode p = object(engine, "retrieval_param", "engine", false);
    if (p == null) {
      p = StrictJson.MAPPER.createObjectNode();
    }
    String path = "engine.retrieval_param";
    Set<String> allowed = switch (type) {
      case FLAT -> Set.of("metric_type");
      case IVF_FLAT, IVF_SQ8 -> Set.of("metric_type", "ncentroids", "nprobe", "training_threshold");
      case IVF_PQ -> Set.of("metric_type", "ncentroids", "nprobe", "nsubvector", "training_threshold");
      case HNSW -> Set.of("metric_type", "nlinks", "efConstruction", "efSearch");
    };
    Iterator<String> names = p.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!allowed.contains(n)) {
        throw ApiException.badRequest(path + "." + n + ": not a parameter of " + typeName + "; expected one of "
            + new java.util.TreeSet<>(allowed));
      }
    }
    String metricName = string(p, "metric_type", path, "L2");
    Metric metric = switch (metricName) {
      case "L2" -> Metric.L2;
      case "InnerProduct" -> Metric.INNER_PRODUCT;
      case "Cosine" -> Metric.COSINE;
      default -> throw ApiException.badRequest(path + ".metric_type: expected \"L2\", \"InnerProduct\" or \"Cosine\", got \""
          + metricName + "\"");
    };
    Map<String, String> build = new LinkedHashMap<>();
    int nprobe = 0;
    int efSearch = 0;
    switch (type) {
      case FLAT -> { }
      case IVF_FLAT, IVF_SQ8, IVF_PQ -> {
        build.put("nlist", String.valueOf(integer(p, "ncentroids", path, 1024, 1, 1 << 20)));
        nprobe = integer(p, "nprobe", path, 16, 1, 1 << 20);
        if (p.has("training_threshold")) {
          build.put("train_size", String.valueOf(integer(p, "training_threshold", path, null, 1, Integer.MAX_VALUE)));
        }
        if (type == IndexType.IVF_PQ && p.has("nsubvector")) {
          build.put("m", String.valueOf(integer(p, "nsubvector", path, null, 1, MAX_DIMENSION)));
        }
      }
      case HNSW -> {
        build.put("M", String.valueOf(integer(p, "nlinks", path, 16, 2, 512)));
        build.put("efConstruction", String.valueOf(integer(p, "efConstruction", path, 200, 1, 1 << 16)));
        efSearch = integer(p, "efSearch", path, 64, 1, 1 << 16);
      }
    }
    // Vearch's index_size: the space's own index is built from this many documents (smaller segments are FLAT).
    int indexSize = integer(engine, "index_size", "engine", 0, 1, Integer.MAX_VALUE);
    return new EngineSpec(type, metric, build, nprobe, efSearch, indexSize);
  }
}
