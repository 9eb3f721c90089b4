package io.vecgate.writer.rebuild;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RebuildCountsTest {

  static JsonNode describe(String indexState, String indexBuild, int buffered, String partitions) throws Exception {
    return new ObjectMapper().readTree("{\"doc_num\": 20000, \"buffered\": " + buffered + ", \"index_state\": \""
        + indexState + "\", \"index_build\": \"" + indexBuild + "\", \"partitions\": [" + partitions + "]}");
  }

  static String partition(String... segmentTypes) {
    StringBuilder b = new StringBuilder("{\"segments\": [");
    for (int i = 0; i < segmentTypes.length; i++) {
      b.append(i == 0 ? "" : ",").append("{\"index\": \"").append(segmentTypes[i]).append("\"}");
    }
    return b.append("]}").toString();
  }

  @Test
  void indexedSpacesAreBuilt() throws Exception {
    assertTrue(RebuildCounts.indexed(describe("indexed", "none", 0, partition("IVFSQ8") + "," + partition("IVFSQ8"))));
  }

  @Test
  void aPartitionTooSmallForTheIndexIsBuiltOnceItIsOneSegment() throws Exception {
    // One partition indexed, the other one FLAT segment below the index threshold (no build pending):
    // it will stay FLAT, so the rebuild must not wait for it.
    assertTrue(RebuildCounts.indexed(describe("partial", "none", 0, partition("IVFSQ8") + "," + partition("FLAT"))));
  }

  @Test
  void pendingRunningBufferedOrUncompactedAreNotBuilt() throws Exception {
    String oneEach = partition("FLAT") + "," + partition("FLAT");
    assertFalse(RebuildCounts.indexed(describe("partial", "pending", 0, oneEach)));
    assertFalse(RebuildCounts.indexed(describe("partial", "running", 0, oneEach)));
    assertFalse(RebuildCounts.indexed(describe("partial", "none", 5, oneEach)));
    assertFalse(RebuildCounts.indexed(describe("partial", "none", 0, partition("FLAT", "FLAT") + "," + partition("FLAT"))));
  }
}
