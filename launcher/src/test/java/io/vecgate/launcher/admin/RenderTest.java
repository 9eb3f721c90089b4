package io.vecgate.launcher.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The human-readable forms of the admin answers. */
class RenderTest {

  @Test
  void tablesAlignTheirColumns() {
    String t = new Table("A", "LONGER").row("xyz", 1).row(null, "").toString();
    assertEquals("A    LONGER\nxyz  1\n-    -\n", t);
  }

  @Test
  void spacesWithAliasesAndEmptyDbs() {
    JsonObject space = new JsonObject("{\"name\":\"items_v2\",\"db\":\"shop\",\"partition_num\":2,\"engine\":"
        + "{\"retrieval_type\":\"IVFFLAT\"},\"doc_num\":5000,\"buffered\":0,\"version\":2,\"versions\":[1,2],"
        + "\"index_state\":\"indexed\",\"indexed_docs\":5000,\"flat_docs\":0,\"index_build\":\"none\"}");
    JsonObject alias = new JsonObject("{\"name\":\"items\",\"db\":\"shop\",\"space\":\"items_v2\",\"history\":[]}");
    String out = Render.spaces(List.of(space), List.of(alias), List.of("empty"));
    String[] lines = out.split("\n");
    assertEquals(3, lines.length, out);
    assertTrue(lines[0].matches("DB +SPACE +VERSION +KEPT +DOCS .*ALIASES"), out);
    assertTrue(lines[1].matches("shop +items_v2 +2 +1,2 +5000 +0 +2 +IVFFLAT +indexed +5000 +0 +none +items"), out);
    assertTrue(lines[2].matches("empty +\\(no spaces\\)( +-)+"), out);
    assertEquals("no dbs\n", Render.spaces(List.of(), List.of(), List.of()));
  }

  @Test
  void aliasesShowBuildingAndHistory() {
    JsonObject a = new JsonObject("{\"name\":\"items\",\"db\":\"shop\",\"space\":\"items_v2\",\"building\":"
        + "{\"db\":\"shop\",\"space\":\"items_v3\"},\"history\":[{\"db\":\"shop\",\"space\":\"items_v1\"},"
        + "{\"db\":\"shop\",\"space\":\"items_v0\"}]}");
    assertEquals("ALIAS  SERVING        BUILDING       HISTORY\n"
        + "items  shop/items_v2  shop/items_v3  shop/items_v1, shop/items_v0\n", Render.aliases(List.of(a)));
  }

  @Test
  void nodesWithLoadAndUnreachableOnes() {
    JsonObject reader = new JsonObject().put("node_id", "reader-1").put("role", "reader")
        .put("endpoints", new JsonObject().put("grpc", "127.0.0.1:9090"))
        .put("versions", new io.vertx.core.json.JsonArray().add("shop/items@3")).put("qps", 12.25)
        .put("heap_used", 100L << 20).put("heap_max", 1L << 30).put("mapped_bytes", 1536L);
    JsonObject gone = new JsonObject().put("node_id", "reader-2").put("role", "reader").put("unreachable", "timeout");
    String out = Render.nodes(List.of(reader, gone));
    String[] lines = out.split("\n");
    assertTrue(lines[1].matches("reader-1 +reader +grpc 127.0.0.1:9090 +shop/items@3 +12.3 +100.0M/1.0G +1.5K"), out);
    assertTrue(lines[2].matches("reader-2 +reader +unreachable: timeout( +-)+"), out);
  }

  @Test
  void bytes() {
    assertEquals("0B", Render.bytes(0));
    assertEquals("1023B", Render.bytes(1023));
    assertEquals("1.0K", Render.bytes(1024));
    assertEquals("2.5G", Render.bytes(5L << 29));
  }

  private static JsonObject job(String state, String phase, long rows, Long total) {
    JsonObject p = new JsonObject().put("rows", rows).put("rate", 1200);
    if (total != null) {
      p.put("total", total).put("percent", Math.round(1000.0 * rows / total) / 10.0).put("eta_seconds", 4);
    }
    return new JsonObject().put("job_id", "rebuild-1").put("db", "shop").put("alias", "items").put("state", state)
        .put("phase", phase).put("space", "items_v2").put("version", 3).put("progress", p)
        .put("counts", new JsonObject().put("new", 1000)).put("readers", 2)
        .put("timings_ms", new JsonObject().put("precheck", 3).put("mark_building", 1).put(phase, 10))
        .put("error", state.equals("succeeded") ? null : "source has 10 rows, checks.min_count is 100");
  }

  @Test
  void progressBarAndPhaseLines() {
    assertEquals("load       [###############...............]  50.0%  500/1000 rows  1200 rows/s  eta 4s",
        JobProgress.bar(job("running", "load", 500, 1000L), 30));
    assertEquals("precheck   [..........]     ?  0 rows  1200 rows/s", JobProgress.bar(job("running", "precheck", 0, null), 10));
    Set<String> printed = new HashSet<>();
    assertEquals(List.of("precheck", "mark_building", "load"), JobProgress.newPhases(job("running", "load", 1, 10L), printed));
    assertEquals(List.of(), JobProgress.newPhases(job("running", "load", 5, 10L), printed));
    assertEquals(List.of("build"), JobProgress.newPhases(job("running", "build", 10, 10L), printed));
  }

  @Test
  void outcomesAndExitCodes() {
    JsonObject ok = job("succeeded", "cleanup", 1000, 1000L);
    assertEquals("job rebuild-1 succeeded: alias items -> shop/items_v2 (version 3, 1000 documents, warmed on 2 readers)",
        JobProgress.outcome(ok));
    assertEquals(0, JobProgress.exitCode(ok));
    JsonObject failed = job("failed", "precheck", 0, 10L);
    assertEquals("job rebuild-1 failed in phase precheck: source has 10 rows, checks.min_count is 100",
        JobProgress.outcome(failed));
    assertEquals(1, JobProgress.exitCode(failed));
    assertEquals(3, JobProgress.exitCode(job("cancelled", "load", 5, 10L)));
  }
}
