package io.vecgate.writer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgate.space.Document;
import io.vecgate.store.DataLayout;
import io.vecgate.writer.TestSpaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rebuild's load: documents checked already go in through the write path, the space is not
 * sealed every refresh nor compacted when quiet until {@code space.compact} ends the load and
 * indexes everything.
 */
class BulkLoadTest {

  @TempDir Path dir;
  final Random random = new Random(5);

  @Test
  void aLoadPublishesNothingUntilTheCompactThenAllIndexed() throws Exception {
    try (DefaultWriterService s = DefaultWriterService.open(new DataLayout(dir),
        new ServiceSettings(QuietIndexingTest.STORE, 100_000, 1 << 24, Duration.ofMillis(1), 1),
        WriterNotices.NONE)) {
      Replies.ok(s.createDb("db"));
      Replies.ok(s.createSpace("db", QuietIndexingTest.SPACE.deepCopy()));
      for (int b = 0; b < 3; b++) {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          docs.add(new Document("d" + (b * 200 + i), TestSpaces.vector(random, QuietIndexingTest.DIM), Map.of()));
        }
        s.load("db", "s", docs).get(30, TimeUnit.SECONDS);
        s.sealDirty();
        Thread.sleep(20);
        s.compactQuietSpaces();
      }
      JsonNode d = Replies.ok(s.getSpace("db", "s")).path("data");
      assertEquals(0, d.path("version").asLong(), "no periodic seal while loading: " + d);
      assertEquals(600, d.path("buffered").asInt());

      Replies.ok(s.compact("db", "s"));
      TestSpaces.await("the loaded space to be indexed", 60, () -> {
        try {
          JsonNode x = Replies.ok(s.getSpace("db", "s")).path("data");
          return x.path("index_state").asText().equals("indexed") && x.path("buffered").asInt() == 0
              && x.path("index_build").asText().equals("none");
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      JsonNode done = Replies.ok(s.getSpace("db", "s")).path("data");
      assertEquals(600, done.path("doc_num").asLong(), done::toString);
      for (JsonNode p : done.path("partitions")) {
        assertEquals(1, p.path("segments").size(), "one indexed segment per partition: " + done);
        assertEquals("IVF_FLAT", p.path("segments").get(0).path("index").asText(), done::toString);
      }
    }
  }
}
