package io.vecgate.engine.manifest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.vecgate.engine.column.ColumnType;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.segment.WrittenSegment;
import io.vecgate.engine.vector.Metric;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One published version of a space: what {@code manifest.json} in the version's directory says.
 * Every field is required in the JSON and unknown fields are refused ({@link Manifests#read}).
 * The constructors check the content, so a {@code Manifest} that exists is consistent. The JSON
 * below is the file's body: the file wraps it in a header with its checksum ({@link Manifests}).
 *
 * <pre>{@code
 * {
 *   "formatVersion": 1,
 *   "space": "items",
 *   "version": 3,
 *   "createdAt": "2026-11-22T04:05:00Z",
 *   "schema": {"fields": [
 *     {"name": "embedding", "type": "vector", "dimension": 128, "index": true},
 *     {"name": "color", "type": "keyword", "dimension": 0, "index": true}]},
 *   "metric": "L2",
 *   "indexType": "IVF_FLAT",
 *   "indexParams": {"nlist": "1024"},
 *   "partitions": [{"id": 0, "segments": [
 *     {"file": "p0-000001.seg", "sizeBytes": 51904, "crc32c": 2864434397, "docCount": 100}]}],
 *   "totalCount": 100
 * }
 * }</pre>
 *
 * @param formatVersion version of this JSON layout, {@link #FORMAT_VERSION} (of the body: the file's
 *     format version, 1 without header or 2 with it, is the header's)
 * @param space the space's name
 * @param version the version number, >= 1, increasing with each publication
 * @param createdAt ISO-8601 instant of publication (e.g. {@code 2026-11-22T04:05:00Z})
 * @param schema the fields of the space
 * @param metric the vector metric
 * @param indexType the index family
 * @param indexParams index build parameters as strings ({@code IndexParams})
 * @param partitions partitions with ids {@code 0..P-1}, in order
 * @param totalCount documents in all segments
 */
public record Manifest(int formatVersion, String space, long version, String createdAt, Schema schema, Metric metric,
                       IndexType indexType, Map<String, String> indexParams, List<Partition> partitions, long totalCount) {

  /** The manifest's file name in a version directory. */
  public static final String FILE_NAME = "manifest.json";
  public static final int FORMAT_VERSION = 1;

  public Manifest {
    if (formatVersion != FORMAT_VERSION) {
      throw new IllegalArgumentException("manifest format version " + formatVersion + " is not supported (this build reads "
          + FORMAT_VERSION + ")");
    }
    if (space == null || space.isBlank()) {
      throw new IllegalArgumentException("space must not be empty");
    }
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1, got " + version);
    }
    try {
      Instant.parse(createdAt);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("createdAt must be an ISO-8601 instant like 2026-11-22T04:05:00Z, got '"
          + createdAt + "'");
    }
    indexParams = Map.copyOf(indexParams);
    partitions = List.copyOf(partitions);
    long sum = 0;
    Set<String> files = new HashSet<>();
    for (int i = 0; i < partitions.size(); i++) {
      Partition p = partitions.get(i);
      if (p.id() != i) {
        throw new IllegalArgumentException("partition " + i + " has id " + p.id() + "; ids must be 0..P-1 in order");
      }
      for (SegmentFile s : p.segments()) {
        if (!files.add(s.file())) {
          throw new IllegalArgumentException("segment file " + s.file() + " is listed twice");
        }
        sum += s.docCount();
      }
    }
    if (sum != totalCount) {
      throw new IllegalArgumentException("totalCount is " + totalCount + " but the segments hold " + sum + " documents");
    }
  }

  /** A manifest created now. */
  public static Manifest of(String space, long version, Schema schema, Metric metric, IndexType indexType,
                            Map<String, String> indexParams, List<Partition> partitions) {
    long total = partitions.stream().flatMap(p -> p.segments().stream()).mapToLong(SegmentFile::docCount).sum();
    return new Manifest(FORMAT_VERSION, space, version, Instant.now().toString(), schema, metric, indexType,
        indexParams, partitions, total);
  }

  /** {@link #createdAt} as an instant. */
  @JsonIgnore
  public Instant createdInstant() {
    return Instant.parse(createdAt);
  }

  /** The fields of a space. */
  public record Schema(List<Field> fields) {
    public Schema {
      fields = List.copyOf(fields);
      Set<String> names = new HashSet<>();
      boolean vector = false;
      for (Field f : fields) {
        if (!names.add(f.name())) {
          throw new IllegalArgumentException("field '" + f.name() + "' appears twice in the schema");
        }
        vector |= f.isVector();
      }
      if (!vector) {
        throw new IllegalArgumentException("the schema needs a vector field");
      }
    }
  }

  /**
   * One field of the schema.
   *
   * @param name field name
   * @param type {@code vector}, or a scalar column type: int, long, float, double, keyword, string
   * @param dimension the vector dimension (>= 1) for vectors, 0 for scalars
   * @param index whether the field is indexed (vectors) or filterable (scalars)
   */
  public record Field(String name, String type, int dimension, boolean index) {
    public Field {
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("field name must not be empty");
      }
      if (type.equals("vector")) {
        if (dimension < 1) {
          throw new IllegalArgumentException("vector field '" + name + "' needs dimension >= 1, got " + dimension);
        }
      } else {
        ColumnType.parse(type);
        if (dimension != 0) {
          throw new IllegalArgumentException("scalar field '" + name + "' must have dimension 0, got " + dimension);
        }
      }
    }

    @JsonIgnore
    public boolean isVector() {
      return type.equals("vector");
    }
  }

  /** A partition and its segment files. */
  public record Partition(int id, List<SegmentFile> segments) {
    public Partition {
      segments = List.copyOf(segments);
    }
  }

  /**
   * One segment file, named relative to the version directory.
   *
   * @param file plain file name (no directories, not hidden)
   * @param sizeBytes file length
   * @param crc32c CRC32C of the whole file, unsigned
   * @param docCount documents in the segment
   */
  public record SegmentFile(String file, long sizeBytes, long crc32c, long docCount) {
    public SegmentFile {
      if (file == null || file.isEmpty() || file.contains("/") || file.contains("\\") || file.startsWith(".")) {
        throw new IllegalArgumentException("segment file must be a plain file name, got '" + file + "'");
      }
      if (sizeBytes < 0 || docCount < 0) {
        throw new IllegalArgumentException("segment " + file + ": size and docCount must be >= 0");
      }
      if (crc32c < 0 || crc32c > 0xffffffffL) {
        throw new IllegalArgumentException("segment " + file + ": crc32c " + crc32c + " is not an unsigned 32-bit value");
      }
    }

    /** The entry of a segment just written. */
    public static SegmentFile of(WrittenSegment s) {
      return new SegmentFile(s.path().getFileName().toString(), s.sizeBytes(), s.crc32c(), s.docCount());
    }
  }
}
