package io.vecgate.engine.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The plain-Java kernels: the reference the Vector API kernels are tested against. The loops
 * over stored vectors and codes are written once, as the static {@code ...From} methods that
 * continue given sums over components {@code [from, dim)}: a kernel here runs one from 0 with
 * zero sums, and a Vector API kernel ends with one over its tail, so its tail has exactly this
 * arithmetic.
 */
public final class ScalarVectorOps implements VectorOps {

  static final ValueLayout.OfFloat FLOAT_LE = FloatVectors.FLOAT_LE;

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public float dot(float[] a, int aOff, float[] b, int bOff, int dim) {
    float sum = 0f;
    for (int i = 0; i < dim; i++) {
      sum = Math.fma(a[aOff + i], b[bOff + i], sum);
    }
    return sum;
  }

  @Override
  public float squareDistance(float[] a, int aOff, float[] b, int bOff, int dim) {
    float sum = 0f;
    for (int i = 0; i < dim; i++) {
      float d = a[aOff + i] - b[bOff + i];
      sum = Math.fma(d, d, sum);
    }
    return sum;
  }

  @Override
  public void dot4(float[] x, int xOff, float[] y, int y0, int y1, int y2, int y3, int dim, float[] out) {
    zero(out);
    dot4From(x, xOff, y, y0, y1, y2, y3, 0, dim, out);
  }

  @Override
  public float dot(float[] q, MemorySegment data, long off, int dim) {
    return dotFrom(q, data, off, 0, dim, 0f);
  }

  @Override
  public float squareDistance(float[] q, MemorySegment data, long off, int dim) {
    return squareDistanceFrom(q, data, off, 0, dim, 0f);
  }

  @Override
  public void squareDistance4(float[] q0, float[] q1, float[] q2, float[] q3, MemorySegment data, long off, int dim, float[] out) {
    zero(out);
    squareDistance4From(q0, q1, q2, q3, data, off, 0, dim, out);
  }

  @Override
  public void dot4(float[] q0, float[] q1, float[] q2, float[] q3, MemorySegment data, long off, int dim, float[] out) {
    zero(out);
    dot4From(q0, q1, q2, q3, data, off, 0, dim, out);
  }

  @Override
  public void squareDistance4Rows(float[] q, MemorySegment data, long off0, long off1, long off2, long off3, int dim,
                                  float[] out) {
    store(out, squareDistance(q, data, off0, dim), squareDistance(q, data, off1, dim), squareDistance(q, data, off2, dim), squareDistance(q, data, off3, dim));
  }

  @Override
  public void dot4Rows(float[] q, MemorySegment data, long off0, long off1, long off2, long off3, int dim, float[] out) {
    store(out, dot(q, data, off0, dim), dot(q, data, off1, dim), dot(q, data, off2, dim), dot(q, data, off3, dim));
  }

  @Override
  public float sq8SquareDistance(float[] qMinusMin, float[] scale, MemorySegment codes, long off, int dim) {
    return sq8SquareDistanceFrom(qMinusMin, scale, codes, off, 0, dim, 0f);
  }

  @Override
  public float sq8Dot(float[] qTimesScale, MemorySegment codes, long off, int dim) {
    return sq8DotFrom(qTimesScale, codes, off, 0, dim, 0f);
  }

  @Override
  public void sq8SquareDistance4(float[] q0, float[] q1, float[] q2, float[] q3,
                                 float[] scale, MemorySegment codes, long off, int dim, float[] out) {
    zero(out);
    sq8SquareDistance4From(q0, q1, q2, q3, scale, codes, off, 0, dim, out);
  }

  @Override
  public void sq8Dot4(float[] q0, float[] q1, float[] q2, float[] q3, MemorySegment codes, long off, int dim, float[] out) {
    zero(out);
    sq8Dot4From(q0, q1, q2, q3, codes, off, 0, dim, out);
  }

  /** {@code sum} plus the squared L2 of components {@code [from, dim)}, each added in turn. */
  static float squareDistanceFrom(float[] q, MemorySegment data, long off, int from, int dim, float sum) {
    for (int i = from; i < dim; i++) {
      float d = q[i] - data.get(FLOAT_LE, off + 4L * i);
      sum = Math.fma(d, d, sum);
    }
    return sum;
  }

  /** {@code sum} plus the dot product of components {@code [from, dim)}, each added in turn. */
  static float dotFrom(float[] q, MemorySegment data, long off, int from, int dim, float sum) {
    for (int i = from; i < dim; i++) {
      sum = Math.fma(q[i], data.get(FLOAT_LE, off + 4L * i), sum);
    }
    return sum;
  }

  /** Continues the four sums in {@code out} of {@link #dot4(float[], int, float[], int, int, int, int, int, float[])}. */
  static void dot4From(float[] x, int xOff, float[] y, int y0, int y1, int y2, int y3, int from, int dim, float[] out) {
    float s0 = out[0], s1 = out[1], s2 = out[2], s3 = out[3];
    for (int i = from; i < dim; i++) {
      float v = x[xOff + i];
      s0 = Math.fma(v, y[y0 + i], s0);
      s1 = Math.fma(v, y[y1 + i], s1);
      s2 = Math.fma(v, y[y2 + i], s2);
      s3 = Math.fma(v, y[y3 + i], s3);
    }
    store(out, s0, s1, s2, s3);
  }

  /** Continues the four sums in {@code out} of {@link #squareDistance4}. */
  static void squareDistance4From(float[] q0, float[] q1, float[] q2, float[] q3, MemorySegment data, long off,
                                  int from, int dim, float[] out) {
    float s0 = out[0], s1 = out[1], s2 = out[2], s3 = out[3];
    for (int i = from; i < dim; i++) {
      float x = data.get(FLOAT_LE, off + 4L * i);
      float d0 = q0[i] - x, d1 = q1[i] - x, d2 = q2[i] - x, d3 = q3[i] - x;
      s0 = Math.fma(d0, d0, s0);
      s1 = Math.fma(d1, d1, s1);
      s2 = Math.fma(d2, d2, s2);
      s3 = Math.fma(d3, d3, s3);
    }
    store(out, s0, s1, s2, s3);
  }

  /** Continues the four sums in {@code out} of {@link #dot4(float[], float[], float[], float[], MemorySegment, long, int, float[])}. */
  static void dot4From(float[] q0, float[] q1, float[] q2, float[] q3, MemorySegment data, long off,
                       int from, int dim, float[] out) {
    float s0 = out[0], s1 = out[1], s2 = out[2], s3 = out[3];
    for (int i = from; i < dim; i++) {
      float x = data.get(FLOAT_LE, off + 4L * i);
      s0 = Math.fma(q0[i], x, s0);
      s1 = Math.fma(q1[i], x, s1);
      s2 = Math.fma(q2[i], x, s2);
      s3 = Math.fma(q3[i], x, s3);
    }
    store(out, s0, s1, s2, s3);
  }

  /** {@code sum} plus {@link #sq8SquareDistance}'s terms of components {@code [from, dim)}. */
  static float sq8SquareDistanceFrom(float[] qMinusMin, float[] scale, MemorySegment codes, long off, int from, int dim,
                                     float sum) {
    for (int i = from; i < dim; i++) {
      int c = codes.get(ValueLayout.JAVA_BYTE, off + i) & 0xFF;
      float d = Math.fma(-c, scale[i], qMinusMin[i]);
      sum = Math.fma(d, d, sum);
    }
    return sum;
  }

  /** {@code sum} plus {@link #sq8Dot}'s terms of components {@code [from, dim)}. */
  static float sq8DotFrom(float[] qTimesScale, MemorySegment codes, long off, int from, int dim, float sum) {
    for (int i = from; i < dim; i++) {
      int c = codes.get(ValueLayout.JAVA_BYTE, off + i) & 0xFF;
      sum = Math.fma(qTimesScale[i], c, sum);
    }
    return sum;
  }

  /** Continues the four sums in {@code out} of {@link #sq8SquareDistance4}. */
  static void sq8SquareDistance4From(float[] q0, float[] q1, float[] q2, float[] q3, float[] scale, MemorySegment codes,
                                     long off, int from, int dim, float[] out) {
    float s0 = out[0], s1 = out[1], s2 = out[2], s3 = out[3];
    for (int i = from; i < dim; i++) {
      int c = codes.get(ValueLayout.JAVA_BYTE, off + i) & 0xFF;
      float d0 = Math.fma(-c, scale[i], q0[i]);
      float d1 = Math.fma(-c, scale[i], q1[i]);
      float d2 = Math.fma(-c, scale[i], q2[i]);
      float d3 = Math.fma(-c, scale[i], q3[i]);
      s0 = Math.fma(d0, d0, s0);
      s1 = Math.fma(d1, d1, s1);
      s2 = Math.fma(d2, d2, s2);
      s3 = Math.fma(d3, d3, s3);
    }
    store(out, s0, s1, s2, s3);
  }

  /** Continues the four sums in {@code out} of {@link #sq8Dot4}. */
  static void sq8Dot4From(float[] q0, float[] q1, float[] q2, float[] q3, MemorySegment codes, long off,
                          int from, int dim, float[] out) {
    float s0 = out[0], s1 = out[1], s2 = out[2], s3 = out[3];
    for (int i = from; i < dim; i++) {
      int c = codes.get(ValueLayout.JAVA_BYTE, off + i) & 0xFF;
      s0 = Math.fma(q0[i], c, s0);
      s1 = Math.fma(q1[i], c, s1);
      s2 = Math.fma(q2[i], c, s2);
      s3 = Math.fma(q3[i], c, s3);
    }
    store(out, s0, s1, s2, s3);
  }

  /** Writes four results of a four-at-once kernel. */
  static void store(float[] out, float r0, float r1, float r2, float r3) {
    out[0] = r0;
    out[1] = r1;
    out[2] = r2;
    out[3] = r3;
  }

  private static void zero(float[] out) {
    store(out, 0f, 0f, 0f, 0f);
  }
}
