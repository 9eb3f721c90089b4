package io.vecgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgate.it.Http.Reply;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A space spread over readers: one reader serves partitions 0 and 1, the other partition 2. The
 * gateway must ask both (over gRPC on loopback here) and reduce their answers, which must equal
 * brute force over all documents.
 */
class PartitionAssignmentIT {

  @TempDir Path data;

  @Test
  void searchesCoverPartitionsHeldByDifferentReaders() throws Exception {
    float[][] v = StandaloneApiIT.vectors(5, StandaloneApiIT.N);
    try (Standalone s = Standalone.start(data, List.of(List.of(0, 1), List.of(2)), false)) {
      StandaloneApiIT.setUp(s, v);
      StandaloneApiIT.awaitCount(s, "items", StandaloneApiIT.N);
      JsonNode readers = s.read.get("/_cluster/nodes").json().path("readers");
      assertEquals(2, readers.size(), readers::toString);
      readers.forEach(r -> assertEquals(false, r.path("in_process").asBoolean(), readers::toString));
      for (float[] q : StandaloneApiIT.vectors(6, 5)) {
        Reply r = StandaloneApiIT.ok(s.read.post("/shop/items/_search", "{\"query\": {\"sum\": [{\"field\": \"vec\", "
            + "\"feature\": " + StandaloneApiIT.vec(q) + "}]}, \"size\": 10, \"online_log_level\": \"debug\"}"));
        assertEquals(StandaloneApiIT.bruteForce(v, q, 10, i -> true), StandaloneApiIT.ids(r.json()), r::body);
        assertEquals(2, r.json().path("timing_us").path("readers").asInt(), r::body);
      }
      for (int i = 0; i < 30; i++) {
        assertEquals(200, s.read.get("/shop/items/d" + i).status(), "d" + i);
      }
    }
  }
}
