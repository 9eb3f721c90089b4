package io.vecgate.writer.store;

import io.vecgate.common.space.SpaceSchema;
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
 *     or {@code "partial"} (some segments are FLAT because they are still small)
 */
public record SpaceStats(long docNum, int buffered, long version, List<Long> versions, List<Partition> partitions,
                         String indexState) {

  public record Partition(int id, long docNum, List<Segment> segments) {}

  static SpaceStats of(SpaceSchema schema, SegmentSet segments, int buffered, long version, List<Long> versions) {
    List<Partition> parts = new ArrayList<>();
    boolean any = false;
    boolean partial = false;
    for (int p = 0; p < segments.partitions(); p++) {
      List<Segment> segs = new ArrayList<>();
      long live = 0;
      for (SealedSegment s : segments.of(p)) {
        segs.add(new Segment(s.file(), s.size(), s.size() - s.live, s.type().name()));
        live += s.live;
        any = true;
        partial |= s.type() != schema.engine().indexType();
      }
      parts.add(new Partition(p, live, segs));
    }
    return new SpaceStats(segments.liveCount() + buffered, buffered, version, versions, parts,
        !any ? "empty" : partial ? "partial" : "indexed");
  }

  /** One segment: its file, documents in it, of which deleted, and its index type. */
  public record Segment(String file, int docNum, int deleted, String index) {}
}
