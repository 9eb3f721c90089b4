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

  /** Whether the space is published, fully indexed, with nothing buffered and no build pending. */
  static boolean indexed(JsonNode d) {
    boolean noBuild = d.path("index_build").asText("none").equals("none");
    boolean built = d.path("index_state").asText().equals("indexed") || d.path("doc_num").asLong() == 0;
    return d.path("buffered").asLong() == 0 && noBuild && built;
  }
}
