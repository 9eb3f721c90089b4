package io.vecgate.writer.service;

import static io.vecgate.writer.service.Replies.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.store.DataLayout;
import io.vecgate.writer.TestSpaces;
import io.vecgate.writer.store.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seals are FLAT while a space takes writes; once it is quiet its partitions are compacted into one
 * indexed segment each, and the description says what is indexed and what is pending.
 */
class QuietIndexingTest {

  static final int DIM = 4;
  /** IVF_FLAT with 4 lists: a segment gets the index from max(50, 39 x 4) = 156 documents. */
  static final ObjectNode SPACE = Replies.json(TestSpaces.body("s", DIM, 2, "IVFFLAT", ",\"ncentroids\":4", "murmur3"));
  static final StoreConfig STORE = new StoreConfig(3, 4, 50);

  @TempDir
  Path dir;

  final Random random = new Random(11);

  DefaultWriterService open(Duration quietPeriod) throws Exception {
    return DefaultWriterService.open(new DataLayout(dir),
        new ServiceSettings(STORE, 100_000, 1 << 24, quietPeriod, 1), WriterNotices.NONE);
  }

  /** Index items d{from}..d{to-1}, after {@code extra} NDJSON lines, into db/s. */
  CompletableFuture<WriterReply> bulk(DefaultWriterService s, int from, int to, String extra) {
    return s.bulk("db", "s", Replies.payload(lines(from, to) + extra), false);
  }

  String lines(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append("{\"index\":{\"_id\":\"d").append(i).append("\"}}\n")
          .append(TestSpaces.docJson(TestSpaces.vector(random, DIM), i)).append('\n');
    }
    return sb.toString();
  }

  JsonNode describe(DefaultWriterService s) throws Exception {
    return ok(s.getSpace("db", "s")).path("data");
  }

  static Set<String> ids(int from, int to) {
    Set<String> ids = new HashSet<>();
    for (int i = from; i < to; i++) {
      ids.add("d" + i);
    }
    return ids;
  }

  /** Asks for quiet compactions until the space is one indexed segment per partition. */
  void awaitIndexed(DefaultWriterService s) {
    TestSpaces.await("the quiet space to be indexed", 60, () -> {
      s.compactQuietSpaces();
      try {
        JsonNode d = describe(s);
        return d.path("index_state").asText().equals("indexed") && d.path("buffered").asInt() == 0;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void aBusySpaceSealsFlatAndAQuietOneGetsItsIndex() throws Exception {
    // Never quiet (1 h): seals stay FLAT and the description says the index is pending.
    try (DefaultWriterService s = open(Duration.ofHours(1))) {
      ok(s.createDb("db"));
      ok(s.createSpace("db", SPACE.deepCopy()));
      ok(bulk(s, 0, 600, ""));
      ok(s.refresh("db", "s"));
      s.compactQuietSpaces();
      JsonNode d = describe(s);
      assertEquals("partial", d.path("index_state").asText(), d::toString);
      assertEquals("pending", d.path("index_build").asText(), d::toString);
      assertEquals(600, d.path("flat_docs").asInt(), d::toString);
      assertEquals(0, d.path("indexed_docs").asInt(), d::toString);
      for (JsonNode p : d.path("partitions")) {
        assertEquals("FLAT", p.path("segments").get(0).path("index").asText(), d::toString);
      }
      assertEquals(ids(0, 600), TestSpaces.publishedIds(new DataLayout(dir), "db", "s"));
    }
    // Quiet after 100 ms: each partition becomes one indexed segment, buffered writes included.
    try (DefaultWriterService s = open(Duration.ofMillis(100))) {
      ok(bulk(s, 600, 650, ""));
      assertEquals(1, s.buildThreadsNow(), "builds while the writer takes writes: buildThreads");
      awaitIndexed(s);
      assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors()), s.buildThreadsNow(),
          "the quiet compaction of a quiet writer: every core");
      ok(bulk(s, 650, 651, ""));
      assertEquals(1, s.buildThreadsNow(), "a write lowers it again");
      ok(s.delete("db", "s", "d650", false));
      awaitIndexed(s);
      JsonNode d = describe(s);
      assertEquals("none", d.path("index_build").asText(), d::toString);
      assertEquals(650, d.path("indexed_docs").asInt(), d::toString);
      assertEquals(0, d.path("flat_docs").asInt(), d::toString);
      for (JsonNode p : d.path("partitions")) {
        assertEquals(1, p.path("segments").size(), d::toString);
        assertEquals("IVF_FLAT", p.path("segments").get(0).path("index").asText(), d::toString);
      }
      assertEquals(ids(0, 650), TestSpaces.publishedIds(new DataLayout(dir), "db", "s"));
    }
  }

  @Test
  void flatSegmentsLeftByACrashAreIndexedAfterTheRestartAndNothingIsLost() throws Exception {
    // The first writer never gets quiet (1 h): it leaves FLAT segments and buffered writes, then dies.
    DefaultWriterService first = open(Duration.ofHours(1));
    ok(first.createDb("db"));
    ok(first.createSpace("db", SPACE.deepCopy()));
    ok(bulk(first, 0, 400, ""));
    ok(first.refresh("db", "s"));
    ok(bulk(first, 400, 500, "{\"delete\":{\"_id\":\"d7\"}}\n"));
    first.compactQuietSpaces();
    assertEquals("pending", describe(first).path("index_build").asText());
    // No close: the process is killed (every acknowledged write is in the fsynced WAL).
    try (DefaultWriterService second = open(Duration.ofMillis(100))) {
      JsonNode d = describe(second);
      assertEquals(499, d.path("doc_num").asInt(), d::toString);
      assertEquals(100, d.path("buffered").asInt(), d::toString);
      assertEquals("pending", d.path("index_build").asText(), d::toString);
      awaitIndexed(second);
      Set<String> expected = ids(0, 500);
      expected.remove("d7");
      assertEquals(expected, TestSpaces.publishedIds(new DataLayout(dir), "db", "s"));
      assertEquals(499, describe(second).path("indexed_docs").asInt());
    }
    try (DefaultWriterService third = open(Duration.ofHours(1))) {
      JsonNode d = describe(third);
      assertEquals(499, d.path("doc_num").asInt(), d::toString);
      assertEquals("indexed", d.path("index_state").asText(), d::toString);
    }
    first.close();
  }
}
