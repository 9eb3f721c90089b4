package io.vecgate.reader.version;

import io.vecgate.engine.manifest.Manifest;
import io.vecgate.store.DataLayout;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/** Finds the published versions in a data directory. */
public final class VersionScan {

  /** A complete version directory. */
  public record Found(VersionKey key, Path dir) {}

  private VersionScan() {}

  /**
   * The complete versions (with a manifest) of every space, grouped by space, newest first
   * within a space.
   */
  public static List<List<Found>> completeVersions(DataLayout layout) throws IOException {
    Path spaces = layout.root().resolve("spaces");
    List<List<Found>> out = new ArrayList<>();
    if (!Files.isDirectory(spaces)) {
      return out;
    }
    for (Path db : dirs(spaces)) {
      for (Path space : dirs(db)) {
        String dbName = db.getFileName().toString();
        String spaceName = space.getFileName().toString();
        Path versions = layout.versionsDir(dbName, spaceName);
        if (!Files.isDirectory(versions)) {
          continue;
        }
        List<Found> found = new ArrayList<>();
        for (Path v : dirs(versions)) {
          OptionalLong n = DataLayout.parseVersionDir(v.getFileName().toString());
          if (n.isPresent() && Files.isRegularFile(v.resolve(Manifest.FILE_NAME))) {
            found.add(new Found(new VersionKey(dbName, spaceName, n.getAsLong()), v));
          }
        }
        found.sort(Comparator.comparingLong((Found f) -> f.key().version()).reversed());
        if (!found.isEmpty()) {
          out.add(found);
        }
      }
    }
    return out;
  }

  private static List<Path> dirs(Path parent) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, Files::isDirectory)) {
      ds.forEach(out::add);
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }
}
