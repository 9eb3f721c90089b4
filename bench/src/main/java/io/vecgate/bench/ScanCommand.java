package io.vecgate.bench;

import io.vecgate.bench.data.Texmex;
import io.vecgate.engine.index.BuiltIndex;
import io.vecgate.engine.index.IndexParams;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.index.Indexes;
import io.vecgate.engine.index.VectorIndex;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntToDoubleFunction;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench scan}: how close a FLAT scan comes to the memory bandwidth bound. The bound is
 * a streaming read of the same bytes (summing every float with the Vector API, nothing else);
 * the FLAT figure is the bytes of all vectors divided by the time of one single-query exact
 * search (k = 10). Both are measured with one thread and with {@code --threads} threads, each
 * thread reading the whole set (as concurrent single queries do).
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
    description = "FLAT scan throughput against the memory bandwidth bound (a streaming read of the same bytes).")
public final class ScanCommand implements Callable<Integer> {

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  @Spec CommandSpec spec;

  @Option(names = "--base", required = true, description = "Base vectors (.fvecs).")
  Path base;

  @Option(names = "--metric", defaultValue = "L2", description = "L2, IP or COSINE (default: ${DEFAULT-VALUE}).")
  String metric;

  @Option(names = "--threads", description = "Threads of the second measurement (default: all processors).")
  Integer threads;

  @Option(names = "--repeat", defaultValue = "10", description = "Timed passes; the best is kept (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    try (Arena arena = Arena.ofShared()) {
      FloatVectors vectors = Texmex.readFvecs(base, 0, arena);
      BuiltIndex built = Indexes.build(IndexType.FLAT, Metric.parse(metric), vectors, IndexParams.empty(), arena);
      VectorIndex flat = built.index();
      FloatVectors stored = flat.vectors();
      double bytes = stored.byteSize();
      float[] query = stored.get(0);
      IntToDoubleFunction stream = t -> streamingSum(stored.data(), stored.byteSize());
      IntToDoubleFunction scan = t -> flat.search(query, 10, SearchParams.DEFAULTS, null).distance(0);
      out.printf(Locale.ROOT, "# %s: %d x %d = %.1f MiB, metric %s, best of %d passes%n",
          base, stored.count(), stored.dimension(), bytes / (1 << 20), flat.metric(), repeat);
      out.printf("%-8s %16s %16s %8s%n", "threads", "stream_GB/s", "flat_scan_GB/s", "ratio");
      for (int t : nThreads == 1 ? new int[] {1} : new int[] {1, nThreads}) {
        double streamGbs = t * bytes / best(stream, t) / 1e9;
        double scanGbs = t * bytes / best(scan, t) / 1e9;
        out.printf(Locale.ROOT, "%-8d %16.2f %16.2f %7.0f%%%n", t, streamGbs, scanGbs, 100 * scanGbs / streamGbs);
      }
      out.flush();
    }
    return 0;
  }

  /** Best wall time in seconds of one pass run by {@code t} threads at once (each doing the whole pass). */
  private double best(IntToDoubleFunction pass, int t) throws Exception {
    double sink = 0;
    for (int i = 0; i < 3; i++) {
      sink += pass.applyAsDouble(0); // warm-up: JIT and page faults
    }
    double best = Double.MAX_VALUE;
    try (ExecutorService pool = Executors.newFixedThreadPool(t)) {
      for (int r = 0; r < repeat; r++) {
        long start = System.nanoTime();
        @SuppressWarnings("unchecked")
        Future<Double>[] f = new Future[t];
        for (int i = 0; i < t; i++) {
          int id = i;
          f[i] = pool.submit(() -> pass.applyAsDouble(id));
        }
        for (Future<Double> x : f) {
          sink += x.get();
        }
        best = Math.min(best, (System.nanoTime() - start) / 1e9);
      }
    }
    if (sink == 42.4242) {
      System.out.print(""); // keeps the sums alive so the JIT cannot drop the reads
    }
    return best;
  }

  /**
   * Sums every float of {@code [0, bytes)}: the least work that still reads every byte. The
   * work goes in 64 KiB calls because one huge loop would only ever run as on-stack-replaced
   * code, which handles vectors poorly, and would understate the bound.
   */
  static double streamingSum(MemorySegment data, long bytes) {
    double sum = 0;
    long chunk = 64 * 1024;
    for (long off = 0; off < bytes; off += chunk) {
      sum += sumChunk(data, off, Math.min(bytes, off + chunk));
    }
    return sum;
  }

  private static float sumChunk(MemorySegment data, long from, long to) {
    FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F), s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
    long width = F.vectorByteSize();
    long off = from;
    for (; off + 4 * width <= to; off += 4 * width) {
      s0 = s0.add(FloatVector.fromMemorySegment(F, data, off, ByteOrder.LITTLE_ENDIAN));
      s1 = s1.add(FloatVector.fromMemorySegment(F, data, off + width, ByteOrder.LITTLE_ENDIAN));
      s2 = s2.add(FloatVector.fromMemorySegment(F, data, off + 2 * width, ByteOrder.LITTLE_ENDIAN));
      s3 = s3.add(FloatVector.fromMemorySegment(F, data, off + 3 * width, ByteOrder.LITTLE_ENDIAN));
    }
    float sum = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    for (; off < to; off += 4) {
      sum += data.get(FloatVectors.FLOAT_LE, off);
    }
    return sum;
  }
}
