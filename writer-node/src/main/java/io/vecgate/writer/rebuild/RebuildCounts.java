package io.vecgate.writer.rebuild;

import com.fasterxml.jackson.databind.JsonNode;

/** What a rebuild reads from a space description ({@code space.get}). */
final class RebuildCounts {

  private RebuildCounts() {}

  /** Live documents of the published version: every partition's count, nothing buffered. */
  static long published(JsonNode description) {
    long n = 0;
    for (JsonNode p : description.path("partitions")) {
      n += p.path("doc_num").asLong();
    }
    return n;
  }

  /**
   * Whether the space is published and built as far as it will be: nothing buffered, no build
   * running or pending, and every partition indexed or compacted into one segment. A lone FLAT
   * segment with no build pending is a partition too small for the space's index type (below
   * {@code --flat-below} or the IVF training minimum): it stays FLAT, searched exactly, and
   * waiting for it to be indexed would wait until the job's timeout.
   */
  static boolean indexed(JsonNode d) {
    boolean noBuild = d.path("index_build").asText("none").equals("none");
    boolean built = d.path("index_state").asText().equals("indexed") || d.path("doc_num").asLong() == 0
        || everyPartitionOneSegment(d);
    return d.path("buffered").asLong() == 0 && noBuild && built;
  }

  private static boolean everyPartitionOneSegment(JsonNode d) {
    for (JsonNode p : d.path("partitions")) {
      if (p.path("segments").size() > 1) {
        return false;
      }
    }
    return true;
  }
}
