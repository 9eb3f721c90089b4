package io.vecgate.bench.jmh;

import io.vecgate.engine.vector.VectorOps;
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
 * The SQ8 scan of an IVF_SQ8 list: one query against {@link #CODES} consecutive 8-bit codes in a
 * native segment. Reported time is per code ({@code @OperationsPerInvocation}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class Sq8ScanBenchmark {

  /** Codes per invocation: a typical inverted list, small enough to stay in cache. */
  static final int CODES = 1024;

  @Param({"96", "128", "768"})
  int dim;

  @Param({"default", "scalar"})
  String impl;

  private VectorOps ops;
  private float[] qMinusMin;
  private float[] scale;
  private Arena arena;
  private MemorySegment codes;

  @Setup
  public void setUp() {
    ops = KernelChoice.of(impl);
    SplittableRandom rnd = new SplittableRandom(11);
    qMinusMin = new float[dim];
    scale = new float[dim];
    for (int j = 0; j < dim; j++) {
      qMinusMin[j] = (float) rnd.nextDouble(0, 2);
      scale[j] = (float) rnd.nextDouble(0.001, 0.01);
    }
    arena = Arena.ofShared();
    codes = arena.allocate((long) CODES * dim, 64);
    for (long i = 0; i < codes.byteSize(); i++) {
      codes.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt(256));
    }
  }

  @TearDown
  public void tearDown() {
    arena.close();
  }

  @Benchmark
  @OperationsPerInvocation(CODES)
  public float sq8SquareDistance() {
    float best = Float.POSITIVE_INFINITY;
    for (int i = 0; i < CODES; i++) {
      best = Math.min(best, ops.sq8SquareDistance(qMinusMin, scale, codes, (long) i * dim, dim));
    }
    return best;
  }

  @Benchmark
  @OperationsPerInvocation(CODES)
  public float sq8Dot() {
    float best = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < CODES; i++) {
      best = Math.max(best, ops.sq8Dot(qMinusMin, codes, (long) i * dim, dim));
    }
    return best;
  }
}
