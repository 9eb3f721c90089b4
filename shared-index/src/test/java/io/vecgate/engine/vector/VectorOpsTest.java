package io.vecgate.engine.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Holds the kernels this JVM chose to the scalar twin on awkward lengths (as Lucene's
 * TestVectorUtilSupport), with a tolerance that grows with the length.
 */
class VectorOpsTest {

  private final VectorOps ops = VectorizationProvider.ops();
  private final VectorOps scalar = VectorizationProvider.scalar();

  private static float tolerance(float expected, int dim) {
    return 1e-5f * dim * Math.max(1f, Math.abs(expected));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 64, 66, 97, 128, 130, 257, 784, 1031})
  void floatKernelsAgreeWithScalar(int dim) {
    Random rnd = new Random(dim);
    float[] a = randomFloats(rnd, dim + 3);
    float[] b = randomFloats(rnd, dim + 5);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment seg = arena.allocate((dim + 5) * 4L + 4);
      MemorySegment.copy(b, 0, seg, FloatVectors.FLOAT_LE, 4, b.length);
      float[] q = java.util.Arrays.copyOfRange(a, 0, dim);
      float expDot = scalar.dot(a, 3, b, 5, dim);
      assertEquals(expDot, ops.dot(a, 3, b, 5, dim), tolerance(expDot, dim));
      float[] four = new float[4];
      float[] y = randomFloats(rnd, 4 * dim + 7);
      for (VectorOps impl : new VectorOps[] {ops, scalar}) {
        impl.dot4(a, 3, y, 7, 7 + dim, 7 + 2 * dim, 7 + 3 * dim, dim, four);
        for (int i = 0; i < 4; i++) {
          float exp = scalar.dot(a, 3, y, 7 + i * dim, dim);
          assertEquals(exp, four[i], tolerance(exp, dim), impl.name() + " dot4 product " + i);
        }
      }
      float expL2 = scalar.squareDistance(a, 3, b, 5, dim);
      assertEquals(expL2, ops.squareDistance(a, 3, b, 5, dim), tolerance(expL2, dim));
      // segment offset 4 + 5 floats: deliberately not aligned to the vector size
      long off = 4 + 5 * 4;
      float segDot = scalar.dot(q, seg, off, dim);
      assertEquals(segDot, ops.dot(q, seg, off, dim), tolerance(segDot, dim));
      float segL2 = scalar.squareDistance(q, seg, off, dim);
      assertEquals(segL2, ops.squareDistance(q, seg, off, dim), tolerance(segL2, dim));
      float[][] qs = {q, randomFloats(rnd, dim), randomFloats(rnd, dim), randomFloats(rnd, dim)};
      for (VectorOps impl : new VectorOps[] {ops, scalar}) {
        float[] l2 = new float[4];
        float[] dots = new float[4];
        impl.squareDistance4(qs[0], qs[1], qs[2], qs[3], seg, off, dim, l2);
        impl.dot4(qs[0], qs[1], qs[2], qs[3], seg, off, dim, dots);
        for (int i = 0; i < 4; i++) {
          float expL2i = scalar.squareDistance(qs[i], seg, off, dim);
          assertEquals(expL2i, l2[i], tolerance(expL2i, dim), impl.name() + " squareDistance4 query " + i);
          float expDoti = scalar.dot(qs[i], seg, off, dim);
          assertEquals(expDoti, dots[i], tolerance(expDoti, dim), impl.name() + " dot4 (segment) query " + i);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 64, 66, 97, 128, 130, 257, 784})
  void fourRowKernelsAgreeWithScalarAndDependOnlyOnTheirRow(int dim) {
    Random rnd = new Random(dim * 7L);
    float[] q = randomFloats(rnd, dim);
    int rows = 6;
    try (Arena arena = Arena.ofConfined()) {
      // one float of padding in front, so that rows are not aligned to the vector size
      MemorySegment seg = arena.allocate((rows * (long) dim + 1) * 4);
      MemorySegment.copy(randomFloats(rnd, rows * dim), 0, seg, FloatVectors.FLOAT_LE, 4, rows * dim);
      long[] off = {4, 4 + 4L * dim * 3, 4 + 4L * dim * 5, 4 + 4L * dim};
      float[] l2 = new float[4];
      float[] dot = new float[4];
      ops.squareDistance4Rows(q, seg, off[0], off[1], off[2], off[3], dim, l2);
      ops.dot4Rows(q, seg, off[0], off[1], off[2], off[3], dim, dot);
      for (int r = 0; r < 4; r++) {
        float expL2 = scalar.squareDistance(q, seg, off[r], dim);
        assertEquals(expL2, l2[r], tolerance(expL2, dim), "row " + r);
        float expDot = scalar.dot(q, seg, off[r], dim);
        assertEquals(expDot, dot[r], tolerance(expDot, dim), "row " + r);
      }
      // A row's value does not depend on its neighbours in the group (callers pad with repeats).
      float[] again = new float[4];
      ops.squareDistance4Rows(q, seg, off[2], off[2], off[0], off[2], dim, again);
      assertEquals(l2[2], again[0]);
      assertEquals(l2[2], again[3]);
      assertEquals(l2[0], again[2]);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 8, 9, 16, 17, 31, 32, 33, 100, 128, 130, 784})
  void sq8KernelsAgreeWithScalarAtExtremeCodes(int dim) {
    Random rnd = new Random(dim * 31L);
    float[] qm = randomFloats(rnd, dim);
    float[] scale = new float[dim];
    for (int i = 0; i < dim; i++) {
      scale[i] = rnd.nextFloat() / 255f;
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment codes = arena.allocate(dim + 1);
      for (int pattern = 0; pattern < 3; pattern++) {
        for (int i = 0; i < dim; i++) {
          int c = switch (pattern) {
            case 0 -> 0;
            case 1 -> 255;
            default -> rnd.nextInt(256);
          };
          codes.set(ValueLayout.JAVA_BYTE, 1 + i, (byte) c);
        }
        float expL2 = scalar.sq8SquareDistance(qm, scale, codes, 1, dim);
        assertEquals(expL2, ops.sq8SquareDistance(qm, scale, codes, 1, dim), tolerance(expL2, dim), "pattern " + pattern);
        float expDot = scalar.sq8Dot(qm, codes, 1, dim);
        assertEquals(expDot, ops.sq8Dot(qm, codes, 1, dim), tolerance(expDot, dim) * 255, "pattern " + pattern);
        checkFourQueryKernels(rnd, qm, scale, codes, dim, pattern);
      }
    }
  }

  /**
   * The four-query kernels give each query exactly what the same implementation's single-query
   * kernel gives it (the same arithmetic in the same order): a batched IVF scan then scores a
   * query bit for bit as a scan of that query alone, so merged searches answer as unmerged ones.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 64, 66, 97, 128, 130, 257, 784})
  void fourQueryKernelsEqualTheSingleQueryKernelBitForBit(int dim) {
    Random rnd = new Random(dim * 31L);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment data = arena.allocate(4L * dim + 12);
      MemorySegment codes = arena.allocate(dim + 3);
      for (int i = 0; i < dim; i++) {
        data.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 12 + 4L * i, rnd.nextFloat() * 2 - 1);
        codes.set(ValueLayout.JAVA_BYTE, 3 + i, (byte) rnd.nextInt(256));
      }
      float[] scale = randomFloats(rnd, dim);
      for (int round = 0; round < 200; round++) {
        float[][] q = {randomFloats(rnd, dim), randomFloats(rnd, dim), randomFloats(rnd, dim), randomFloats(rnd, dim)};
        for (VectorOps impl : new VectorOps[] {ops, scalar}) {
          float[] l2 = new float[4];
          float[] dot = new float[4];
          float[] sqL2 = new float[4];
          float[] sqDot = new float[4];
          impl.squareDistance4(q[0], q[1], q[2], q[3], data, 12, dim, l2);
          impl.dot4(q[0], q[1], q[2], q[3], data, 12, dim, dot);
          impl.sq8SquareDistance4(q[0], q[1], q[2], q[3], scale, codes, 3, dim, sqL2);
          impl.sq8Dot4(q[0], q[1], q[2], q[3], codes, 3, dim, sqDot);
          for (int i = 0; i < 4; i++) {
            String what = impl.name() + " dim " + dim + " query " + i;
            assertEquals(impl.squareDistance(q[i], data, 12, dim), l2[i], 0f, what + " squareDistance4");
            assertEquals(impl.dot(q[i], data, 12, dim), dot[i], 0f, what + " dot4");
            assertEquals(impl.sq8SquareDistance(q[i], scale, codes, 3, dim), sqL2[i], 0f, what + " sq8SquareDistance4");
            assertEquals(impl.sq8Dot(q[i], codes, 3, dim), sqDot[i], 0f, what + " sq8Dot4");
          }
        }
      }
    }
  }

  /**
   * The lane sum every Vector API kernel ends with is one fixed tree of adds, however it is
   * computed: extracted lanes and shuffled copies agree bit for bit, also where the order of the
   * adds changes the last bits (mixed magnitudes and signs).
   */
  @Test
  void laneSumIsOneFixedTree() {
    VectorSpecies<Float> species = FloatVector.SPECIES_PREFERRED;
    int lanes = species.length();
    Random rnd = new Random(5);
    for (int round = 0; round < 10_000; round++) {
      float[] v = new float[lanes];
      for (int i = 0; i < lanes; i++) {
        v[i] = (float) ((rnd.nextDouble() * 2 - 1) * Math.pow(10, rnd.nextInt(16) - 8));
      }
      // The tree written out on the array: lane i plus lane i + half, halving down to one.
      float[] t = v.clone();
      for (int half = lanes / 2; half >= 1; half /= 2) {
        for (int i = 0; i < half; i++) {
          t[i] += t[i + half];
        }
      }
      FloatVector vector = FloatVector.fromArray(species, v, 0);
      assertEquals(Float.floatToRawIntBits(t[0]), Float.floatToRawIntBits(PanamaLanes.sum(vector)), "round " + round);
      assertEquals(Float.floatToRawIntBits(t[0]), Float.floatToRawIntBits(PanamaLanes.shuffledSum(vector)), "round " + round);
    }
  }

  /** The four-query SQ8 kernels against the scalar single-query kernel, for each of the four queries. */
  private void checkFourQueryKernels(Random rnd, float[] q0, float[] scale, MemorySegment codes, int dim, int pattern) {
    float[][] q = {q0, randomFloats(rnd, dim), randomFloats(rnd, dim), randomFloats(rnd, dim)};
    for (VectorOps impl : new VectorOps[] {ops, scalar}) {
      float[] l2 = new float[4];
      float[] dot = new float[4];
      impl.sq8SquareDistance4(q[0], q[1], q[2], q[3], scale, codes, 1, dim, l2);
      impl.sq8Dot4(q[0], q[1], q[2], q[3], codes, 1, dim, dot);
      for (int i = 0; i < 4; i++) {
        float expL2 = scalar.sq8SquareDistance(q[i], scale, codes, 1, dim);
        assertEquals(expL2, l2[i], tolerance(expL2, dim), impl.name() + " sq8SquareDistance4 query " + i + " pattern " + pattern);
        float expDot = scalar.sq8Dot(q[i], codes, 1, dim);
        assertEquals(expDot, dot[i], tolerance(expDot, dim) * 255, impl.name() + " sq8Dot4 query " + i + " pattern " + pattern);
      }
    }
  }

  private static float[] randomFloats(Random rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextFloat() * 2 - 1;
    }
    return v;
  }
}
