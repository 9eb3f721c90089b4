package io.vecgate.reader.version;

import io.vecgate.engine.column.ColumnReader;
import io.vecgate.engine.manifest.Manifest;
import io.vecgate.engine.manifest.Manifests;
import io.vecgate.engine.search.FixedBitSet;
import io.vecgate.engine.segment.SegmentField;
import io.vecgate.engine.segment.SegmentReader;
import io.vecgate.store.DataLayout;
import io.vecgate.store.VersionState;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Opens version directories: reads and verifies the manifest (sizes, not checksums: every
 * segment checks its own sections on open), reads the tombstones, maps the segments through
 * {@link SharedSegments} and builds the {@code _id} index. Blocking; call it off the event loop.
 */
public final class VersionLoader {

  private static final long PAGE = 4096;

  private final SharedSegments shared;
  private final IntPredicate serves;
  private final MemoryBudget budget;

  public VersionLoader(SharedSegments shared) {
    this(shared, partition -> true, MemoryBudget.unlimited());
  }

  /**
   * A loader that maps only the partitions {@code serves} accepts (the others load as empty) and
   * refuses a version whose new files do not fit in {@code budget}.
   */
  public VersionLoader(SharedSegments shared, IntPredicate serves, MemoryBudget budget) {
    this.shared = shared;
    this.serves = serves;
    this.budget = budget;
  }

  public SharedSegments shared() {
    return shared;
  }

  /**
   * Loads the version in {@code dir}. On failure nothing stays mapped.
   *
   * @throws IOException when the directory is not a complete, consistent version
   * @throws io.vecgate.protocol.api.ApiException 507 when its files do not fit in the memory budget
   */
  public LoadedVersion load(VersionKey key, Path dir) throws IOException {
    Manifest manifest = Manifests.readVerified(dir, false);
    if (manifest.version() != key.version() || !manifest.space().equals(key.space())) {
      throw new IOException(dir + " holds version " + manifest.version() + " of space '" + manifest.space()
          + "', expected " + key);
    }
    VersionState state = VersionState.read(dir);
    List<List<LoadedSegment>> partitions = new ArrayList<>();
    List<String> acquired = new ArrayList<>();
    try (MemoryBudget.Reservation ignored = budget.reserve(key, manifest, shared, serves)) {
      for (Manifest.Partition p : manifest.partitions()) {
        List<LoadedSegment> segs = new ArrayList<>();
        for (Manifest.SegmentFile f : serves.test(p.id()) ? p.segments() : List.<Manifest.SegmentFile>of()) {
          SegmentReader reader = shared.acquire(key.db(), key.space(), f.file(), dir.resolve(f.file()));
          acquired.add(f.file());
          segs.add(segment(key, manifest, p.id(), f.file(), reader, state.deletedOf(f.file())));
        }
        partitions.add(List.copyOf(segs));
      }
      return new LoadedVersion(key, dir, manifest, List.copyOf(partitions), shared);
    } catch (IOException | RuntimeException e) {
      for (String file : acquired) {
        shared.release(key.db(), key.space(), file);
      }
      throw e;
    }
  }

  private LoadedSegment segment(VersionKey key, Manifest manifest, int partition, String file, SegmentReader reader,
                                int[] deleted) throws IOException {
    if (!(reader.columns().get(DataLayout.ID_COLUMN) instanceof ColumnReader.KeywordColumn ids)) {
      throw new IOException(reader.path() + " has no keyword column " + DataLayout.ID_COLUMN);
    }
    List<SegmentField> fields = new ArrayList<>();
    for (Manifest.Field f : LoadedVersion.vectorFields(manifest)) {
      SegmentField sf;
      try {
        sf = reader.field(f.name());
      } catch (IllegalArgumentException e) {
        throw new IOException("the manifest of " + key + " lists vector field '" + f.name() + "': " + e.getMessage(), e);
      }
      if (sf.dimension() != f.dimension()) {
        throw new IOException(reader.path() + ": vector field '" + f.name() + "' has dimension " + sf.dimension()
            + ", the manifest of " + key + " says " + f.dimension());
      }
      fields.add(sf);
    }
    FixedBitSet live = null;
    if (deleted.length > 0) {
      live = FixedBitSet.all(reader.size());
      for (int ord : deleted) {
        if (ord < 0 || ord >= reader.size()) {
          throw new IOException("version.json deletes ordinal " + ord + " of " + file + ", which has "
              + reader.size() + " documents");
        }
        live.clear(ord);
      }
    }
    return new LoadedSegment(partition, file, reader, live, ids, shared.idIndex(key.db(), key.space(), file, ids),
        fields);
  }

  /**
   * Reads one byte of every 4 KiB page of every mapped section of {@code v}, so the first
   * queries do not pay the page faults (the sections are mapped, not read, on open).
   *
   * @return a checksum of the bytes read, so the loop cannot be optimised away
   */
  public static long touchPages(LoadedVersion v) {
    return touchPages(v.allSegments());
  }

  /** Reads one byte of every page of {@code segments} (the index sections of every vector field, and ids). */
  public static long touchPages(java.util.Collection<LoadedSegment> segments) {
    long sum = 0;
    for (LoadedSegment s : segments) {
      for (MemorySegment part : s.reader().indexSections()) {
        for (long off = 0; off < part.byteSize(); off += PAGE) {
          sum += part.get(ValueLayout.JAVA_BYTE, off);
        }
      }
      for (long off = 0; off < s.reader().size(); off += 512) {
        sum += s.reader().id((int) off); // 512 longs = one page of the ids section
      }
    }
    return sum;
  }
}
