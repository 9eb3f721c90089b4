package io.vecgate.bench.jmh;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The look-up-table scan of IVF_PQ with 8-bit codes: the distance of a code is
 * {@code sum_j table[j * 256 + code[j]]}. This is a self-contained loop, because the IVF_PQ
 * index is not in this branch yet; it gives the number the index's own scan should reach. Codes
 * are read from a native segment, as from a mapped segment file. Reported time is per code.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class PqLutScanBenchmark {

  static final int CODES = 4096;

  /** Sub-quantisers: bytes per code. */
  @Param({"8", "16", "32", "64"})
  int m;

  private float[] table;
  private byte[] codeArray;
  private Arena arena;
  private MemorySegment codeSegment;

  @Setup
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(13);
    table = new float[m * 256];
    for (int i = 0; i < table.length; i++) {
      table[i] = (float) rnd.nextDouble();
    }
    codeArray = new byte[CODES * m];
    for (int i = 0; i < codeArray.length; i++) {
      codeArray[i] = (byte) rnd.nextInt(256);
    }
    arena = Arena.ofShared();
    codeSegment = arena.allocate(codeArray.length, 64);
    MemorySegment.copy(codeArray, 0, codeSegment, ValueLayout.JAVA_BYTE, 0, codeArray.length);
  }

  @TearDown
  public void tearDown() {
    arena.close();
  }

  @Benchmark
  @OperationsPerInvocation(CODES)
  public float lutScanSegment() {
    float best = Float.POSITIVE_INFINITY;
    for (int i = 0; i < CODES; i++) {
      long base = (long) i * m;
      float d = 0;
      for (int j = 0; j < m; j++) {
        d += table[(j << 8) + Byte.toUnsignedInt(codeSegment.get(ValueLayout.JAVA_BYTE, base + j))];
      }
      best = Math.min(best, d);
    }
    return best;
  }

  @Benchmark
  @OperationsPerInvocation(CODES)
  public float lutScanArray() {
    float best = Float.POSITIVE_INFINITY;
    for (int i = 0; i < CODES; i++) {
      int base = i * m;
      float d = 0;
      for (int j = 0; j < m; j++) {
        d += table[(j << 8) + Byte.toUnsignedInt(codeArray[base + j])];
      }
      best = Math.min(best, d);
    }
    return best;
  }

  /** Four partial sums break the add dependency chain, as faiss's scanners do. */
  @Benchmark
  @OperationsPerInvocation(CODES)
  public float lutScanSegmentUnrolled() {
    float best = Float.POSITIVE_INFINITY;
    for (int i = 0; i < CODES; i++) {
      long base = (long) i * m;
      float d0 = 0, d1 = 0, d2 = 0, d3 = 0;
      for (int j = 0; j < m; j += 4) {
        d0 += table[(j << 8) + Byte.toUnsignedInt(codeSegment.get(ValueLayout.JAVA_BYTE, base + j))];
        d1 += table[((j + 1) << 8) + Byte.toUnsignedInt(codeSegment.get(ValueLayout.JAVA_BYTE, base + j + 1))];
        d2 += table[((j + 2) << 8) + Byte.toUnsignedInt(codeSegment.get(ValueLayout.JAVA_BYTE, base + j + 2))];
        d3 += table[((j + 3) << 8) + Byte.toUnsignedInt(codeSegment.get(ValueLayout.JAVA_BYTE, base + j + 3))];
      }
      best = Math.min(best, (d0 + d1) + (d2 + d3));
    }
    return best;
  }
}
