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
  public float dot(float[] q, MemorySegment data, long off, int dim) {
    float sum = 0f;
    for (int i = 0; i < dim; i++) {
      sum = Math.fma(q[i], data.get(FLOAT_LE, off + 4L * i), sum);
    }
    return sum;
  }

  @Override
  public float squareDistance(float[] q, MemorySegment data, long off, int dim) {
    float sum = 0f;
    for (int i = 0; i < dim; i++) {
      float d = q[i] - data.get(FLOAT_LE, off + 4L * i);
      sum = Math.fma(d, d, sum);
    }
    return sum;
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
}
