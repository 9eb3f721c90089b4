package io.vecgate.store;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Where everything lives in the data directory (a local folder, or the shared mount that the
 * writer writes and readers map):
 *
 * <pre>
 * {data}/catalog.json                               dbs, spaces (their create bodies); the writer's
 * {data}/aliases.json                               the writer's copy of the aliases (Hazelcast alias store)
 * {data}/wal/{db}/{space}/wal-{seq}.log             write-ahead log of acknowledged, unsealed writes
 * {data}/spaces/{db}/{space}/segments/{file}.seg    every sealed segment file, written once
 * {data}/spaces/{db}/{space}/versions/v{00000001}/  one published version: hard links to its segments,
 *                                                   version.json (deletes, WAL position), manifest.json last
 * {data}/jobs/{id}.json                             rebuild jobs: their last known status; the writer's
 * </pre>
 *
 * A version directory is complete when its {@code manifest.json} exists; the writer writes it
 * last, so readers never see half a version. Only the writer writes anything here.
 *
 * <p>Every file carries a format version and a checksum and is checked when read: the JSON files
 * in {@link JsonFileFormat}, the log in {@code WalFormat} (writer-node), segments in
 * {@code SegmentFormat} and the manifest in {@code Manifest} (engine); docs/internals.md,
 * "Formats and checks", has the table. {@code writer.lock} holds only the writer's pid.
 */
public record DataLayout(Path root) {

  /**
   * The keyword column of every segment that holds each document's {@code _id}. On disk it is named
   * {@code _key}: every segment file written so far has it under that name, so the value stays.
   */
  public static final String ID_COLUMN = "_key";
  public static final String VERSION_STATE = "version.json";

  public DataLayout {
    root = root.toAbsolutePath().normalize();
  }

  public Path catalog() {
    return root.resolve("catalog.json");
  }

  /** Rebuild jobs, one {@code {id}.json} each. */
  public Path jobsDir() {
    return root.resolve("jobs");
  }

  /** The writer's copy of the alias table when the alias store is Hazelcast (which keeps it in memory only). */
  public Path aliases() {
    return root.resolve("aliases.json");
  }

  public Path walDir(String db, String space) {
    return root.resolve("wal").resolve(db).resolve(space);
  }

  public Path spaceDir(String db, String space) {
    return root.resolve("spaces").resolve(db).resolve(space);
  }

  public Path segmentsDir(String db, String space) {
    return spaceDir(db, space).resolve("segments");
  }

  public Path versionsDir(String db, String space) {
    return spaceDir(db, space).resolve("versions");
  }

  public Path versionDir(String db, String space, long version) {
    return versionsDir(db, space).resolve(versionDirName(version));
  }

  public static String versionDirName(long version) {
    return String.format("v%08d", version);
  }

  /** The version number of a directory named by {@link #versionDirName}, if it is one. */
  public static OptionalLong parseVersionDir(String name) {
    if (name.length() == 9 && name.charAt(0) == 'v') {
      try {
        return OptionalLong.of(Long.parseLong(name.substring(1)));
      } catch (NumberFormatException e) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.empty();
  }
}
