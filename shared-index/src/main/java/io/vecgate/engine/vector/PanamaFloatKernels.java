package io.vecgate.engine.vector;

import static io.vecgate.engine.vector.PanamaLanes.F;
import static io.vecgate.engine.vector.PanamaLanes.LANES;
import static io.vecgate.engine.vector.PanamaLanes.LE;
import static io.vecgate.engine.vector.PanamaLanes.sum;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * The Vector API float kernels of one query against one vector ({@link VectorOps#dot},
 * {@link VectorOps#squareDistance}), on arrays and on stored vectors. Four independent
 * accumulators hide the FMA latency; whole lanes follow, then a scalar tail.
 */
final class PanamaFloatKernels {

  private static final ScalarVectorOps TAIL = new ScalarVectorOps();

  private PanamaFloatKernels() {}

  static float dot(float[] a, int aOff, float[] b, int bOff, int dim) {
    int i = 0;
    float sum = 0f;
    if (dim >= 4 * LANES) {
      FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F), s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
      int bound = dim - 4 * LANES;
      for (; i <= bound; i += 4 * LANES) {
        s0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), s0);
        s1 = FloatVector.fromArray(F, a, aOff + i + LANES).fma(FloatVector.fromArray(F, b, bOff + i + LANES), s1);
        s2 = FloatVector.fromArray(F, a, aOff + i + 2 * LANES).fma(FloatVector.fromArray(F, b, bOff + i + 2 * LANES), s2);
        s3 = FloatVector.fromArray(F, a, aOff + i + 3 * LANES).fma(FloatVector.fromArray(F, b, bOff + i + 3 * LANES), s3);
      }
      sum = sum(s0.add(s1).add(s2.add(s3)));
    }
    for (; i <= dim - LANES; i += LANES) {
      sum += sum(FloatVector.fromArray(F, a, aOff + i).mul(FloatVector.fromArray(F, b, bOff + i)));
    }
    return i == dim ? sum : sum + TAIL.dot(a, aOff + i, b, bOff + i, dim - i);
  }

  static float squareDistance(float[] a, int aOff, float[] b, int bOff, int dim) {
    int i = 0;
    float sum = 0f;
    if (dim >= 4 * LANES) {
      FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F), s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
      int bound = dim - 4 * LANES;
      for (; i <= bound; i += 4 * LANES) {
        FloatVector d0 = FloatVector.fromArray(F, a, aOff + i).sub(FloatVector.fromArray(F, b, bOff + i));
        FloatVector d1 = FloatVector.fromArray(F, a, aOff + i + LANES).sub(FloatVector.fromArray(F, b, bOff + i + LANES));
        FloatVector d2 = FloatVector.fromArray(F, a, aOff + i + 2 * LANES).sub(FloatVector.fromArray(F, b, bOff + i + 2 * LANES));
        FloatVector d3 = FloatVector.fromArray(F, a, aOff + i + 3 * LANES).sub(FloatVector.fromArray(F, b, bOff + i + 3 * LANES));
        s0 = d0.fma(d0, s0);
        s1 = d1.fma(d1, s1);
        s2 = d2.fma(d2, s2);
        s3 = d3.fma(d3, s3);
      }
      sum = sum(s0.add(s1).add(s2.add(s3)));
    }
    for (; i <= dim - LANES; i += LANES) {
      FloatVector d = FloatVector.fromArray(F, a, aOff + i).sub(FloatVector.fromArray(F, b, bOff + i));
      sum += sum(d.mul(d));
    }
    return i == dim ? sum : sum + TAIL.squareDistance(a, aOff + i, b, bOff + i, dim - i);
  }

  static float dot(float[] q, MemorySegment data, long off, int dim) {
    int i = 0;
    float sum = 0f;
    if (dim >= 4 * LANES) {
      FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F), s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
      int bound = dim - 4 * LANES;
      for (; i <= bound; i += 4 * LANES) {
        long o = off + 4L * i;
        s0 = FloatVector.fromArray(F, q, i).fma(FloatVector.fromMemorySegment(F, data, o, LE), s0);
        s1 = FloatVector.fromArray(F, q, i + LANES).fma(FloatVector.fromMemorySegment(F, data, o + 4L * LANES, LE), s1);
        s2 = FloatVector.fromArray(F, q, i + 2 * LANES).fma(FloatVector.fromMemorySegment(F, data, o + 8L * LANES, LE), s2);
        s3 = FloatVector.fromArray(F, q, i + 3 * LANES).fma(FloatVector.fromMemorySegment(F, data, o + 12L * LANES, LE), s3);
      }
      sum = sum(s0.add(s1).add(s2.add(s3)));
    }
    for (; i <= dim - LANES; i += LANES) {
      sum += sum(FloatVector.fromArray(F, q, i).mul(FloatVector.fromMemorySegment(F, data, off + 4L * i, LE)));
    }
    for (; i < dim; i++) {
      sum = Math.fma(q[i], data.get(ScalarVectorOps.FLOAT_LE, off + 4L * i), sum);
    }
    return sum;
  }

  static float squareDistance(float[] q, MemorySegment data, long off, int dim) {
    int i = 0;
    float sum = 0f;
    if (dim >= 4 * LANES) {
      FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F), s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
      int bound = dim - 4 * LANES;
      for (; i <= bound; i += 4 * LANES) {
        long o = off + 4L * i;
        FloatVector d0 = FloatVector.fromArray(F, q, i).sub(FloatVector.fromMemorySegment(F, data, o, LE));
        FloatVector d1 = FloatVector.fromArray(F, q, i + LANES).sub(FloatVector.fromMemorySegment(F, data, o + 4L * LANES, LE));
        FloatVector d2 = FloatVector.fromArray(F, q, i + 2 * LANES).sub(FloatVector.fromMemorySegment(F, data, o + 8L * LANES, LE));
        FloatVector d3 = FloatVector.fromArray(F, q, i + 3 * LANES).sub(FloatVector.fromMemorySegment(F, data, o + 12L * LANES, LE));
        s0 = d0.fma(d0, s0);
        s1 = d1.fma(d1, s1);
        s2 = d2.fma(d2, s2);
        s3 = d3.fma(d3, s3);
      }
      sum = sum(s0.add(s1).add(s2.add(s3)));
    }
    for (; i <= dim - LANES; i += LANES) {
      FloatVector d = FloatVector.fromArray(F, q, i).sub(FloatVector.fromMemorySegment(F, data, off + 4L * i, LE));
      sum += sum(d.mul(d));
    }
    for (; i < dim; i++) {
      float d = q[i] - data.get(ScalarVectorOps.FLOAT_LE, off + 4L * i);
      sum = Math.fma(d, d, sum);
    }
    return sum;
  }
}
