package io.vecgate.it;

import static io.vecgate.it.StandaloneApiIT.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone process whose reader has a memory budget that holds the version it serves but not
 * a second one beside it: a blue/green rebuild then fails in its warm phase naming the budget,
 * before the switch, the alias stays where it was and searches on it go on.
 */
class MemoryBudgetIT {

  static final int DIM = 32;
  static final int ROWS = 4000;

  @TempDir Path tmp;
  StandaloneProcess standalone;

  @AfterEach
  void tearDown() throws Exception {
    if (standalone != null) {
      standalone.close();
    }
  }

  @Test
  void aRebuildThatWouldNotFitFailsBeforeTheSwitch() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Path source = fvecs(tmp.resolve("items.fvecs"));
    String job = "{\"db\": \"shop\", \"alias\": \"items\", \"source\": {\"type\": \"file\", \"path\": \"" + source
        + "\"}, \"space\": {\"name\": \"items\", \"partition_num\": 1, \"engine\": {\"retrieval_type\": \"FLAT\", "
        + "\"retrieval_param\": {\"metric_type\": \"L2\"}}, \"properties\": {\"vec\": {\"type\": \"vector\", "
        + "\"dimension\": " + DIM + "}}}, \"warmup_queries\": 5}";

    // The first build, without a budget.
    Http[] rw = start(data, "unlimited");
    Http read = rw[0];
    Http write = rw[1];
    ok(write.put("/db/_create", "{\"name\": \"shop\"}"));
    JsonNode first = RebuildIT.runJob(write, job);
    assertEquals("succeeded", first.path("state").asText(), first::toString);
    assertEquals("items_v1", servedBy(read));
    long served = segmentBytes(data);
    assertTrue(served > (long) ROWS * DIM * 4, "the segments hold the vectors: " + served);
    standalone.close();

    // Again with room for what it serves and half as much more: a second copy does not fit.
    long budget = served + served / 2;
    rw = start(data, String.valueOf(budget));
    read = rw[0];
    write = rw[1];
    assertEquals("items_v1", servedBy(read), "the served version fits at start");
    JsonNode second = RebuildIT.runJob(write, job);
    assertEquals("failed", second.path("state").asText(), second::toString);
    assertEquals("warm", second.path("phase").asText(), second::toString);
    String error = second.path("error").asText();
    assertTrue(error.contains("shop/items_v2@1 needs ") && error.contains("(--memory-budget)"), second::toString);
    assertEquals("items_v1", ok(write.get("/alias/items")).json().path("data").path("space").asText());
    assertEquals("items_v1", servedBy(read), "searches on the alias go on");
    assertEquals(404, write.get("/space/shop/items_v2").status(), "the refused version is dropped");

    // The refusal was in the reader's state while the job waited; the job's drop of items_v2 cleared it.
    String log = Files.readString(standalone.process().log);
    assertTrue(log.contains("refused shop/items_v2@1: shop/items_v2@1 needs "), "the reader logs the refusal");
    assertEquals("[]", ok(read.get("/_cluster/nodes")).json().path("readers").get(0).path("refused").toString());
  }

  /** Starts a standalone with {@code --memory-budget budget}; its read and write endpoints once ready. */
  Http[] start(Path data, String budget) throws Exception {
    standalone = StandaloneProcess.start("MemoryBudgetIT", data, "--memory-budget", budget, "--warmup-queries", "5",
        "--release-grace", "200ms");
    return new Http[] {standalone.read(), standalone.write()};
  }

  /** The space (version) the hits of a search on the alias come from. */
  static String servedBy(Http read) {
    String query = "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": "
        + StandaloneApiIT.vec(new float[DIM]) + "}]}, \"size\": 5}";
    java.util.Set<String> spaces = RebuildIT.spaces(ok(read.post("/shop/items/_search", query)));
    assertEquals(1, spaces.size(), spaces::toString);
    return spaces.iterator().next();
  }

  /**
   * Bytes of the segment files under {@code dir}, each file once: a version directory holds hard
   * links to the space's segment files.
   */
  static long segmentBytes(Path dir) throws IOException {
    java.util.Map<Object, Long> byInode = new java.util.HashMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".seg"))::iterator) {
        byInode.put(Files.getAttribute(p, "unix:ino"), Files.size(p));
      }
    }
    return byInode.values().stream().mapToLong(Long::longValue).sum();
  }

  /** {@value #ROWS} random vectors of {@value #DIM} floats as TEXMEX .fvecs. */
  static Path fvecs(Path file) throws IOException {
    Random random = new Random(7);
    ByteBuffer row = ByteBuffer.allocate(4 + 4 * DIM).order(ByteOrder.LITTLE_ENDIAN);
    try (OutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
      for (int i = 0; i < ROWS; i++) {
        row.clear();
        row.putInt(DIM);
        for (int d = 0; d < DIM; d++) {
          row.putFloat(random.nextFloat());
        }
        out.write(row.array());
      }
    }
    return file;
  }
}
