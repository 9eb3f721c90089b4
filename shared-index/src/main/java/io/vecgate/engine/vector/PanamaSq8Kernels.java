package io.vecgate.engine.vector;

import static io.vecgate.engine.vector.PanamaLanes.F;
import static io.vecgate.engine.vector.PanamaLanes.LANES;
import static io.vecgate.engine.vector.PanamaLanes.LE;
import static io.vecgate.engine.vector.PanamaLanes.sum;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API SQ8 kernels: a query against 8-bit codes widened to floats, one query or four
 * at a time. Where no byte species widens into one float vector, the scalar twin answers.
 */
final class PanamaSq8Kernels {

  /** Bytes per float lane group, used to load SQ8 codes that widen into one float vector. */
  private static final VectorSpecies<Byte> B = ByteVector.SPECIES_64.length() == LANES
      ? ByteVector.SPECIES_64
      : ByteVector.SPECIES_128.length() == LANES ? ByteVector.SPECIES_128 : null;
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  private static final ScalarVectorOps TAIL = new ScalarVectorOps();

  private PanamaSq8Kernels() {}

  static float sq8SquareDistance(float[] qMinusMin, float[] scale, MemorySegment codes, long off, int dim) {
    if (B == null) {
      return TAIL.sq8SquareDistance(qMinusMin, scale, codes, off, dim);
    }
    int i = 0;
    float sum = 0f;
    if (dim >= 2 * LANES) {
      FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
      int bound = dim - 2 * LANES;
      for (; i <= bound; i += 2 * LANES) {
        FloatVector c0 = widen(codes, off + i);
        FloatVector c1 = widen(codes, off + i + LANES);
        FloatVector d0 = c0.neg().fma(FloatVector.fromArray(F, scale, i), FloatVector.fromArray(F, qMinusMin, i));
        FloatVector d1 = c1.neg().fma(FloatVector.fromArray(F, scale, i + LANES), FloatVector.fromArray(F, qMinusMin, i + LANES));
        s0 = d0.fma(d0, s0);
        s1 = d1.fma(d1, s1);
      }
      sum = sum(s0.add(s1));
    }
    if (i == dim) {
      return sum;
    }
    MemorySegment tail = codes;
    for (; i < dim; i++) {
      int c = tail.get(java.lang.foreign.ValueLayout.JAVA_BYTE, off + i) & 0xFF;
      float d = Math.fma(-c, scale[i], qMinusMin[i]);
      sum = Math.fma(d, d, sum);
    }
    return sum;
  }

  static float sq8Dot(float[] qTimesScale, MemorySegment codes, long off, int dim) {
    if (B == null) {
      return TAIL.sq8Dot(qTimesScale, codes, off, dim);
    }
    int i = 0;
    float sum = 0f;
    if (dim >= 2 * LANES) {
      FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
      int bound = dim - 2 * LANES;
      for (; i <= bound; i += 2 * LANES) {
        s0 = widen(codes, off + i).fma(FloatVector.fromArray(F, qTimesScale, i), s0);
        s1 = widen(codes, off + i + LANES).fma(FloatVector.fromArray(F, qTimesScale, i + LANES), s1);
      }
      sum = sum(s0.add(s1));
    }
    for (; i < dim; i++) {
      int c = codes.get(java.lang.foreign.ValueLayout.JAVA_BYTE, off + i) & 0xFF;
      sum = Math.fma(qTimesScale[i], c, sum);
    }
    return sum;
  }

  static void sq8SquareDistance4(float[] q0, float[] q1, float[] q2, float[] q3,
                                 float[] scale, MemorySegment codes, long off, int dim, float[] out) {
    if (B == null) {
      TAIL.sq8SquareDistance4(q0, q1, q2, q3, scale, codes, off, dim, out);
      return;
    }
    // Mirrors sq8SquareDistance: two accumulators per query over 2 x LANES, then a scalar tail.
    int i = 0;
    float r0 = 0f, r1 = 0f, r2 = 0f, r3 = 0f;
    if (dim >= 2 * LANES) {
      FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), b0 = FloatVector.zero(F), b1 = FloatVector.zero(F);
      FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F), e0 = FloatVector.zero(F), e1 = FloatVector.zero(F);
      int bound = dim - 2 * LANES;
      for (; i <= bound; i += 2 * LANES) {
        FloatVector x0 = widen(codes, off + i).neg();
        FloatVector x1 = widen(codes, off + i + LANES).neg();
        FloatVector s0 = FloatVector.fromArray(F, scale, i);
        FloatVector s1 = FloatVector.fromArray(F, scale, i + LANES);
        FloatVector t = x0.fma(s0, FloatVector.fromArray(F, q0, i));
        a0 = t.fma(t, a0);
        t = x1.fma(s1, FloatVector.fromArray(F, q0, i + LANES));
        a1 = t.fma(t, a1);
        t = x0.fma(s0, FloatVector.fromArray(F, q1, i));
        b0 = t.fma(t, b0);
        t = x1.fma(s1, FloatVector.fromArray(F, q1, i + LANES));
        b1 = t.fma(t, b1);
        t = x0.fma(s0, FloatVector.fromArray(F, q2, i));
        c0 = t.fma(t, c0);
        t = x1.fma(s1, FloatVector.fromArray(F, q2, i + LANES));
        c1 = t.fma(t, c1);
        t = x0.fma(s0, FloatVector.fromArray(F, q3, i));
        e0 = t.fma(t, e0);
        t = x1.fma(s1, FloatVector.fromArray(F, q3, i + LANES));
        e1 = t.fma(t, e1);
      }
      r0 = sum(a0.add(a1));
      r1 = sum(b0.add(b1));
      r2 = sum(c0.add(c1));
      r3 = sum(e0.add(e1));
    }
    for (; i < dim; i++) {
      int c = codes.get(java.lang.foreign.ValueLayout.JAVA_BYTE, off + i) & 0xFF;
      float d0 = Math.fma(-c, scale[i], q0[i]);
      float d1 = Math.fma(-c, scale[i], q1[i]);
      float d2 = Math.fma(-c, scale[i], q2[i]);
      float d3 = Math.fma(-c, scale[i], q3[i]);
      r0 = Math.fma(d0, d0, r0);
      r1 = Math.fma(d1, d1, r1);
      r2 = Math.fma(d2, d2, r2);
      r3 = Math.fma(d3, d3, r3);
    }
    out[0] = r0;
    out[1] = r1;
    out[2] = r2;
    out[3] = r3;
  }

  static void sq8Dot4(float[] q0, float[] q1, float[] q2, float[] q3, MemorySegment codes, long off, int dim, float[] out) {
    if (B == null) {
      TAIL.sq8Dot4(q0, q1, q2, q3, codes, off, dim, out);
      return;
    }
    // Mirrors sq8Dot: two accumulators per query over 2 x LANES, then a scalar tail.
    int i = 0;
    float r0 = 0f, r1 = 0f, r2 = 0f, r3 = 0f;
    if (dim >= 2 * LANES) {
      FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), b0 = FloatVector.zero(F), b1 = FloatVector.zero(F);
      FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F), e0 = FloatVector.zero(F), e1 = FloatVector.zero(F);
      int bound = dim - 2 * LANES;
      for (; i <= bound; i += 2 * LANES) {
        FloatVector x0 = widen(codes, off + i);
        FloatVector x1 = widen(codes, off + i + LANES);
        a0 = x0.fma(FloatVector.fromArray(F, q0, i), a0);
        a1 = x1.fma(FloatVector.fromArray(F, q0, i + LANES), a1);
        b0 = x0.fma(FloatVector.fromArray(F, q1, i), b0);
        b1 = x1.fma(FloatVector.fromArray(F, q1, i + LANES), b1);
        c0 = x0.fma(FloatVector.fromArray(F, q2, i), c0);
        c1 = x1.fma(FloatVector.fromArray(F, q2, i + LANES), c1);
        e0 = x0.fma(FloatVector.fromArray(F, q3, i), e0);
        e1 = x1.fma(FloatVector.fromArray(F, q3, i + LANES), e1);
      }
      r0 = sum(a0.add(a1));
      r1 = sum(b0.add(b1));
      r2 = sum(c0.add(c1));
      r3 = sum(e0.add(e1));
    }
    for (; i < dim; i++) {
      int c = codes.get(java.lang.foreign.ValueLayout.JAVA_BYTE, off + i) & 0xFF;
      r0 = Math.fma(q0[i], c, r0);
      r1 = Math.fma(q1[i], c, r1);
      r2 = Math.fma(q2[i], c, r2);
      r3 = Math.fma(q3[i], c, r3);
    }
    out[0] = r0;
    out[1] = r1;
    out[2] = r2;
    out[3] = r3;
  }

  /** Loads {@code LANES} unsigned bytes and widens them to floats. */
  private static FloatVector widen(MemorySegment codes, long off) {
    ByteVector bytes = ByteVector.fromMemorySegment(B, codes, off, LE);
    IntVector ints = (IntVector) bytes.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
    return (FloatVector) ints.convertShape(VectorOperators.I2F, F, 0);
  }
}
