package io.vecgate.writer.store;

import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.manifest.Manifest;
import io.vecgate.engine.segment.SegmentReader;
import java.util.BitSet;

/**
 * A segment file of the space's current state: its reader (kept open for compactions), and the
 * ordinals deleted so far, including tombstones not yet published. Touched on the space's lane
 * only, except that a compaction's build reads its reader.
 */
final class SealedSegment {

  final int partition;
  final Manifest.SegmentFile entry;
  final SegmentReader reader;
  final BitSet deleted;
  int live;
  /** Held by a compaction in flight (see {@link CompactionJob}): no other compaction picks it, and it stays mapped. */
  boolean compacting;

  SealedSegment(int partition, Manifest.SegmentFile entry, SegmentReader reader, BitSet deleted) {
    this.partition = partition;
    this.entry = entry;
    this.reader = reader;
    this.deleted = deleted;
    this.live = reader.size() - deleted.cardinality();
  }

  String file() {
    return entry.file();
  }

  IndexType type() {
    return reader.header().indexType();
  }

  int size() {
    return reader.size();
  }

  /** Tombstones {@code ordinal}; returns whether it was live. */
  boolean delete(int ordinal) {
    if (deleted.get(ordinal)) {
      return false;
    }
    deleted.set(ordinal);
    live--;
    return true;
  }

  int[] deletedOrdinals() {
    return deleted.stream().toArray();
  }
}
