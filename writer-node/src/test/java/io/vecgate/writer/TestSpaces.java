package io.vecgate.writer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.common.json.StrictJson;
import io.vecgate.common.space.Document;
import io.vecgate.common.space.SpaceSchema;
import io.vecgate.common.space.SpaceSchemas;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

/** Space bodies and documents for tests. */
public final class TestSpaces {

  private TestSpaces() {}

  /** A create body: vector {@code vec} of {@code dim}, {@code price} float, {@code brand} keyword, {@code n} long. */
  public static String body(String name, int dim, int partitions, String type, String params, String partitioner) {
    return "{\"name\":\"" + name + "\",\"partition_num\":" + partitions + ",\"partitioner\":\"" + partitioner + "\","
        + "\"engine\":{\"retrieval_type\":\"" + type + "\",\"retrieval_param\":{\"metric_type\":\"L2\"" + params + "}},"
        + "\"properties\":{\"vec\":{\"type\":\"vector\",\"dimension\":" + dim + "},\"price\":{\"type\":\"float\"},"
        + "\"brand\":{\"type\":\"keyword\"},\"n\":{\"type\":\"long\"}}}";
  }

  public static String body(String name, int dim) {
    return body(name, dim, 2, "FLAT", "", "murmur3");
  }

  public static SpaceSchema schema(String db, String body) {
    return SpaceSchemas.parse(db, (ObjectNode) parse(body));
  }

  public static com.fasterxml.jackson.databind.JsonNode parse(String json) {
    try {
      return StrictJson.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  public static com.fasterxml.jackson.databind.JsonNode parse(byte[] json) {
    return parse(new String(json, StandardCharsets.UTF_8));
  }

  public static float[] vector(Random r, int dim) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = r.nextFloat();
    }
    return v;
  }

  public static Document doc(String id, float[] v, float price) {
    return new Document(id, v, Map.of("price", price, "brand", "b" + id));
  }

  /** A document line of the bulk API. */
  public static String docJson(float[] v, float price) {
    StringBuilder sb = new StringBuilder("{\"price\":").append(price).append(",\"vec\":{\"feature\":[");
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : ",").append(v[i]);
    }
    return sb.append("]}}").toString();
  }
}
