package io.vecgate.engine.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** The plain-Java kernels: the reference the Vector API kernels are tested against. */
public final class ScalarVectorOps implements VectorOps {

  static final ValueLayout.OfFloat FLOAT_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

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
    float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
    for (int i = 0; i < dim; i++) {
      float v = x[xOff + i];
      s0 = Math.fma(v, y[y0 + i], s0);
      s1 = Math.fma(v, y[y1 + i], s1);
      s2 = Math.fma(v, y[y2 + i], s2);
      s3 = Math.fma(v, y[y3 + i], s3);
    }
    out[0] = s0;
    out[1] = s1;
    out[2] = s2;
    out[3] = s3;
  }

  @Override
  public float dot(float[] q, MemorySegment data, long off, int dim) {
    return dotTail(q, data, off, 0, dim);
  }

  @Override
  public float squareDistance(float[] q, MemorySegment data, long off, int dim) {
    return squareDistanceTail(q, data, off, 0, dim);
  }

  @Override
  public void squareDistance4(float[] q0, float[] q1, float[] q2, float[] q3, MemorySegment data, long off, int dim, float[] out) {
    float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
    for (int i = 0; i < dim; i++) {
      float x = data.get(FLOAT_LE, off + 4L * i);
      float d0 = q0[i] - x, d1 = q1[i] - x, d2 = q2[i] - x, d3 = q3[i] - x;
      s0 = Math.fma(d0, d0, s0);
      s1 = Math.fma(d1, d1, s1);
      s2 = Math.fma(d2, d2, s2);
      s3 = Math.fma(d3, d3, s3);
    }
    out[0] = s0;
    out[1] = s1;
    out[2] = s2;
    out[3] = s3;
  }

  @Override
  public void dot4(float[] q0, float[] q1, float[] q2, float[] q3, MemorySegment data, long off, int dim, float[] out) {
    float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
    for (int i = 0; i < dim; i++) {
      float x = data.get(FLOAT_LE, off + 4L * i);
      s0 = Math.fma(q0[i], x, s0);
      s1 = Math.fma(q1[i], x, s1);
      s2 = Math.fma(q2[i], x, s2);
      s3 = Math.fma(q3[i], x, s3);
    }
    out[0] = s0;
    out[1] = s1;
    out[2] = s2;
    out[3] = s3;
  }

  @Override
  public void squareDistance4Rows(float[] q, MemorySegment data, long off0, long off1, long off2, long off3, int dim,
                                  float[] out) {
    out[0] = squareDistance(q, data, off0, dim);
    out[1] = squareDistance(q, data, off1, dim);
    out[2] = squareDistance(q, data, off2, dim);
    out[3] = squareDistance(q, data, off3, dim);
  }

  @Override
  public void dot4Rows(float[] q, MemorySegment data, long off0, long off1, long off2, long off3, int dim, float[] out) {
    out[0] = dot(q, data, off0, dim);
    out[1] = dot(q, data, off1, dim);
    out[2] = dot(q, data, off2, dim);
    out[3] = dot(q, data, off3, dim);
  }

  @Override
  public float sq8SquareDistance(float[] qMinusMin, float[] scale, MemorySegment codes, long off, int dim) {
    float sum = 0f;
    for (int i = 0; i < dim; i++) {
      int c = codes.get(ValueLayout.JAVA_BYTE, off + i) & 0xFF;
      float d = Math.fma(-c, scale[i], qMinusMin[i]);
      sum = Math.fma(d, d, sum);
    }
    return sum;
  }

  @Override
  public float sq8Dot(float[] qTimesScale, MemorySegment codes, long off, int dim) {
    float sum = 0f;
    for (int i = 0; i < dim; i++) {
      int c = codes.get(ValueLayout.JAVA_BYTE, off + i) & 0xFF;
      sum = Math.fma(qTimesScale[i], c, sum);
    }
    return sum;
  }

  @Override
  public void sq8SquareDistance4(float[] q0, float[] q1, float[] q2, float[] q3,
                                 float[] scale, MemorySegment codes, long off, int dim, float[] out) {
    float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
    for (int i = 0; i < dim; i++) {
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
    out[0] = s0;
    out[1] = s1;
    out[2] = s2;
    out[3] = s3;
  }

  @Override
  public void sq8Dot4(float[] q0, float[] q1, float[] q2, float[] q3, MemorySegment codes, long off, int dim, float[] out) {
    float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
    for (int i = 0; i < dim; i++) {
      int c = codes.get(ValueLayout.JAVA_BYTE, off + i) & 0xFF;
      s0 = Math.fma(q0[i], c, s0);
      s1 = Math.fma(q1[i], c, s1);
      s2 = Math.fma(q2[i], c, s2);
      s3 = Math.fma(q3[i], c, s3);
    }
    out[0] = s0;
    out[1] = s1;
    out[2] = s2;
    out[3] = s3;
  }

  /** Squared L2 over components {@code [from, dim)}: the whole scalar kernel, and the tail of a vector one. */
  static float squareDistanceTail(float[] q, MemorySegment data, long off, int from, int dim) {
    float sum = 0f;
    for (int i = from; i < dim; i++) {
      float d = q[i] - data.get(FLOAT_LE, off + 4L * i);
      sum = Math.fma(d, d, sum);
    }
    return sum;
  }

  /** Dot product over components {@code [from, dim)}: the whole scalar kernel, and the tail of a vector one. */
  static float dotTail(float[] q, MemorySegment data, long off, int from, int dim) {
    float sum = 0f;
    for (int i = from; i < dim; i++) {
      sum = Math.fma(q[i], data.get(FLOAT_LE, off + 4L * i), sum);
    }
    return sum;
  }
}
