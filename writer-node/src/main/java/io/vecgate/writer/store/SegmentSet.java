package io.vecgate.writer.store;

import io.vecgate.engine.column.ColumnReader;
import io.vecgate.engine.manifest.Manifest;
import io.vecgate.engine.segment.SegmentReader;
import io.vecgate.store.DataLayout;
import io.vecgate.store.VersionState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The current segments of a space, by partition and oldest first, and where the live copy of
 * each sealed document is (segment and ordinal, found by {@code _id}). Touched on the space's lane
 * only.
 */
final class SegmentSet {

  /** Where the live copy of a sealed document is. */
  private record Loc(SealedSegment segment, int ordinal) {}

  private final List<List<SealedSegment>> segments = new ArrayList<>();
  private final Map<String, Loc> live = new HashMap<>();

  SegmentSet(int partitions) {
    for (int p = 0; p < partitions; p++) {
      segments.add(new ArrayList<>());
    }
  }

  int partitions() {
    return segments.size();
  }

  /** The segments of partition {@code p}, oldest first (read-only view). */
  List<SealedSegment> of(int p) {
    return Collections.unmodifiableList(segments.get(p));
  }

  /** Live sealed documents. */
  int liveCount() {
    return live.size();
  }

  boolean contains(String id) {
    return live.containsKey(id);
  }

  /** Appends {@code seg} to its partition and makes its undeleted documents the live copies. */
  void add(SealedSegment seg) {
    segments.get(seg.partition).add(seg);
    index(seg);
  }

  /** Tombstones the sealed live copy of {@code id}; returns whether there was one. */
  boolean tombstone(String id) {
    Loc loc = live.remove(id);
    if (loc == null) {
      return false;
    }
    loc.segment().delete(loc.ordinal());
    return true;
  }

  /**
   * Swaps the built output of a compaction part in for its inputs: the inputs leave the partition
   * (their readers are closed; older versions still link their files), every input document
   * deleted or replaced since the pick is deleted in the compacted segment too, and the live
   * documents point at the compacted segment.
   *
   * @return whether the compacted segment got tombstones (deletes made during the build)
   */
  boolean swap(CompactionJob.Part part) {
    List<SealedSegment> segs = segments.get(part.partition);
    // The compacted segment takes the place of the oldest input (segments are kept oldest first).
    int at = part.inputs.stream().mapToInt(segs::indexOf).min().orElseThrow();
    SealedSegment compacted = null;
    boolean tombstoned = false;
    if (part.reader != null) {
      compacted = new SealedSegment(part.partition, Manifest.SegmentFile.of(part.written), part.reader, new BitSet());
      // Deleted or replaced during the build: their copies in the compacted segment go too.
      Set<Long> gone = new HashSet<>();
      for (int i = 0; i < part.inputs.size(); i++) {
        SealedSegment in = part.inputs.get(i);
        BitSet since = (BitSet) in.deleted.clone();
        since.andNot(part.deletedAtPick.get(i));
        since.stream().forEach(o -> gone.add(in.reader.id(o)));
      }
      for (int o = 0; o < compacted.size() && !gone.isEmpty(); o++) {
        if (gone.remove(compacted.reader.id(o))) {
          compacted.delete(o);
          tombstoned = true;
        }
      }
      assert gone.isEmpty() : "compacted segment " + part.file + " lacks " + gone;
    }
    for (SealedSegment in : part.inputs) {
      segs.remove(in);
      // Older versions still link the file; only the writer's own mapping goes.
      in.reader.close();
    }
    if (compacted != null) {
      segs.add(at, compacted);
      index(compacted);
    }
    return tombstoned;
  }

  /**
   * Drops (and unmaps) segments whose documents are all deleted: they carry nothing a reader
   * needs. A compaction's inputs stay until the compaction ends.
   */
  void dropEmpty() {
    for (List<SealedSegment> segs : segments) {
      segs.removeIf(s -> {
        if (s.live == 0 && !s.compacting) {
          s.reader.close();
          return true;
        }
        return false;
      });
    }
  }

  /** The file names of every current segment. */
  Set<String> files() {
    Set<String> files = new HashSet<>();
    segments.forEach(l -> l.forEach(s -> files.add(s.file())));
    return files;
  }

  /**
   * Adds the segments of a published version (recovery): each opened from the segments directory,
   * or from the version directory's hard link when the former is gone, with the version's
   * tombstones.
   */
  void load(Manifest m, VersionState state, Path versionDir, Path segmentsDir) throws IOException {
    for (VersionState.SegmentRef ref : VersionState.segments(m)) {
      Path file = Files.exists(segmentsDir.resolve(ref.file())) ? segmentsDir.resolve(ref.file()) : versionDir.resolve(ref.file());
      BitSet deleted = new BitSet();
      for (int o : state.deletedOf(ref.file())) {
        deleted.set(o);
      }
      SegmentReader reader = SegmentReader.open(file);
      Manifest.SegmentFile entry = m.partitions().get(ref.partition()).segments().stream()
          .filter(s -> s.file().equals(ref.file())).findFirst().orElseThrow();
      add(new SealedSegment(ref.partition(), entry, reader, deleted));
    }
  }

  /** Unmaps every segment and forgets them. */
  void closeAll() {
    for (List<SealedSegment> segs : segments) {
      segs.forEach(s -> s.reader.close());
      segs.clear();
    }
  }

  /** Registers the live documents of {@code seg} by their {@code _id}. */
  private void index(SealedSegment seg) {
    ColumnReader.KeywordColumn ids = (ColumnReader.KeywordColumn) seg.reader.column(DataLayout.ID_COLUMN);
    for (int o = 0; o < seg.size(); o++) {
      if (!seg.deleted.get(o)) {
        Loc before = live.put(ids.get(o), new Loc(seg, o));
        assert before == null || before.segment().compacting : "two live copies of " + ids.get(o);
      }
    }
  }
}
