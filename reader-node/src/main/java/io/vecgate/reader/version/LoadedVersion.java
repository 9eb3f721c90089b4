package io.vecgate.reader.version;

import io.vecgate.engine.column.ColumnType;
import io.vecgate.engine.manifest.Manifest;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A published version mapped in memory: its manifest and its segments by partition (each with
 * its {@code _id} index for get-by-id).
 *
 * <p>Life cycle: a version serves searches until {@link #retire()}; a search brackets its work
 * with {@link #acquire()} / {@link #release()}, and the version unmaps its segments (releases
 * them to {@link SharedSegments}) when it is retired and the last search has ended. Thread-safe.
 */
public final class LoadedVersion {

  private final VersionKey key;
  private final Path dir;
  private final Manifest manifest;
  private final List<List<LoadedSegment>> partitions;
  private final Map<String, ColumnType> scalarFields;
  private final List<Manifest.Field> vectorFields;
  private final SharedSegments shared;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  private int inFlight;
  private boolean retired;

  LoadedVersion(VersionKey key, Path dir, Manifest manifest, List<List<LoadedSegment>> partitions,
                SharedSegments shared) {
    this.key = key;
    this.dir = dir;
    this.manifest = manifest;
    this.partitions = partitions;
    this.shared = shared;
    Map<String, ColumnType> scalars = new LinkedHashMap<>();
    for (Manifest.Field f : manifest.schema().fields()) {
      if (!f.isVector()) {
        scalars.put(f.name(), ColumnType.parse(f.type()));
      }
    }
    this.scalarFields = Collections.unmodifiableMap(scalars);
    this.vectorFields = vectorFields(manifest);
  }

  public VersionKey key() {
    return key;
  }

  /** The version directory it was loaded from. */
  public Path dir() {
    return dir;
  }

  public Manifest manifest() {
    return manifest;
  }

  /** Number of partitions (ids {@code 0..n-1}). */
  public int partitionCount() {
    return partitions.size();
  }

  /** The segments of partition {@code id}. */
  public List<LoadedSegment> segments(int id) {
    return partitions.get(id);
  }

  /** Every segment of every partition. */
  public List<LoadedSegment> allSegments() {
    return partitions.stream().flatMap(List::stream).toList();
  }

  /** The scalar fields of the schema with their column types, in schema order. */
  public Map<String, ColumnType> scalarFields() {
    return scalarFields;
  }

  /** The vector fields of a manifest's schema, in order. */
  static List<Manifest.Field> vectorFields(Manifest manifest) {
    return manifest.schema().fields().stream().filter(Manifest.Field::isVector).toList();
  }

  /**
   * The vector fields of the schema, in order; {@link LoadedSegment#field(int)} takes a position
   * in this list.
   */
  public List<Manifest.Field> vectorFields() {
    return vectorFields;
  }

  /** The position of vector field {@code name} in {@link #vectorFields()}, or -1. */
  public int vectorFieldIndex(String name) {
    for (int i = 0; i < vectorFields.size(); i++) {
      if (vectorFields.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** The names of the vector fields, in order, for messages. */
  public List<String> vectorFieldNames() {
    return vectorFields.stream().map(Manifest.Field::name).toList();
  }

  /** Live documents. */
  public long liveCount() {
    return allSegments().stream().mapToLong(LoadedSegment::liveCount).sum();
  }

  /**
   * Where the live document {@code id} is, or {@code null}: a packed location, see
   * {@link #segmentOf(long)} and {@link #ordinalOf(long)}.
   */
  public Long locate(String id) {
    // A handful of segments per partition, each with its own shared index: no per-version map of every id.
    for (int p = 0; p < partitions.size(); p++) {
      List<LoadedSegment> segs = partitions.get(p);
      for (int s = 0; s < segs.size(); s++) {
        int ord = segs.get(s).liveOrdinal(id);
        if (ord >= 0) {
          return pack(p, s, ord);
        }
      }
    }
    return null;
  }

  static long pack(int partition, int segment, int ordinal) {
    return ((long) partition << 48) | ((long) segment << 32) | (ordinal & 0xffffffffL);
  }

  /** The segment of a location from {@link #locate}. */
  public LoadedSegment segmentOf(long location) {
    return partitions.get((int) (location >>> 48)).get((int) ((location >>> 32) & 0xffff));
  }

  /** The ordinal of a location from {@link #locate}. */
  public static int ordinalOf(long location) {
    return (int) location;
  }

  /**
   * Registers a search on this version.
   *
   * @return false when the version is retired: the caller must not touch it
   */
  public synchronized boolean acquire() {
    if (retired) {
      return false;
    }
    inFlight++;
    return true;
  }

  /** Ends a search registered with {@link #acquire()}. */
  public void release() {
    boolean close;
    synchronized (this) {
      if (inFlight <= 0) {
        throw new IllegalStateException(key + " released more often than acquired");
      }
      close = --inFlight == 0 && retired;
    }
    if (close) {
      unmap();
    }
  }

  /** Takes no new searches; unmaps once the running ones have ended. Idempotent. */
  public void retire() {
    boolean close;
    synchronized (this) {
      if (retired) {
        return;
      }
      retired = true;
      close = inFlight == 0;
    }
    if (close) {
      unmap();
    }
  }

  public synchronized boolean isRetired() {
    return retired;
  }

  public synchronized int inFlight() {
    return inFlight;
  }

  /** Completes once the version's segments are released (after {@link #retire()} and the last search). */
  public CompletableFuture<Void> closed() {
    return closed;
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  private void unmap() {
    for (LoadedSegment s : allSegments()) {
      shared.release(key.db(), key.space(), s.file());
    }
    closed.complete(null);
  }

  @Override
  public String toString() {
    return "LoadedVersion[" + key + ", " + allSegments().size() + " segments]";
  }
}
