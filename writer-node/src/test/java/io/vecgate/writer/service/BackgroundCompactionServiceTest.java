package io.vecgate.writer.service;

import static io.vecgate.writer.service.Replies.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgate.store.DataLayout;
import io.vecgate.writer.TestSpaces;
import io.vecgate.writer.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compactions built on the compaction executor while the space's lane goes on taking writes. */
class BackgroundCompactionServiceTest {

  /** Runs nothing until the test says so: a compaction waits, picked and not built, as long as the test likes. */
  static final class HeldExecutor extends AbstractExecutorService {
    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private volatile boolean shutdown;

    @Override
    public void execute(Runnable task) {
      if (shutdown) {
        throw new RejectedExecutionException("shut down");
      }
      queue.add(task);
    }

    int queued() {
      return queue.size();
    }

    /** Runs the oldest held task on the caller's thread (also after shutdown: a task already running). */
    void runNext() {
      Runnable task = queue.poll();
      assertNotNull(task, "no compaction held");
      task.run();
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }

  @TempDir
  Path dir;

  final Random random = new Random(3);
  final HeldExecutor compactions = new HeldExecutor();
  DefaultWriterService service;

  @BeforeEach
  void open() throws Exception {
    // More than 2 segments of a tier are compacted.
    service = DefaultWriterService.open(layout(), new ServiceSettings(new StoreConfig(3, 2, 10_000),
        100_000, 1 << 20), WriterNotices.NONE, compactions);
    ok(service.createDb("db"));
    ok(service.createSpace("db", Replies.json(TestSpaces.body("s", 4, 1, "FLAT", "", "murmur3"))));
  }

  @AfterEach
  void close() {
    service.close();
  }

  DataLayout layout() {
    return new DataLayout(dir);
  }

  JsonNode bulk(String ndjson) throws Exception {
    return ok(service.bulk("db", "s", Replies.payload(ndjson), false));
  }

  String bulkIndex(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append("{\"index\":{\"_id\":\"d").append(i).append("\"}}\n")
          .append(TestSpaces.docJson(TestSpaces.vector(random, 4), i)).append('\n');
    }
    return sb.toString();
  }

  long refresh() throws Exception {
    return ok(service.refresh("db", "s")).at("/data/version").asLong();
  }

  /** Three sealed segments of 10 (d0..d29): the third seal picks a compaction, held before its build. */
  void threeSegmentsAndAHeldCompaction() throws Exception {
    for (int r = 0; r < 3; r++) {
      bulk(bulkIndex(r * 10, r * 10 + 10));
      refresh();
    }
    TestSpaces.await("a compaction handed to the compaction executor", 30, () -> compactions.queued() == 1);
  }

  Set<String> ids(int from, int to) {
    Set<String> ids = new HashSet<>();
    for (int i = from; i < to; i++) {
      ids.add("d" + i);
    }
    return ids;
  }

  Set<String> segmentFiles() throws Exception {
    try (Stream<Path> files = Files.list(layout().segmentsDir("db", "s"))) {
      return files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  @Test
  void writesAreAcknowledgedWhileACompactionBuildsAndHonouredAfterTheSwap() throws Exception {
    threeSegmentsAndAHeldCompaction();
    long v = refresh();
    // The compaction of d0..d29 is picked and not built; the lane goes on:
    JsonNode bulk = bulk(bulkIndex(30, 40) + bulkIndex(5, 6)
        + "{\"delete\":{\"_id\":\"d3\"}}\n{\"delete\":{\"_id\":\"d12\"}}\n");
    assertEquals("updated", bulk.at("/items/10/index/result").asText(), "upsert of a compaction input");
    assertEquals("deleted", bulk.at("/items/11/delete/result").asText());
    assertEquals(v + 1, refresh(), "a seal during the compaction");
    assertEquals("deleted", ok(service.delete("db", "s", "d20", false)).get("result").asText());
    assertEquals("updated", ok(service.index("db", "s", "d21",
        Replies.payload(TestSpaces.docJson(TestSpaces.vector(random, 4), 1)), false)).get("result").asText());
    assertEquals(1, compactions.queued(), "still one compaction in flight for the space");

    compactions.runNext(); // builds here, then swaps on the lane
    TestSpaces.await("the compaction published", 30, () -> {
      try {
        return TestSpaces.newestVersion(layout(), "db", "s") == v + 2;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    Set<String> expected = ids(0, 40);
    expected.removeAll(Set.of("d3", "d12", "d20"));
    assertEquals(expected, TestSpaces.publishedIds(layout(), "db", "s"),
        "the compaction's version, buffered writes too");
    JsonNode d = ok(service.getSpace("db", "s")).get("data");
    assertEquals(expected.size(), d.get("doc_num").asLong());
    assertEquals(0, d.get("buffered").asLong());
    assertEquals(25, d.at("/partitions/0/segments/0/doc_num").asLong() - d.at("/partitions/0/segments/0/deleted").asLong(),
        "the compacted segment first: d0..d29 less the five deleted or replaced (d3, d5, d12, d20, d21)");
  }

  @Test
  void closeDuringACompactionPublishesNothingAfterAndLeavesNoFile() throws Exception {
    threeSegmentsAndAHeldCompaction();
    bulk(bulkIndex(30, 35) + "{\"delete\":{\"_id\":\"d0\"}}\n");
    long v = TestSpaces.newestVersion(layout(), "db", "s");
    Set<String> files = segmentFiles();
    service.close();
    compactions.runNext(); // a compaction thread that still held the job: it finds it cancelled
    assertEquals(v, TestSpaces.newestVersion(layout(), "db", "s"));
    assertEquals(files, segmentFiles());
    service = DefaultWriterService.open(layout(), new ServiceSettings(StoreConfig.DEFAULTS, 100_000,
        1 << 20), WriterNotices.NONE);
    assertEquals(34, ok(service.getSpace("db", "s")).at("/data/doc_num").asLong());
    refresh();
    Set<String> expected = ids(1, 35);
    assertEquals(expected, TestSpaces.publishedIds(layout(), "db", "s"));
  }
}
