package io.vecgate.writer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.engine.column.ColumnReader;
import io.vecgate.engine.manifest.Manifest;
import io.vecgate.engine.manifest.Manifests;
import io.vecgate.engine.segment.SegmentReader;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.space.Document;
import io.vecgate.space.SpaceSchema;
import io.vecgate.space.SpaceSchemas;
import io.vecgate.store.DataLayout;
import io.vecgate.store.VersionState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

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

  /**
   * A create body with two vector fields, {@code vec} of {@code dim} and {@code img} of
   * {@code imgDim} (declared after the scalar {@code price}), plus {@code brand} and {@code n}.
   */
  public static String twoVectorBody(String name, int dim, int imgDim, int partitions, String type, String params) {
    return "{\"name\":\"" + name + "\",\"partition_num\":" + partitions + ","
        + "\"engine\":{\"retrieval_type\":\"" + type + "\",\"retrieval_param\":{\"metric_type\":\"L2\"" + params + "}},"
        + "\"properties\":{\"vec\":{\"type\":\"vector\",\"dimension\":" + dim + "},\"price\":{\"type\":\"float\"},"
        + "\"img\":{\"type\":\"vector\",\"dimension\":" + imgDim + "},"
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

  /** The newest published (complete: its manifest written) version of a space, 0 before the first. */
  public static long newestVersion(DataLayout layout, String db, String space) throws IOException {
    Path versions = layout.versionsDir(db, space);
    if (!Files.exists(versions)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(versions)) {
      return s.filter(p -> Files.exists(p.resolve(Manifest.FILE_NAME)))
          .mapToLong(p -> DataLayout.parseVersionDir(p.getFileName().toString()).orElse(0)).max().orElse(0);
    }
  }

  /**
   * The live ids of the newest published version, read back as a reader would (manifest checked,
   * tombstones applied); fails on two live copies of an id.
   */
  public static Set<String> publishedIds(DataLayout layout, String db, String space) throws IOException {
    Path vdir = layout.versionDir(db, space, newestVersion(layout, db, space));
    Manifest m = Manifests.readVerified(vdir, true);
    VersionState state = VersionState.read(vdir);
    Set<String> ids = new HashSet<>();
    for (VersionState.SegmentRef ref : VersionState.segments(m)) {
      Set<Integer> deleted = new HashSet<>();
      for (int o : state.deletedOf(ref.file())) {
        deleted.add(o);
      }
      try (SegmentReader r = SegmentReader.open(vdir.resolve(ref.file()))) {
        ColumnReader.KeywordColumn idColumn = (ColumnReader.KeywordColumn) r.column(DataLayout.ID_COLUMN);
        for (int o = 0; o < r.size(); o++) {
          if (!deleted.contains(o) && !ids.add(idColumn.get(o))) {
            throw new AssertionError("two live copies of " + idColumn.get(o) + " in " + vdir);
          }
        }
      }
    }
    return ids;
  }

  /** Waits (spinning, no sleep) until {@code condition} holds; fails after {@code seconds}. */
  public static void await(String what, int seconds, BooleanSupplier condition) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + seconds + " s: " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
