package io.vecgate.bench;

import io.vecgate.bench.data.Texmex;
import io.vecgate.bench.http.BenchToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench ingest}: loads an fvecs file into a space through {@code _bulk} (the row number
 * is the {@code _id}, so {@code bench load --gt} can measure recall), optionally creating the db
 * and space first, and prints vectors per second of the acknowledged bulk requests, then the
 * time until a refresh has published everything, and with {@code --wait-indexed} until the
 * space's index is built. A bulk the writer sheds (429 with {@code Retry-After}) is sent again
 * after the time it asks for.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Bulk-load an .fvecs file through the write endpoint and report vectors/s.")
public final class IngestCommand implements Callable<Integer> {

  @Option(names = "--url", required = true, description = "Write endpoint, e.g. http://127.0.0.1:8081") String url;
  @Mixin BenchToken token = new BenchToken();
  @Option(names = "--db", required = true) String db;
  @Option(names = "--space", required = true) String space;
  @Option(names = "--base", required = true, description = "Vectors (.fvecs)") Path base;
  @Option(names = "--limit", defaultValue = "0", description = "Load only the first N rows (0: all)") int limit;
  @Option(names = "--batch", defaultValue = "1000") int batch;
  @Option(names = "--concurrency", defaultValue = "2") int concurrency;
  @Option(names = "--create", description = "Create the db and space first with this retrieval_type (FLAT, IVFFLAT, IVFSQ8, IVFPQ, HNSW)")
  String create;
  @Option(names = "--metric", defaultValue = "L2") String metric;
  @Option(names = "--partitions", defaultValue = "1") int partitions;
  @Option(names = "--retrieval-param", defaultValue = "", description = "Extra retrieval_param JSON members, e.g. \"ncentroids\": 1024, \"nprobe\": 16")
  String retrievalParam;
  @Option(names = "--field", defaultValue = "vec") String field;
  @Option(names = "--wait-indexed", description = "After the refresh, wait until the space describes itself as "
      + "indexed (every segment built with its index type) and report when") boolean waitIndexed;

  @Override
  public Integer call() throws Exception {
    float[][] rows = Texmex.readFvecsArrays(base, limit > 0 ? limit : Integer.MAX_VALUE);
    HttpClient client = token.client().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    if (create != null) {
      send(client, "PUT", "/db/_create", "{\"name\":\"" + db + "\"}", true);
      String params = "\"metric_type\":\"" + metric + "\"" + (retrievalParam.isBlank() ? "" : "," + retrievalParam);
      send(client, "PUT", "/space/" + db + "/_create", "{\"name\":\"" + space + "\",\"partition_num\":" + partitions
          + ",\"engine\":{\"retrieval_type\":\"" + create + "\",\"retrieval_param\":{" + params + "}},"
          + "\"properties\":{\"" + field + "\":{\"type\":\"vector\",\"dimension\":" + rows[0].length + "}}}", false);
    }
    AtomicInteger nextBatch = new AtomicInteger();
    AtomicLong failed = new AtomicLong();
    int batches = (rows.length + batch - 1) / batch;
    // The bodies are formatted before the clock starts: the client's float formatting would
    // otherwise take a core from the service being measured.
    String[] bodies = new String[batches];
    java.util.stream.IntStream.range(0, batches).parallel()
        .forEach(b -> bodies[b] = ndjson(rows, b * batch, Math.min(rows.length, (b + 1) * batch)));
    long start = System.nanoTime();
    try (ExecutorService workers = Executors.newFixedThreadPool(concurrency)) {
      Future<?>[] fs = new Future<?>[concurrency];
      for (int c = 0; c < concurrency; c++) {
        fs[c] = workers.submit(() -> {
          for (int b = nextBatch.getAndIncrement(); b < batches; b = nextBatch.getAndIncrement()) {
            HttpResponse<String> r = send(client, "POST", "/" + db + "/" + space + "/_bulk", bodies[b], false);
            if (r.body().contains("\"errors\":true")) {
              failed.incrementAndGet();
            }
          }
          return null;
        });
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
    double acked = (System.nanoTime() - start) / 1e9;
    send(client, "POST", "/" + db + "/" + space + "/_refresh", "", false);
    double published = (System.nanoTime() - start) / 1e9;
    System.out.printf("bench ingest: %d vectors of %d dimensions into %s/%s in batches of %d, concurrency %d%n",
        rows.length, rows[0].length, db, space, batch, concurrency);
    System.out.printf("acknowledged in %.2f s: %.0f vectors/s; refreshed (sealed, published, searchable) after %.2f s: "
        + "%.0f vectors/s%n", acked, rows.length / acked, published, rows.length / published);
    if (retried.get() > 0) {
      System.out.printf("%d requests were shed (429 / 503 with Retry-After) and sent again after the time asked for%n",
          retried.get());
    }
    if (waitIndexed) {
      awaitIndexed(client);
      double indexed = (System.nanoTime() - start) / 1e9;
      System.out.printf("indexed (every segment built with the space's index type) %.2f s after the refresh, %.2f s "
          + "after the start%n", indexed - published, indexed);
    }
    if (failed.get() > 0) {
      System.out.println(failed.get() + " bulk requests reported item errors");
      return 1;
    }
    return 0;
  }

  /** Polls the space's description until {@code index_state} is {@code indexed} and nothing is buffered (30 min at most). */
  private void awaitIndexed(HttpClient client) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
    while (true) {
      String desc = send(client, "GET", "/space/" + db + "/" + space, "", false).body();
      if (desc.contains("\"index_state\":\"indexed\"") && desc.contains("\"buffered\":0,")) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not indexed after 30 min: " + desc);
      }
      Thread.sleep(100);
    }
  }

  private static final int MAX_RETRIES = 100;

  /** Requests sent again because the service shed them. */
  private final AtomicLong retried = new AtomicLong();

  private static boolean shed(HttpResponse<String> r) {
    return r.statusCode() == 429 || (r.statusCode() == 503 && r.headers().firstValue("retry-after").isPresent());
  }

  private String ndjson(float[][] rows, int from, int to) {
    StringBuilder sb = new StringBuilder((to - from) * (rows[0].length * 10 + 40));
    for (int i = from; i < to; i++) {
      sb.append("{\"index\":{\"_id\":\"").append(i).append("\"}}\n{\"").append(field).append("\":{\"feature\":[");
      float[] v = rows[i];
      for (int j = 0; j < v.length; j++) {
        if (j > 0) {
          sb.append(',');
        }
        sb.append(v[j]);
      }
      sb.append("]}}\n");
    }
    return sb.toString();
  }

  /**
   * Sends a request; one the service sheds (429, or 503 with {@code Retry-After}) is sent again
   * after the time it asks for, up to {@value #MAX_RETRIES} times (a shed write was not applied).
   */
  private HttpResponse<String> send(HttpClient client, String method, String path, String body, boolean mayExist)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofMinutes(30))
        .header("content-type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    token.authorization().ifPresent(a -> b.header("Authorization", a));
    HttpRequest req = b.build();
    HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
    for (int retry = 0; retry < MAX_RETRIES && shed(r); retry++) {
      retried.incrementAndGet();
      Thread.sleep(Math.clamp(Long.parseLong(r.headers().firstValue("retry-after").orElse("1").trim()), 1, 60) * 1000L);
      r = client.send(req, HttpResponse.BodyHandlers.ofString());
    }
    if (r.statusCode() >= 300 && !(mayExist && r.statusCode() == 409)) {
      throw new IllegalArgumentException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r;
  }
}
