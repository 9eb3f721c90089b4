package io.vecgate.writer.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.engine.manifest.Manifest;
import io.vecgate.engine.manifest.Manifests;
import io.vecgate.files.JsonFileFormat;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.store.DataLayout;
import io.vecgate.store.VersionState;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * A backup of one published version: a directory holding a copy of the version's files
 * ({@code manifest.json}, {@code version.json} and every segment file, whose sizes and CRC32C the
 * manifest records) and {@code backup.json} ({@value #KIND_NAME}: where it came from and the
 * space's definition, so that it can be restored as a space). Versions are immutable, so a copy
 * taken while the space takes writes is whole; it is verified, every byte against the manifest's
 * checksums, after it is written and again before it is restored.
 *
 * <p>Layout of {@code backup.json}'s body: {@code {"db", "space", "version", "created",
 * "space_body": the space's create body, "docs"}}.
 */
public final class Backup {

  static final String KIND_NAME = "vecgate.backup";
  public static final JsonFileFormat.Kind KIND = new JsonFileFormat.Kind(KIND_NAME, JsonFileFormat.VERSION_2);
  public static final String FILE = "backup.json";

  /** What {@code backup.json} says, and the verified manifest and tombstones of the copy. */
  public record Contents(String db, String space, long version, ObjectNode spaceBody, Manifest manifest,
                         VersionState state) {}

  private Backup() {}

  /**
   * Copies {@code versionDir} (version {@code version} of {@code db/space}) to {@code to}, which
   * must not exist or be empty, and verifies the copy. On failure what was copied is removed.
   *
   * @return the copy's contents
   * @throws ApiException 400 naming {@code to} when it is not an empty directory; 500 naming the
   *     file when the copy does not match the manifest
   */
  public static Contents write(Path versionDir, String db, String space, long version, ObjectNode spaceBody, Path to)
      throws IOException {
    if (Files.exists(to) && (!Files.isDirectory(to) || !isEmpty(to))) {
      throw ApiException.badRequest("to: " + to + " is not an empty directory; a backup goes to a new one");
    }
    Manifest m = Manifests.read(versionDir);
    Files.createDirectories(to);
    try {
      for (Manifest.Partition p : m.partitions()) {
        for (Manifest.SegmentFile f : p.segments()) {
          Files.copy(versionDir.resolve(f.file()), to.resolve(f.file()), StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
      Files.copy(versionDir.resolve(DataLayout.VERSION_STATE), to.resolve(DataLayout.VERSION_STATE));
      Files.copy(versionDir.resolve(Manifest.FILE_NAME), to.resolve(Manifest.FILE_NAME));
      ObjectNode body = JsonFileFormat.MAPPER.createObjectNode();
      body.put("db", db).put("space", space).put("version", version).put("created", Instant.now().toString());
      body.set("space_body", spaceBody);
      body.put("docs", m.totalCount());
      JsonFileFormat.write(to.resolve(FILE), KIND, JsonFileFormat.MAPPER.writeValueAsBytes(body));
      return read(to);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(to);
      throw e;
    }
  }

  /**
   * Reads and verifies a backup: {@code backup.json}, the manifest, the tombstones, and every
   * segment file's size and CRC32C.
   *
   * @throws ApiException 400 naming the file that is missing, damaged or does not match
   */
  public static Contents read(Path dir) {
    try {
      JsonNode b = JsonFileFormat.read(dir.resolve(FILE), KIND, (v, body) -> body);
      Manifest m = Manifests.read(dir);
      Manifests.verify(dir, m, true);
      VersionState state = VersionState.read(dir);
      if (!(b.path("space_body") instanceof ObjectNode spaceBody)) {
        throw new IOException(dir.resolve(FILE) + ": no space_body object");
      }
      return new Contents(b.path("db").asText(), b.path("space").asText(), b.path("version").asLong(), spaceBody, m,
          state);
    } catch (IOException e) {
      throw ApiException.badRequest("source.path: " + dir + " is not a whole backup: " + e.getMessage());
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      return !s.iterator().hasNext();
    }
  }

  private static void deleteQuietly(Path dir) {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // Best effort: the caller reports the failure that brought us here.
    }
  }
}
