package io.vecgate.engine.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.engine.segment.Crc32c;
import io.vecgate.files.CorruptFileException;
import io.vecgate.files.JsonFileFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads, writes and verifies {@code manifest.json} of a version directory. The writer publishes
 * segment files first and the manifest last (both atomically), so a directory with a manifest
 * is complete.
 *
 * <p>The file is a {@link JsonFileFormat} file of kind {@link JsonFileFormat#MANIFEST}: format
 * version 2 (written) wraps the manifest JSON, its body, in a header with the body's CRC32C;
 * version 1 (every release before issue 11, still read) is the bare manifest JSON. The body is
 * the same in both ({@link Manifest}; its own {@code formatVersion} field is 1 in both).
 */
public final class Manifests {

  /** Strict: every field required and non-null, unknown fields and duplicate keys refused. */
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  private Manifests() {}

  /** The JSON text of {@code m}. */
  public static String toJson(Manifest m) {
    try {
      return MAPPER.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a manifest record failed to serialise", e);
    }
  }

  /**
   * Parses manifest JSON.
   *
   * @param source names the text in messages (a file name)
   * @throws ManifestException naming the field at fault: unknown, missing, null, of the wrong type, or inconsistent
   */
  public static Manifest fromJson(String json, String source) throws ManifestException {
    try {
      return MAPPER.readValue(json, Manifest.class);
    } catch (JsonProcessingException e) {
      throw new ManifestException(source + ": " + problem(e), e);
    }
  }

  /** The manifest in the body of {@code manifest.json}, which {@link JsonFileFormat} parsed strictly. */
  private static Manifest fromBody(ObjectNode body) throws ManifestException {
    try {
      return MAPPER.treeToValue(body, Manifest.class);
    } catch (JsonProcessingException e) {
      throw new ManifestException(problem(e), e);
    }
  }

  /** Writes {@code versionDir/manifest.json} atomically (temp name, fsync, rename, fsync directory), at version 2. */
  public static void write(Path versionDir, Manifest m) throws IOException {
    JsonFileFormat.write(versionDir.resolve(Manifest.FILE_NAME), JsonFileFormat.MANIFEST,
        toJson(m).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads and checks {@code versionDir/manifest.json} of any format version {@link JsonFileFormat} reads.
   *
   * @throws ManifestException when there is no manifest: the version is not published
   * @throws CorruptFileException naming the file when it fails its check (damaged, truncated, another kind or a
   *     newer format version) or its body is not a consistent manifest (unknown, missing or mistyped field ...)
   */
  public static Manifest read(Path versionDir) throws IOException {
    Path file = versionDir.resolve(Manifest.FILE_NAME);
    try {
      return JsonFileFormat.read(file, JsonFileFormat.MANIFEST, (version, body) -> fromBody(body));
    } catch (NoSuchFileException e) {
      throw new ManifestException(file + ": no manifest (the version is not published)", e);
    }
  }

  /**
   * Checks that every segment file of {@code m} exists in {@code versionDir} with the recorded
   * size and, when {@code checksums} is set, the recorded whole-file CRC32C (which reads every
   * byte: slow on a large version).
   *
   * @throws ManifestException listing every problem found
   */
  public static void verify(Path versionDir, Manifest m, boolean checksums) throws IOException {
    List<String> problems = new ArrayList<>();
    for (Manifest.Partition p : m.partitions()) {
      for (Manifest.SegmentFile s : p.segments()) {
        Path f = versionDir.resolve(s.file());
        if (!Files.isRegularFile(f)) {
          problems.add(s.file() + " (partition " + p.id() + ") is missing");
          continue;
        }
        long size = Files.size(f);
        if (size != s.sizeBytes()) {
          problems.add(s.file() + " is " + size + " bytes, manifest says " + s.sizeBytes());
          continue;
        }
        if (checksums) {
          long crc = Crc32c.ofFile(f);
          if (crc != s.crc32c()) {
            problems.add(s.file() + " has CRC32C " + Crc32c.hex((int) crc) + ", manifest says " + Crc32c.hex((int) s.crc32c()));
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ManifestException(versionDir + ": version " + m.version() + " of space " + m.space() + " does not match "
          + "its manifest: " + String.join("; ", problems));
    }
  }

  /** Reads and verifies a version directory in one step. */
  public static Manifest readVerified(Path versionDir, boolean checksums) throws IOException {
    Manifest m = read(versionDir);
    verify(versionDir, m, checksums);
    return m;
  }

  /** What is wrong with a manifest's JSON: the field at fault and why, or where it is not JSON. */
  private static String problem(JsonProcessingException e) {
    return switch (e) {
      case UnrecognizedPropertyException u -> "unknown field '" + u.getPropertyName() + "'" + where(u, true)
          + "; known fields: " + u.getKnownPropertyIds();
      case ValueInstantiationException v -> (v.getCause() != null ? v.getCause() : v).getMessage() + where(v, false);
      case JsonMappingException m -> m.getOriginalMessage() + where(m, false);
      default -> "not valid JSON: " + e.getOriginalMessage();
    };
  }

  /** " at partitions[0].segments[1]" for the JSON path of an error (without the last field for unknown fields). */
  private static String where(JsonMappingException e, boolean parentOnly) {
    List<JsonMappingException.Reference> path = e.getPath();
    int end = parentOnly ? path.size() - 1 : path.size();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < end; i++) {
      JsonMappingException.Reference r = path.get(i);
      if (r.getFieldName() != null) {
        sb.append(sb.isEmpty() ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.isEmpty() ? "" : " at " + sb;
  }
}
