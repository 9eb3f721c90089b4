package io.vecgate.writer.store;

import io.vecgate.engine.manifest.Manifest;
import io.vecgate.engine.manifest.Manifests;
import io.vecgate.files.AtomicFiles;
import io.vecgate.space.SpaceSchema;
import io.vecgate.store.DataLayout;
import io.vecgate.store.VersionState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The published versions of a space on disk and the segment files each links: writes a new
 * version (hard links, {@code version.json}, then {@code manifest.json} last), keeps the newest
 * {@link StoreConfig#versionsKept} and deletes older ones and the segment files nothing links
 * any more. Touched on the space's lane only.
 */
final class PublishedVersions {

  private final SpaceSchema schema;
  private final DataLayout layout;
  private final int versionsKept;
  private final Path segmentsDir;
  private final Path versionsDir;
  /** Kept versions and the segment files each links. */
  private final TreeMap<Long, Set<String>> versions = new TreeMap<>();
  private long version;

  PublishedVersions(SpaceSchema schema, DataLayout layout, int versionsKept) {
    this.schema = schema;
    this.layout = layout;
    this.versionsKept = versionsKept;
    this.segmentsDir = layout.segmentsDir(schema.db(), schema.name());
    this.versionsDir = layout.versionsDir(schema.db(), schema.name());
  }

  /** Newest published version, 0 before the first. */
  long version() {
    return version;
  }

  /** Versions kept on disk, ascending. */
  List<Long> kept() {
    return List.copyOf(versions.keySet());
  }

  Path versionDir(long v) {
    return layout.versionDir(schema.db(), schema.name(), v);
  }

  /**
   * Finds the complete versions on disk (those with a manifest) and deletes incomplete version
   * directories (a crash before the manifest: nobody can have seen them).
   *
   * @return the segment files the kept versions link
   */
  private Set<String> load() throws IOException {
    Files.createDirectories(segmentsDir);
    Files.createDirectories(versionsDir);
    List<Long> complete = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(versionsDir)) {
      for (Path d : dirs.toList()) {
        var v = DataLayout.parseVersionDir(d.getFileName().toString());
        if (v.isPresent() && Files.exists(d.resolve(Manifest.FILE_NAME))) {
          complete.add(v.getAsLong());
        } else {
          deleteTree(d);
        }
      }
    }
    complete.sort(null);
    Set<String> linked = new HashSet<>();
    for (long v : complete) {
      Manifest m = Manifests.read(versionDir(v));
      Set<String> files = new HashSet<>();
      VersionState.segments(m).forEach(r -> files.add(r.file()));
      versions.put(v, files);
      linked.addAll(files);
    }
    version = complete.isEmpty() ? 0 : complete.getLast();
    return linked;
  }

  /**
   * Finds the versions on disk ({@link #load}) and maps the newest one's segments into
   * {@code segments}, its deletes applied; {@code names} comes after every segment file there.
   *
   * @return the newest version's state (before the first version: nothing logged, nothing deleted)
   */
  VersionState restore(SegmentSet segments, SegmentNames names) throws IOException {
    load().forEach(names::observe);
    VersionState state = new VersionState(0, 1, Map.of());
    if (version > 0) {
      Path dir = versionDir(version);
      state = VersionState.read(dir);
      segments.load(Manifests.read(dir), state, dir, segmentsDir);
    }
    try (Stream<Path> files = Files.list(segmentsDir)) {
      files.forEach(f -> names.observe(f.getFileName().toString()));
    }
    return state;
  }

  /**
   * Publishes {@code segments} with their tombstones as the next version (then {@link #prune}).
   *
   * @param sealedSeq every WAL record up to this one is in the segments
   * @param nextDocSeq the next document number (never reused)
   * @return the new version
   */
  long publish(SegmentSet segments, long sealedSeq, long nextDocSeq) throws IOException {
    long next = version + 1;
    Path dir = versionDir(next);
    if (Files.exists(dir)) {
      deleteTree(dir);
    }
    Files.createDirectories(dir);
    Map<String, int[]> deleted = new HashMap<>();
    List<Manifest.Partition> partitions = new ArrayList<>();
    Set<String> files = new HashSet<>();
    for (int p = 0; p < segments.partitions(); p++) {
      List<Manifest.SegmentFile> entries = new ArrayList<>();
      for (SealedSegment s : segments.of(p)) {
        Files.createLink(dir.resolve(s.file()), segmentsDir.resolve(s.file()));
        files.add(s.file());
        entries.add(s.entry);
        if (!s.deleted.isEmpty()) {
          deleted.put(s.file(), s.deletedOrdinals());
        }
      }
      partitions.add(new Manifest.Partition(p, entries));
    }
    new VersionState(sealedSeq, nextDocSeq, deleted).write(dir);
    Manifest m = Manifest.of(schema.name(), next, manifestSchema(schema), schema.engine().metric(),
        schema.engine().indexType(), schema.engine().buildParams(), partitions);
    Manifests.write(dir, m);
    AtomicFiles.fsyncDirectory(versionsDir);
    version = next;
    versions.put(next, files);
    return next;
  }

  /**
   * Deletes versions beyond the newest {@code versionsKept} and the segment files only they linked
   * (see {@link #deleteUnlinkedSegments}).
   */
  void prune(Set<String> current, Predicate<String> building) throws IOException {
    while (versions.size() > versionsKept) {
      long oldest = versions.firstKey();
      deleteTree(versionDir(oldest));
      versions.remove(oldest);
    }
    deleteUnlinkedSegments(current, building);
  }

  /**
   * Deletes the segment files that no kept version links, that are not in {@code current} and
   * that no compaction in flight is writing.
   */
  void deleteUnlinkedSegments(Set<String> current, Predicate<String> building) throws IOException {
    Set<String> keep = new HashSet<>(current);
    versions.values().forEach(keep::addAll);
    try (Stream<Path> files = Files.list(segmentsDir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (!keep.contains(name) && !building.test(name)) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /** The engine's form of the schema's fields. */
  static Manifest.Schema manifestSchema(SpaceSchema schema) {
    return new Manifest.Schema(schema.fields().stream()
        .map(f -> new Manifest.Field(f.name(), f.isVector() ? "vector" : f.type().column().name().toLowerCase(),
            f.dimension(), f.index()))
        .toList());
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
