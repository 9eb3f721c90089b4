package io.vecgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vecgate.bench.data.Texmex;
import io.vecgate.bench.http.BenchToken;
import io.vecgate.bench.http.KeepAliveConnection;
import io.vecgate.bench.milvus.MilvusSearches;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench load}: drives {@code _search} requests (nq = 1) at a running service from
 * {@code --concurrency} connections for {@code --duration}, and prints QPS, latency percentiles
 * and errors, and recall@k against {@code --gt} when the documents' {@code _id}s are the rows of
 * the base file (as {@code bench ingest} loads them).
 */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = "Search load through the read endpoint: QPS, p50/p95/p99/max latency, errors, recall@k.")
public final class LoadCommand implements Callable<Integer> {

  @Option(names = "--url", required = true, description = "Read endpoint, e.g. http://127.0.0.1:8080") String url;
  @Option(names = "--db", required = true) String db;
  @Mixin BenchToken token = new BenchToken();
  @Option(names = "--space", required = true, description = "Space or alias") String space;
  @Option(names = "--query", required = true, description = "Queries (.fvecs)") Path query;
  @Option(names = "--gt", description = "Ground truth (.ivecs) of the queries against the base rows") Path gt;
  @Option(names = "--concurrency", defaultValue = "1") int concurrency;
  @Option(names = "--duration", defaultValue = "30s", description = "e.g. 30s, 2m") String duration;
  @Option(names = "--k", defaultValue = "10") int k;
  @Option(names = "--nprobe", defaultValue = "0", description = "0: the space's default") int nprobe;
  @Option(names = "--ef", defaultValue = "0", description = "0: the space's default") int ef;
  @Option(names = "--field", defaultValue = "vec", description = "The vector field") String field;
  @Option(names = "--warmup-seconds", defaultValue = "2") double warmupSeconds;
  @Option(names = "--client", defaultValue = "plain",
      description = "plain: one blocking HTTP/1.1 keep-alive socket per connection, on its own thread (the leanest "
          + "client, so latencies are the service's); jdk: java.net.http.HttpClient (default: ${DEFAULT-VALUE})")
  String clientKind;

  @Option(names = "--api", defaultValue = "vearch",
      description = "vearch: POST {url}/{db}/{space}/_search on the read endpoint; milvus: the Milvus gRPC Search at "
          + "--url host:port (the gateway's --milvus-port), collection --space in database --db, as the Milvus SDK "
          + "sends it (no token). Default: ${DEFAULT-VALUE}")
  String api;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    if (!clientKind.equals("plain") && !clientKind.equals("jdk")) {
      throw new IllegalArgumentException("--client: expected plain or jdk, got " + clientKind);
    }
    float[][] queries = Texmex.readFvecsArrays(query, Integer.MAX_VALUE);
    int[][] truth = gt == null ? null : Texmex.readIvecs(gt, queries.length);
    if (api.equals("milvus")) {
      return milvus(queries, truth);
    }
    if (!api.equals("vearch")) {
      throw new IllegalArgumentException("--api: expected vearch or milvus, got " + api);
    }
    String[] bodies = new String[queries.length];
    for (int i = 0; i < queries.length; i++) {
      bodies[i] = body(queries[i]);
    }
    if (clientKind.equals("plain") && url.startsWith("https://")) {
      throw new IllegalArgumentException("--client plain speaks http:// only; for " + url + " use --client jdk (and --tls-ca)");
    }
    HttpClient client = token.client().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(2)).build();
    URI target = URI.create(url + "/" + db + "/" + space + "/_search");
    run(client, target, bodies, null, (long) (warmupSeconds * 1e9));
    Result r = new Result(queries.length, k);
    long elapsed = run(client, target, bodies, r, parseDuration(duration));
    long[] lat = r.latencies();
    Arrays.sort(lat);
    System.out.printf("bench load: %s %s/%s, %d queries, concurrency %d (%s client), k %d%s%n", url, db, space,
        queries.length, concurrency, clientKind, k, nprobe > 0 ? ", nprobe " + nprobe : "");
    System.out.printf("requests %d, errors %d, QPS %.1f%n", lat.length, r.errors.get(), lat.length / (elapsed / 1e9));
    if (lat.length > 0) {
      System.out.printf("latency ms: p50 %.3f  p95 %.3f  p99 %.3f  max %.3f%n", pct(lat, 0.50), pct(lat, 0.95),
          pct(lat, 0.99), lat[lat.length - 1] / 1e6);
    }
    long[] engine = r.engineMicros();
    long[] overhead = r.overheadMicros();
    if (engine.length > 0) {
      Arrays.sort(engine);
      Arrays.sort(overhead);
      System.out.printf("engine ms (the readers' own search time): p50 %.3f  p99 %.3f; end-to-end minus engine: p50 %.3f  p99 %.3f%n",
          engine[engine.length / 2] / 1e3, engine[(int) Math.min(engine.length - 1, Math.ceil(engine.length * 0.99) - 1)] / 1e3,
          overhead[overhead.length / 2] / 1e3, overhead[(int) Math.min(overhead.length - 1, Math.ceil(overhead.length * 0.99) - 1)] / 1e3);
    }
    if (r.batchAnswers() > 0) {
      System.out.printf("mean batch %.2f query vectors (%.2f requests) per engine batch on the readers "
          + "(1.00: no merging; from %d reader answers)%n", r.meanBatchQueries(), r.meanBatchRequests(), r.batchAnswers());
    }
    if (truth != null) {
      System.out.printf("recall@%d %.4f (over the %d distinct queries answered)%n", k, r.recall(truth, k), r.answered());
    }
    return r.errors.get() == 0 ? 0 : 1;
  }

  /** The same load through the Milvus API: one blocking gRPC call at a time per connection thread. */
  private int milvus(float[][] queries, int[][] truth) throws Exception {
    try (MilvusSearches client = new MilvusSearches(url.replaceFirst("^grpc://", ""), db, space, field, queries, k,
        nprobe, ef)) {
      runMilvus(client, queries.length, null, (long) (warmupSeconds * 1e9));
      Result r = new Result(queries.length, k);
      long elapsed = runMilvus(client, queries.length, r, parseDuration(duration));
      long[] lat = r.latencies();
      Arrays.sort(lat);
      System.out.printf("bench load: milvus %s %s/%s, %d queries, concurrency %d, k %d%s%n", url, db, space,
          queries.length, concurrency, k, nprobe > 0 ? ", nprobe " + nprobe : "");
      System.out.printf("requests %d, errors %d, QPS %.1f%n", lat.length, r.errors.get(), lat.length / (elapsed / 1e9));
      if (lat.length > 0) {
        System.out.printf("latency ms: p50 %.3f  p95 %.3f  p99 %.3f  max %.3f%n", pct(lat, 0.50), pct(lat, 0.95),
            pct(lat, 0.99), lat[lat.length - 1] / 1e6);
      }
      if (truth != null) {
        System.out.printf("recall@%d %.4f (over the %d distinct queries answered)%n", k, r.recall(truth, k), r.answered());
      }
      return r.errors.get() == 0 ? 0 : 1;
    }
  }

  private long runMilvus(MilvusSearches client, int queries, Result r, long nanos) throws Exception {
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    long end = start + nanos;
    try (ExecutorService workers = Executors.newFixedThreadPool(concurrency)) {
      for (int c = 0; c < concurrency; c++) {
        workers.submit(() -> {
          while (System.nanoTime() < end) {
            int qi = Math.floorMod(next.getAndIncrement(), queries);
            long t0 = System.nanoTime();
            long[] ids;
            try {
              ids = client.search(qi);
            } catch (Exception e) {
              ids = null;
            }
            if (r != null) {
              r.recordIds(qi, System.nanoTime() - t0, ids);
            }
          }
          return null;
        });
      }
    }
    return System.nanoTime() - start;
  }

  private String body(float[] q) {
    StringBuilder sb = new StringBuilder("{\"query\":{\"sum\":[{\"field\":\"").append(field).append("\",\"feature\":[");
    for (int i = 0; i < q.length; i++) {
      sb.append(i == 0 ? "" : ",").append(q[i]);
    }
    sb.append("]}]},\"size\":").append(k).append(",\"fields\":[],\"online_log_level\":\"debug\"");
    if (nprobe > 0 || ef > 0) {
      sb.append(",\"retrieval_param\":{");
      if (nprobe > 0) {
        sb.append("\"nprobe\":").append(nprobe);
      }
      if (ef > 0) {
        sb.append(nprobe > 0 ? "," : "").append("\"ef\":").append(ef);
      }
      sb.append('}');
    }
    return sb.append('}').toString();
  }

  /** Runs the load for {@code nanos}; returns the elapsed nanoseconds. */
  private long run(HttpClient client, URI target, String[] bodies, Result r, long nanos) throws Exception {
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    long end = start + nanos;
    boolean plain = clientKind.equals("plain");
    Optional<String> authorization = token.authorization();
    byte[][] raw = plain ? Arrays.stream(bodies).map(b -> b.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new) : null;
    // Plain connections block in socket reads, each on a platform thread of its own.
    try (ExecutorService workers = plain ? Executors.newFixedThreadPool(concurrency)
        : Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < concurrency; c++) {
        workers.submit(() -> {
          try (KeepAliveConnection conn = plain ? new KeepAliveConnection(target, authorization) : null) {
            while (System.nanoTime() < end) {
              int qi = Math.floorMod(next.getAndIncrement(), bodies.length);
              long t0 = System.nanoTime();
              try {
                int status;
                byte[] body;
                if (plain) {
                  KeepAliveConnection.Response resp = conn.post(raw[qi]);
                  status = resp.status();
                  body = resp.body();
                } else {
                  HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                      .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(bodies[qi]));
                  authorization.ifPresent(a -> b.header("Authorization", a));
                  HttpRequest req = b.build();
                  HttpResponse<byte[]> resp = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
                  status = resp.statusCode();
                  body = resp.body();
                }
                long t = System.nanoTime() - t0;
                if (r != null) {
                  r.record(qi, t, status == 200 ? body : null);
                }
              } catch (Exception e) {
                if (r != null) {
                  r.record(qi, System.nanoTime() - t0, null);
                }
              }
            }
          }
          return null;
        });
      }
    }
    return System.nanoTime() - start;
  }

  static long parseDuration(String s) {
    String v = s.trim();
    if (v.endsWith("ms")) {
      return Long.parseLong(v.substring(0, v.length() - 2)) * 1_000_000L;
    }
    if (v.endsWith("m")) {
      return Long.parseLong(v.substring(0, v.length() - 1)) * 60_000_000_000L;
    }
    if (v.endsWith("s")) {
      v = v.substring(0, v.length() - 1);
    }
    return (long) (Double.parseDouble(v) * 1e9);
  }

  static double pct(long[] sorted, double q) {
    return QueryRunner.percentile(sorted, q) / 1e6;
  }

  /** What the timed run saw: latencies, errors, and the ids returned per query (first answer kept). */
  private static final class Result {
    final AtomicLong errors = new AtomicLong();
    private final List<long[]> chunks = new ArrayList<>();
    private long[] current = new long[1 << 16];
    private int used;
    private final int[][] rows;
    private final int k;

    Result(int queries, int k) {
      this.rows = new int[queries][];
      this.k = k;
    }

    private final List<long[]> timings = new ArrayList<>();

    /** A Milvus answer: its hit ids in order, or null for an error. */
    void recordIds(int qi, long nanos, long[] ids) {
      latency(nanos);
      if (ids == null) {
        errors.incrementAndGet();
        return;
      }
      if (rows[qi] == null) {
        int[] row = new int[k];
        Arrays.fill(row, -1);
        for (int i = 0; i < Math.min(k, ids.length); i++) {
          row[i] = (int) ids[i];
        }
        rows[qi] = row;
      }
    }

    /** Appends one request's latency (in chunks: a long run records millions). */
    private synchronized void latency(long nanos) {
      if (used == current.length) {
        chunks.add(current);
        current = new long[current.length];
        used = 0;
      }
      current[used++] = nanos;
    }

    void record(int qi, long nanos, byte[] body) {
      latency(nanos);
      if (body == null) {
        errors.incrementAndGet();
        return;
      }
      try {
        JsonNode root = JSON.readTree(body);
        long engineMicros = root.path("timing_us").path("engine").asLong(-1);
        if (engineMicros >= 0) {
          synchronized (this) {
            timings.add(new long[] {engineMicros, nanos / 1000 - engineMicros});
          }
        }
        for (JsonNode b : root.path("batches")) {
          batch(b.path("queries").asInt(0), b.path("requests").asInt(0));
        }
        if (rows[qi] == null) {
          JsonNode hits = root.path("hits").path("hits");
          int[] ids = new int[k];
          Arrays.fill(ids, -1);
          for (int i = 0; i < Math.min(k, hits.size()); i++) {
            ids[i] = Integer.parseInt(hits.get(i).path("_id").asText());
          }
          rows[qi] = ids;
        }
      } catch (Exception e) {
        errors.incrementAndGet();
      }
    }

    /**
     * Each reader answer says the size of the engine batch its request ran in. A batch of b
     * query vectors is seen by every request in it, so it counts 1/b for each of its own
     * (nq = 1) queries: the answers add up to the number of batches, and the mean batch is
     * answers / sum(1/b), exact whatever the mix of sizes.
     */
    private long batchAnswers;
    private double inverseQueries;
    private double inverseRequests;

    private synchronized void batch(int queries, int requests) {
      if (queries <= 0 || requests <= 0) {
        return; // a reader of before merging
      }
      batchAnswers++;
      inverseQueries += 1.0 / queries;
      inverseRequests += 1.0 / requests;
    }

    synchronized long batchAnswers() {
      return batchAnswers;
    }

    synchronized double meanBatchQueries() {
      return batchAnswers / inverseQueries;
    }

    synchronized double meanBatchRequests() {
      return batchAnswers / inverseRequests;
    }

    synchronized long[] engineMicros() {
      return timings.stream().mapToLong(t -> t[0]).toArray();
    }

    synchronized long[] overheadMicros() {
      return timings.stream().mapToLong(t -> t[1]).toArray();
    }

    synchronized long[] latencies() {
      long[] all = new long[chunks.size() * current.length + used];
      int at = 0;
      for (long[] c : chunks) {
        System.arraycopy(c, 0, all, at, c.length);
        at += c.length;
      }
      System.arraycopy(current, 0, all, at, used);
      return all;
    }

    int answered() {
      return (int) Arrays.stream(rows).filter(x -> x != null).count();
    }

    /** Recall@k over the queries answered (a short run does not reach every query; the others do not count). */
    double recall(int[][] truth, int k) {
      List<int[]> got = new ArrayList<>();
      List<int[]> want = new ArrayList<>();
      for (int i = 0; i < rows.length; i++) {
        if (rows[i] != null) {
          got.add(rows[i]);
          want.add(truth[i]);
        }
      }
      return Recall.at(got.toArray(int[][]::new), want.toArray(int[][]::new), k);
    }
  }
}
