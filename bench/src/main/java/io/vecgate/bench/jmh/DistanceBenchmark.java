package io.vecgate.bench.jmh;

import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.VectorOps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Float distance kernels, one pair of vectors per call: arrays (queries, k-means) and a query
 * against a stored vector in a native segment (index scans). {@code impl=scalar} measures the
 * plain-Java twin for comparison.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class DistanceBenchmark {

  @Param({"96", "128", "768"})
  int dim;

  @Param({"default", "scalar"})
  String impl;

  private VectorOps ops;
  private float[] a;
  private float[] b;
  private Arena arena;
  private MemorySegment stored;

  @Setup
  public void setUp() {
    ops = KernelChoice.of(impl);
    SplittableRandom rnd = new SplittableRandom(7);
    a = new float[dim];
    b = new float[dim];
    for (int i = 0; i < dim; i++) {
      a[i] = (float) rnd.nextGaussian();
      b[i] = (float) rnd.nextGaussian();
    }
    arena = Arena.ofShared();
    FloatVectors v = FloatVectors.allocate(arena, 1, dim);
    v.set(0, b);
    stored = v.data();
  }

  @TearDown
  public void tearDown() {
    arena.close();
  }

  @Benchmark
  public float dotArray() {
    return ops.dot(a, 0, b, 0, dim);
  }

  @Benchmark
  public float squareDistanceArray() {
    return ops.squareDistance(a, 0, b, 0, dim);
  }

  @Benchmark
  public float dotSegment() {
    return ops.dot(a, stored, 0, dim);
  }

  @Benchmark
  public float squareDistanceSegment() {
    return ops.squareDistance(a, stored, 0, dim);
  }
}
