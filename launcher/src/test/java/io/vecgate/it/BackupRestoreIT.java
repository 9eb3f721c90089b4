package io.vecgate.it;

import static io.vecgate.it.StandaloneApiIT.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.it.Http.Reply;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup of the version an alias serves, against a standalone process: {@code POST /_backup}
 * copies it (verified) to another directory while the space takes writes; a copy with one byte
 * flipped in a segment is refused by a restore, naming the file, and nothing changes; the good
 * one restored through a rebuild job becomes a new space with every document of the backup,
 * answering searches as the original did, and the alias switches to it.
 */
class BackupRestoreIT {

  static final int DIM = 8;
  static final int N = 500;

  @TempDir Path tmp;
  StandaloneProcess standalone;

  @AfterEach
  void tearDown() throws Exception {
    if (standalone != null) {
      standalone.close();
    }
  }

  @Test
  void backsUpRefusesADamagedCopyAndRestoresTheGoodOne() throws Exception {
    standalone = StandaloneProcess.start("BackupRestoreIT", tmp.resolve("data"), "--refresh-interval", "200ms",
        "--flat-below", "100");
    Http read = standalone.read();
    Http write = standalone.write();
    String spaceBody = "{\"name\": \"items_v1\", \"partition_num\": 2, \"engine\": {\"retrieval_type\": \"IVFFLAT\", "
        + "\"retrieval_param\": {\"metric_type\": \"L2\", \"ncentroids\": 4}}, \"properties\": {\"vec\": {\"type\": "
        + "\"vector\", \"dimension\": " + DIM + "}, \"price\": {\"type\": \"float\", \"index\": true}}}";
    ok(write.put("/db/_create", "{\"name\": \"shop\"}"));
    ok(write.put("/space/shop/_create", spaceBody));
    Random r = new Random(12);
    StringBuilder bulk = new StringBuilder();
    for (int i = 0; i < N; i++) {
      float[] v = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        v[d] = r.nextFloat();
      }
      bulk.append("{\"index\": {\"_id\": \"d").append(i).append("\"}}\n{\"price\": ").append(i)
          .append(", \"vec\": {\"feature\": ").append(StandaloneApiIT.vec(v)).append("}}\n");
    }
    ok(write.post("/shop/items_v1/_bulk?refresh=true", bulk.toString()));
    ok(write.delete("/shop/items_v1/d0?refresh=true"));
    ok(write.post("/alias/items/dbs/shop/spaces/items_v1", null));
    String query = "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": " + StandaloneApiIT.vec(new float[DIM])
        + "}]}, \"size\": 5, \"is_brute_search\": true}";
    JsonNode before = ok(read.post("/shop/items/_search", query)).json().path("hits").path("hits");

    // The backup: the version the alias serves, verified; a second one to the same place is refused.
    Path backup = tmp.resolve("backups").resolve("items-1");
    JsonNode made = ok(write.post("/_backup", "{\"db\": \"shop\", \"space\": \"items\", \"to\": \"" + backup + "\"}"))
        .json().path("data");
    assertEquals("items_v1", made.path("space").asText(), made::toString);
    assertEquals(N, made.path("docs").asInt(), "the segments hold every document, the tombstone aside: " + made);
    assertTrue(Files.exists(backup.resolve("backup.json")) && Files.exists(backup.resolve("manifest.json")));
    Reply again = write.post("/_backup", "{\"db\": \"shop\", \"space\": \"items\", \"to\": \"" + backup + "\"}");
    assertEquals(400, again.status(), again::toString);
    assertTrue(again.json().path("error").path("reason").asText().startsWith("to: "), again::toString);
    assertEquals(400, write.post("/_backup", "{\"db\": \"shop\", \"space\": \"items\", \"to\": \"rel/dir\"}").status());
    assertEquals(400, write.post("/_backup", "{\"db\": \"shop\", \"space\": \"items\", \"to\": \"/x\", \"y\": 1}")
        .status());

    // A damaged copy: one byte flipped in a segment file. The restore fails in its pre-check naming
    // the file, and nothing changes.
    Path damaged = tmp.resolve("backups").resolve("damaged");
    copyDir(backup, damaged);
    Path segment;
    try (Stream<Path> files = Files.list(damaged)) {
      segment = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.seek(f.length() / 2);
      int b = f.read();
      f.seek(f.length() / 2);
      f.write(b ^ 0xFF);
    }
    JsonNode failed = RebuildIT.runJob(write, restore(damaged, spaceOf(backup)));
    assertEquals("failed", failed.path("state").asText(), failed::toString);
    assertEquals("precheck", failed.path("phase").asText(), failed::toString);
    assertTrue(failed.path("error").asText().contains(segment.getFileName().toString()), failed::toString);
    assertEquals("items_v1", ok(write.get("/alias/items")).json().path("data").path("space").asText());
    assertEquals(List.of("items_v1"), spaces(write));

    Reply damagedCopy = write.post("/_restore", "{\"from\": \"" + damaged + "\", \"db\": \"shop\", \"space\": "
        + "\"items_copy\"}");
    assertEquals(400, damagedCopy.status(), damagedCopy::toString);
    assertTrue(damagedCopy.body().contains(segment.getFileName().toString()), damagedCopy::toString);
    assertEquals(List.of("items_v1"), spaces(write), "nothing created");

    // Without an alias: the backup becomes a space of its own, answering as the original.
    JsonNode copy = ok(write.post("/_restore", "{\"from\": \"" + backup + "\", \"db\": \"shop\", \"space\": "
        + "\"items_copy\"}")).json().path("data");
    assertEquals(N - 1, copy.path("docs").asInt(), copy::toString);
    Standalone.waitFor("the copy searchable", Duration.ofSeconds(10),
        () -> read.post("/shop/items_copy/_search", query).status() == 200);
    assertEquals(ids(before), ids(ok(read.post("/shop/items_copy/_search", query)).json().path("hits").path("hits")));
    assertEquals(409, write.post("/_restore", "{\"from\": \"" + backup + "\", \"db\": \"shop\", \"space\": "
        + "\"items_copy\"}").status());

    // The good one: a new space with the backup's documents, answering as the original; the alias moves.

    JsonNode restored = RebuildIT.runJob(write, restore(backup, spaceOf(backup)));
    assertEquals("succeeded", restored.path("state").asText(), restored::toString);
    assertEquals("items_v2", restored.path("space").asText(), restored::toString);
    assertEquals(N - 1, restored.path("counts").path("new").asInt(), restored::toString);
    assertEquals("items_v2", ok(write.get("/alias/items")).json().path("data").path("space").asText());
    Standalone.waitFor("searches on the alias to reach the restored space", Duration.ofSeconds(10),
        () -> RebuildIT.servedBy(read).equals("items_v2"));
    JsonNode after = ok(read.post("/shop/items/_search", query)).json().path("hits").path("hits");
    assertEquals(ids(before), ids(after));
    assertEquals(404, read.get("/shop/items/d0").status(), "the deleted document stays deleted");
    assertEquals(7.0, ok(read.get("/shop/items/d7")).json().path("_source").path("price").asDouble());
  }

  /** The space definition a backup keeps, as a rebuild's space body. */
  static ObjectNode spaceOf(Path backup) throws IOException {
    // The whole file is JSON: {"format": ..., "body": {...}}.
    JsonNode file = Http.JSON.readTree(backup.resolve("backup.json").toFile());
    ObjectNode space = (ObjectNode) file.path("body").path("space_body").deepCopy();
    space.put("name", "items");
    return space;
  }

  static String restore(Path dir, ObjectNode space) {
    return "{\"db\": \"shop\", \"alias\": \"items\", \"source\": {\"type\": \"backup\", \"path\": \"" + dir + "\"}, "
        + "\"space\": " + space + ", \"warmup_queries\": 5}";
  }

  static List<String> spaces(Http write) {
    return java.util.stream.StreamSupport.stream(ok(write.get("/db/shop")).json().path("data").path("spaces")
        .spliterator(), false).map(JsonNode::asText).toList();
  }

  static List<String> ids(JsonNode hits) {
    return hits.findValuesAsText("_id");
  }

  static void copyDir(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
