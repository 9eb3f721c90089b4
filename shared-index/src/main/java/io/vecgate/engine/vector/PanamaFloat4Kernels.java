package io.vecgate.engine.vector;

import static io.vecgate.engine.vector.PanamaLanes.F;
import static io.vecgate.engine.vector.PanamaLanes.LANES;
import static io.vecgate.engine.vector.PanamaLanes.LE;
import static io.vecgate.engine.vector.PanamaLanes.sum;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * The Vector API float kernels that score four at once: one vector against four (k-means
 * assignment: {@link VectorOps#dot4(float[], int, float[], int, int, int, int, int, float[])}),
 * one query against four stored rows (graph search, exact scans: {@link VectorOps#squareDistance4Rows},
 * {@link VectorOps#dot4Rows}) and four queries against one stored vector (batched IVF_FLAT
 * scans: {@link VectorOps#squareDistance4}, {@link VectorOps#dot4(float[], float[], float[], float[],
 * MemorySegment, long, int, float[])}), whose results equal {@link PanamaFloatKernels}' bit for bit.
 */
final class PanamaFloat4Kernels {

  private PanamaFloat4Kernels() {}

  static void dot4(float[] x, int xOff, float[] y, int y0, int y1, int y2, int y3, int dim, float[] out) {
    int i = 0;
    float r0 = 0f, r1 = 0f, r2 = 0f, r3 = 0f;
    if (dim >= 2 * LANES) {
      // Two accumulators per product: eight in flight hide the FMA latency without spilling.
      FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), b0 = FloatVector.zero(F), b1 = FloatVector.zero(F);
      FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F), e0 = FloatVector.zero(F), e1 = FloatVector.zero(F);
      int bound = dim - 2 * LANES;
      for (; i <= bound; i += 2 * LANES) {
        FloatVector x0 = FloatVector.fromArray(F, x, xOff + i);
        FloatVector x1 = FloatVector.fromArray(F, x, xOff + i + LANES);
        a0 = x0.fma(FloatVector.fromArray(F, y, y0 + i), a0);
        a1 = x1.fma(FloatVector.fromArray(F, y, y0 + i + LANES), a1);
        b0 = x0.fma(FloatVector.fromArray(F, y, y1 + i), b0);
        b1 = x1.fma(FloatVector.fromArray(F, y, y1 + i + LANES), b1);
        c0 = x0.fma(FloatVector.fromArray(F, y, y2 + i), c0);
        c1 = x1.fma(FloatVector.fromArray(F, y, y2 + i + LANES), c1);
        e0 = x0.fma(FloatVector.fromArray(F, y, y3 + i), e0);
        e1 = x1.fma(FloatVector.fromArray(F, y, y3 + i + LANES), e1);
      }
      r0 = sum(a0.add(a1));
      r1 = sum(b0.add(b1));
      r2 = sum(c0.add(c1));
      r3 = sum(e0.add(e1));
    }
    for (; i < dim; i++) {
      float v = x[xOff + i];
      r0 = Math.fma(v, y[y0 + i], r0);
      r1 = Math.fma(v, y[y1 + i], r1);
      r2 = Math.fma(v, y[y2 + i], r2);
      r3 = Math.fma(v, y[y3 + i], r3);
    }
    out[0] = r0;
    out[1] = r1;
    out[2] = r2;
    out[3] = r3;
  }

  static void squareDistance4Rows(float[] q, MemorySegment data, long off0, long off1, long off2, long off3, int dim,
                                  float[] out) {
    // Two accumulators per row (eight in all) fit the 16 AVX2 registers with the query and the
    // four row vectors; each row's sum runs in a fixed order of its own.
    FloatVector a0 = FloatVector.zero(F), b0 = FloatVector.zero(F), a1 = FloatVector.zero(F), b1 = FloatVector.zero(F);
    FloatVector a2 = FloatVector.zero(F), b2 = FloatVector.zero(F), a3 = FloatVector.zero(F), b3 = FloatVector.zero(F);
    int i = 0;
    for (; i <= dim - 2 * LANES; i += 2 * LANES) {
      long o = 4L * i;
      long o2 = o + 4L * LANES;
      FloatVector x = FloatVector.fromArray(F, q, i);
      FloatVector y = FloatVector.fromArray(F, q, i + LANES);
      FloatVector d;
      d = x.sub(FloatVector.fromMemorySegment(F, data, off0 + o, LE));
      a0 = d.fma(d, a0);
      d = x.sub(FloatVector.fromMemorySegment(F, data, off1 + o, LE));
      a1 = d.fma(d, a1);
      d = x.sub(FloatVector.fromMemorySegment(F, data, off2 + o, LE));
      a2 = d.fma(d, a2);
      d = x.sub(FloatVector.fromMemorySegment(F, data, off3 + o, LE));
      a3 = d.fma(d, a3);
      d = y.sub(FloatVector.fromMemorySegment(F, data, off0 + o2, LE));
      b0 = d.fma(d, b0);
      d = y.sub(FloatVector.fromMemorySegment(F, data, off1 + o2, LE));
      b1 = d.fma(d, b1);
      d = y.sub(FloatVector.fromMemorySegment(F, data, off2 + o2, LE));
      b2 = d.fma(d, b2);
      d = y.sub(FloatVector.fromMemorySegment(F, data, off3 + o2, LE));
      b3 = d.fma(d, b3);
    }
    if (i <= dim - LANES) {
      long o = 4L * i;
      FloatVector x = FloatVector.fromArray(F, q, i);
      FloatVector d;
      d = x.sub(FloatVector.fromMemorySegment(F, data, off0 + o, LE));
      a0 = d.fma(d, a0);
      d = x.sub(FloatVector.fromMemorySegment(F, data, off1 + o, LE));
      a1 = d.fma(d, a1);
      d = x.sub(FloatVector.fromMemorySegment(F, data, off2 + o, LE));
      a2 = d.fma(d, a2);
      d = x.sub(FloatVector.fromMemorySegment(F, data, off3 + o, LE));
      a3 = d.fma(d, a3);
      i += LANES;
    }
    out[0] = sum(a0.add(b0));
    out[1] = sum(a1.add(b1));
    out[2] = sum(a2.add(b2));
    out[3] = sum(a3.add(b3));
    if (i < dim) {
      out[0] += ScalarVectorOps.squareDistanceTail(q, data, off0, i, dim);
      out[1] += ScalarVectorOps.squareDistanceTail(q, data, off1, i, dim);
      out[2] += ScalarVectorOps.squareDistanceTail(q, data, off2, i, dim);
      out[3] += ScalarVectorOps.squareDistanceTail(q, data, off3, i, dim);
    }
  }

  static void dot4Rows(float[] q, MemorySegment data, long off0, long off1, long off2, long off3, int dim, float[] out) {
    FloatVector a0 = FloatVector.zero(F), b0 = FloatVector.zero(F), a1 = FloatVector.zero(F), b1 = FloatVector.zero(F);
    FloatVector a2 = FloatVector.zero(F), b2 = FloatVector.zero(F), a3 = FloatVector.zero(F), b3 = FloatVector.zero(F);
    int i = 0;
    for (; i <= dim - 2 * LANES; i += 2 * LANES) {
      long o = 4L * i;
      long o2 = o + 4L * LANES;
      FloatVector x = FloatVector.fromArray(F, q, i);
      FloatVector y = FloatVector.fromArray(F, q, i + LANES);
      a0 = x.fma(FloatVector.fromMemorySegment(F, data, off0 + o, LE), a0);
      a1 = x.fma(FloatVector.fromMemorySegment(F, data, off1 + o, LE), a1);
      a2 = x.fma(FloatVector.fromMemorySegment(F, data, off2 + o, LE), a2);
      a3 = x.fma(FloatVector.fromMemorySegment(F, data, off3 + o, LE), a3);
      b0 = y.fma(FloatVector.fromMemorySegment(F, data, off0 + o2, LE), b0);
      b1 = y.fma(FloatVector.fromMemorySegment(F, data, off1 + o2, LE), b1);
      b2 = y.fma(FloatVector.fromMemorySegment(F, data, off2 + o2, LE), b2);
      b3 = y.fma(FloatVector.fromMemorySegment(F, data, off3 + o2, LE), b3);
    }
    if (i <= dim - LANES) {
      long o = 4L * i;
      FloatVector x = FloatVector.fromArray(F, q, i);
      a0 = x.fma(FloatVector.fromMemorySegment(F, data, off0 + o, LE), a0);
      a1 = x.fma(FloatVector.fromMemorySegment(F, data, off1 + o, LE), a1);
      a2 = x.fma(FloatVector.fromMemorySegment(F, data, off2 + o, LE), a2);
      a3 = x.fma(FloatVector.fromMemorySegment(F, data, off3 + o, LE), a3);
      i += LANES;
    }
    out[0] = sum(a0.add(b0));
    out[1] = sum(a1.add(b1));
    out[2] = sum(a2.add(b2));
    out[3] = sum(a3.add(b3));
    if (i < dim) {
      out[0] += ScalarVectorOps.dotTail(q, data, off0, i, dim);
      out[1] += ScalarVectorOps.dotTail(q, data, off1, i, dim);
      out[2] += ScalarVectorOps.dotTail(q, data, off2, i, dim);
      out[3] += ScalarVectorOps.dotTail(q, data, off3, i, dim);
    }
  }

  static void squareDistance4(float[] q0, float[] q1, float[] q2, float[] q3, MemorySegment data, long off, int dim, float[] out) {
    // Mirrors squareDistance(q, data, off, dim) for each query: four accumulators per query over
    // 4 x LANES, then whole lanes reduced one by one, then a scalar tail.
    int i = 0;
    float r0 = 0f, r1 = 0f, r2 = 0f, r3 = 0f;
    if (dim >= 4 * LANES) {
      FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F), a02 = FloatVector.zero(F), a03 = FloatVector.zero(F);
      FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F), a12 = FloatVector.zero(F), a13 = FloatVector.zero(F);
      FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F), a22 = FloatVector.zero(F), a23 = FloatVector.zero(F);
      FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F), a32 = FloatVector.zero(F), a33 = FloatVector.zero(F);
      int bound = dim - 4 * LANES;
      for (; i <= bound; i += 4 * LANES) {
        long o = off + 4L * i;
        FloatVector x0 = FloatVector.fromMemorySegment(F, data, o, LE);
        FloatVector d00 = FloatVector.fromArray(F, q0, i).sub(x0);
        a00 = d00.fma(d00, a00);
        FloatVector d10 = FloatVector.fromArray(F, q1, i).sub(x0);
        a10 = d10.fma(d10, a10);
        FloatVector d20 = FloatVector.fromArray(F, q2, i).sub(x0);
        a20 = d20.fma(d20, a20);
        FloatVector d30 = FloatVector.fromArray(F, q3, i).sub(x0);
        a30 = d30.fma(d30, a30);
        FloatVector x1 = FloatVector.fromMemorySegment(F, data, o + 4L * LANES, LE);
        FloatVector d01 = FloatVector.fromArray(F, q0, i + LANES).sub(x1);
        a01 = d01.fma(d01, a01);
        FloatVector d11 = FloatVector.fromArray(F, q1, i + LANES).sub(x1);
        a11 = d11.fma(d11, a11);
        FloatVector d21 = FloatVector.fromArray(F, q2, i + LANES).sub(x1);
        a21 = d21.fma(d21, a21);
        FloatVector d31 = FloatVector.fromArray(F, q3, i + LANES).sub(x1);
        a31 = d31.fma(d31, a31);
        FloatVector x2 = FloatVector.fromMemorySegment(F, data, o + 8L * LANES, LE);
        FloatVector d02 = FloatVector.fromArray(F, q0, i + 2 * LANES).sub(x2);
        a02 = d02.fma(d02, a02);
        FloatVector d12 = FloatVector.fromArray(F, q1, i + 2 * LANES).sub(x2);
        a12 = d12.fma(d12, a12);
        FloatVector d22 = FloatVector.fromArray(F, q2, i + 2 * LANES).sub(x2);
        a22 = d22.fma(d22, a22);
        FloatVector d32 = FloatVector.fromArray(F, q3, i + 2 * LANES).sub(x2);
        a32 = d32.fma(d32, a32);
        FloatVector x3 = FloatVector.fromMemorySegment(F, data, o + 12L * LANES, LE);
        FloatVector d03 = FloatVector.fromArray(F, q0, i + 3 * LANES).sub(x3);
        a03 = d03.fma(d03, a03);
        FloatVector d13 = FloatVector.fromArray(F, q1, i + 3 * LANES).sub(x3);
        a13 = d13.fma(d13, a13);
        FloatVector d23 = FloatVector.fromArray(F, q2, i + 3 * LANES).sub(x3);
        a23 = d23.fma(d23, a23);
        FloatVector d33 = FloatVector.fromArray(F, q3, i + 3 * LANES).sub(x3);
        a33 = d33.fma(d33, a33);
      }
      r0 = sum(a00.add(a01).add(a02.add(a03)));
      r1 = sum(a10.add(a11).add(a12.add(a13)));
      r2 = sum(a20.add(a21).add(a22.add(a23)));
      r3 = sum(a30.add(a31).add(a32.add(a33)));
    }
    for (; i <= dim - LANES; i += LANES) {
      FloatVector x = FloatVector.fromMemorySegment(F, data, off + 4L * i, LE);
      FloatVector d = FloatVector.fromArray(F, q0, i).sub(x);
      r0 += sum(d.mul(d));
      d = FloatVector.fromArray(F, q1, i).sub(x);
      r1 += sum(d.mul(d));
      d = FloatVector.fromArray(F, q2, i).sub(x);
      r2 += sum(d.mul(d));
      d = FloatVector.fromArray(F, q3, i).sub(x);
      r3 += sum(d.mul(d));
    }
    for (; i < dim; i++) {
      float x = data.get(ScalarVectorOps.FLOAT_LE, off + 4L * i);
      float d0 = q0[i] - x, d1 = q1[i] - x, d2 = q2[i] - x, d3 = q3[i] - x;
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

  static void dot4(float[] q0, float[] q1, float[] q2, float[] q3, MemorySegment data, long off, int dim, float[] out) {
    // Mirrors dot(q, data, off, dim) for each query; see squareDistance4.
    int i = 0;
    float r0 = 0f, r1 = 0f, r2 = 0f, r3 = 0f;
    if (dim >= 4 * LANES) {
      FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F), a02 = FloatVector.zero(F), a03 = FloatVector.zero(F);
      FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F), a12 = FloatVector.zero(F), a13 = FloatVector.zero(F);
      FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F), a22 = FloatVector.zero(F), a23 = FloatVector.zero(F);
      FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F), a32 = FloatVector.zero(F), a33 = FloatVector.zero(F);
      int bound = dim - 4 * LANES;
      for (; i <= bound; i += 4 * LANES) {
        long o = off + 4L * i;
        FloatVector x0 = FloatVector.fromMemorySegment(F, data, o, LE);
        a00 = FloatVector.fromArray(F, q0, i).fma(x0, a00);
        a10 = FloatVector.fromArray(F, q1, i).fma(x0, a10);
        a20 = FloatVector.fromArray(F, q2, i).fma(x0, a20);
        a30 = FloatVector.fromArray(F, q3, i).fma(x0, a30);
        FloatVector x1 = FloatVector.fromMemorySegment(F, data, o + 4L * LANES, LE);
        a01 = FloatVector.fromArray(F, q0, i + LANES).fma(x1, a01);
        a11 = FloatVector.fromArray(F, q1, i + LANES).fma(x1, a11);
        a21 = FloatVector.fromArray(F, q2, i + LANES).fma(x1, a21);
        a31 = FloatVector.fromArray(F, q3, i + LANES).fma(x1, a31);
        FloatVector x2 = FloatVector.fromMemorySegment(F, data, o + 8L * LANES, LE);
        a02 = FloatVector.fromArray(F, q0, i + 2 * LANES).fma(x2, a02);
        a12 = FloatVector.fromArray(F, q1, i + 2 * LANES).fma(x2, a12);
        a22 = FloatVector.fromArray(F, q2, i + 2 * LANES).fma(x2, a22);
        a32 = FloatVector.fromArray(F, q3, i + 2 * LANES).fma(x2, a32);
        FloatVector x3 = FloatVector.fromMemorySegment(F, data, o + 12L * LANES, LE);
        a03 = FloatVector.fromArray(F, q0, i + 3 * LANES).fma(x3, a03);
        a13 = FloatVector.fromArray(F, q1, i + 3 * LANES).fma(x3, a13);
        a23 = FloatVector.fromArray(F, q2, i + 3 * LANES).fma(x3, a23);
        a33 = FloatVector.fromArray(F, q3, i + 3 * LANES).fma(x3, a33);
      }
      r0 = sum(a00.add(a01).add(a02.add(a03)));
      r1 = sum(a10.add(a11).add(a12.add(a13)));
      r2 = sum(a20.add(a21).add(a22.add(a23)));
      r3 = sum(a30.add(a31).add(a32.add(a33)));
    }
    for (; i <= dim - LANES; i += LANES) {
      FloatVector x = FloatVector.fromMemorySegment(F, data, off + 4L * i, LE);
      r0 += sum(FloatVector.fromArray(F, q0, i).mul(x));
      r1 += sum(FloatVector.fromArray(F, q1, i).mul(x));
      r2 += sum(FloatVector.fromArray(F, q2, i).mul(x));
      r3 += sum(FloatVector.fromArray(F, q3, i).mul(x));
    }
    for (; i < dim; i++) {
      float x = data.get(ScalarVectorOps.FLOAT_LE, off + 4L * i);
      r0 = Math.fma(q0[i], x, r0);
      r1 = Math.fma(q1[i], x, r1);
      r2 = Math.fma(q2[i], x, r2);
      r3 = Math.fma(q3[i], x, r3);
    }
    out[0] = r0;
    out[1] = r1;
    out[2] = r2;
    out[3] = r3;
  }
}
