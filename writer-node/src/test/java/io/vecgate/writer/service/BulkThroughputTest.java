package io.vecgate.writer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vecgate.store.DataLayout;
import io.vecgate.writer.TestSpaces;
import io.vecgate.writer.store.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prints the _bulk ingest rate of 128-d vectors in batches of 1000 (measured, not asserted). */
class BulkThroughputTest {

  @TempDir
  Path dir;

  @Test
  void bulkOf128dVectors() throws Exception {
    int dim = 128;
    int batch = 1000;
    int warmup = 10;
    int measured = 40;
    Random r = new Random(1);
    List<byte[]> bodies = new ArrayList<>();
    for (int b = 0; b < warmup + measured; b++) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < batch; i++) {
        sb.append("{\"index\":{\"_id\":\"").append(b * batch + i).append("\"}}\n")
            .append(TestSpaces.docJson(TestSpaces.vector(r, dim), i)).append('\n');
      }
      bodies.add(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    try (DefaultWriterService s = DefaultWriterService.open(new DataLayout(dir),
        new ServiceSettings(StoreConfig.DEFAULTS, 1_000_000, 1L << 30), WriterNotices.NONE)) {
      s.createDb("db").get();
      s.createSpace("db", Replies.json(TestSpaces.body("s", dim, 2, "FLAT", "", "murmur3"))).get();
      for (int b = 0; b < warmup; b++) {
        s.bulk("db", "s", new Payload(bodies.get(b)), false).get(60, TimeUnit.SECONDS);
      }
      long start = System.nanoTime();
      for (int b = warmup; b < warmup + measured; b++) {
        s.bulk("db", "s", new Payload(bodies.get(b)), false).get(60, TimeUnit.SECONDS);
      }
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf("BULK THROUGHPUT: %d x %d vectors of %d-d in %.2f s = %.0f vectors/s (one request at a time, "
          + "one fsync each)%n", measured, batch, dim, secs, measured * batch / secs);
      // Two requests in flight, as a gateway with several clients sends them: parsing overlaps the fsync.
      List<byte[]> more = bodies.subList(warmup, warmup + measured);
      long start2 = System.nanoTime();
      java.util.concurrent.CompletableFuture<?> inFlight = null;
      for (byte[] body : more) {
        java.util.concurrent.CompletableFuture<?> f = s.bulk("db", "s", new Payload(body), false);
        if (inFlight != null) {
          inFlight.get(60, TimeUnit.SECONDS);
        }
        inFlight = f;
      }
      inFlight.get(60, TimeUnit.SECONDS);
      double secs2 = (System.nanoTime() - start2) / 1e9;
      System.out.printf("BULK THROUGHPUT: %d x %d vectors of %d-d in %.2f s = %.0f vectors/s (two requests in flight)%n",
          measured, batch, dim, secs2, measured * batch / secs2);
      long sealStart = System.nanoTime();
      s.refresh("db", "s").get(60, TimeUnit.SECONDS);
      System.out.printf("SEAL: %d buffered vectors sealed and published in %.2f s%n", (warmup + measured) * batch,
          (System.nanoTime() - sealStart) / 1e9);
      assertEquals((warmup + measured) * batch, Replies.ok(s.getSpace("db", "s")).at("/data/doc_num").asLong());
    }
  }
}
