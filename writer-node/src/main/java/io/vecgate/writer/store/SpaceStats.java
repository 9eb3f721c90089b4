package io.vecgate.writer.store;

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

  /** One segment: its file, documents in it, of which deleted, and its index type. */
  public record Segment(String file, int docNum, int deleted, String index) {}
}
