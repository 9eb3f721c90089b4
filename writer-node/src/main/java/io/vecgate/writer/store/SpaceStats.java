package io.vecgate.writer.store;

import io.vecgate.engine.index.IndexType;
import io.vecgate.space.SpaceSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * What a space holds, for its description.
 *
 * @param docNum live documents, sealed and buffered
 * @param buffered documents acknowledged but not sealed yet
 * @param version newest published version, 0 before the first
 * @param versions versions kept on disk, ascending
 * @param partitions per partition: live sealed documents and segments
 * @param indexState {@code "empty"}, {@code "indexed"} (every segment has the space's index type)
 *     or {@code "partial"} (some segments are FLAT: searched exactly, only slower)
 * @param indexedDocs live sealed documents in segments with the space's index type
 * @param flatDocs live sealed documents in FLAT segments of a space of another type
 * @param indexBuild {@code "running"} (a compaction is building the space's index),
 *     {@code "pending"} (a partition with FLAT documents holds enough documents for the index: they
 *     are indexed once the space is quiet, or compacted into a large segment) or {@code "none"}
 *     (nothing to index, or partitions too small for the space's index type)
 */
public record SpaceStats(long docNum, int buffered, long version, List<Long> versions, List<Partition> partitions,
                         String indexState, long indexedDocs, long flatDocs, String indexBuild) {

  public record Partition(int id, long docNum, List<Segment> segments) {}

  /** One segment: its file, documents in it, of which deleted, and its index type. */
  public record Segment(String file, int docNum, int deleted, String index) {}

  /**
   * @param indexThreshold fewest documents for which the space's index type is built
   * @param building whether a compaction in flight builds the space's index
   */
  static SpaceStats of(SpaceSchema schema, SegmentSet segments, int buffered, long version, List<Long> versions,
      int indexThreshold, boolean building) {
    IndexType spaceType = schema.engine().indexType();
    List<Partition> parts = new ArrayList<>();
    boolean any = false;
    long indexed = 0;
    long flat = 0;
    boolean pending = false;
    boolean partial = false;
    for (int p = 0; p < segments.partitions(); p++) {
      List<Segment> segs = new ArrayList<>();
      long live = 0;
      long flatHere = 0;
      for (SealedSegment s : segments.of(p)) {
        segs.add(new Segment(s.file(), s.size(), s.size() - s.live, s.type().name()));
        live += s.live;
        any = true;
        if (s.type() == spaceType) {
          indexed += s.live;
        } else {
          flatHere += s.live;
          partial = true;
        }
      }
      flat += flatHere;
      // The quiet compaction makes the partition one segment, indexed when it holds enough documents.
      pending |= flatHere > 0 && live >= indexThreshold;
      parts.add(new Partition(p, live, segs));
    }
    return new SpaceStats(segments.liveCount() + buffered, buffered, version, versions, parts,
        !any ? "empty" : partial ? "partial" : "indexed", indexed, flat,
        building ? "running" : pending ? "pending" : "none");
  }
}
