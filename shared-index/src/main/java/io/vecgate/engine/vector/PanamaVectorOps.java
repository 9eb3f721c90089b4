package io.vecgate.engine.vector;

import java.lang.foreign.MemorySegment;

/**
 * The kernels on the Vector API, by family: {@link PanamaFloatKernels} (one query against one
 * vector), {@link PanamaFloat4Kernels} (four at once), {@link PanamaSq8Kernels} (SQ8 codes); the
 * lane shape and the fixed-order lane sum they share are {@link PanamaLanes}. Each kernel has
 * its plain-Java twin in {@link ScalarVectorOps}, the reference the tests hold it to. Only
 * {@link VectorizationProvider} creates this class, so that a JVM without
 * {@code jdk.incubator.vector} never loads it or the kernel classes.
 */
final class PanamaVectorOps implements VectorOps {

  @Override
  public String name() {
    return "panama(" + PanamaLanes.F.vectorBitSize() + "-bit)";
  }

  @Override
  public float dot(float[] a, int aOff, float[] b, int bOff, int dim) {
    return PanamaFloatKernels.dot(a, aOff, b, bOff, dim);
  }

  @Override
  public float squareDistance(float[] a, int aOff, float[] b, int bOff, int dim) {
    return PanamaFloatKernels.squareDistance(a, aOff, b, bOff, dim);
  }

  @Override
  public void dot4(float[] x, int xOff, float[] y, int y0, int y1, int y2, int y3, int dim, float[] out) {
    PanamaFloat4Kernels.dot4(x, xOff, y, y0, y1, y2, y3, dim, out);
  }

  @Override
  public float dot(float[] q, MemorySegment data, long off, int dim) {
    return PanamaFloatKernels.dot(q, data, off, dim);
  }

  @Override
  public float squareDistance(float[] q, MemorySegment data, long off, int dim) {
    return PanamaFloatKernels.squareDistance(q, data, off, dim);
  }

  @Override
  public void squareDistance4Rows(float[] q, MemorySegment data, long off0, long off1, long off2, long off3, int dim,
                                  float[] out) {
    PanamaFloat4Kernels.squareDistance4Rows(q, data, off0, off1, off2, off3, dim, out);
  }

  @Override
  public void dot4Rows(float[] q, MemorySegment data, long off0, long off1, long off2, long off3, int dim, float[] out) {
    PanamaFloat4Kernels.dot4Rows(q, data, off0, off1, off2, off3, dim, out);
  }

  @Override
  public void squareDistance4(float[] q0, float[] q1, float[] q2, float[] q3, MemorySegment data, long off, int dim,
                              float[] out) {
    PanamaFloat4Kernels.squareDistance4(q0, q1, q2, q3, data, off, dim, out);
  }

  @Override
  public void dot4(float[] q0, float[] q1, float[] q2, float[] q3, MemorySegment data, long off, int dim, float[] out) {
    PanamaFloat4Kernels.dot4(q0, q1, q2, q3, data, off, dim, out);
  }

  @Override
  public float sq8SquareDistance(float[] qMinusMin, float[] scale, MemorySegment codes, long off, int dim) {
    return PanamaSq8Kernels.sq8SquareDistance(qMinusMin, scale, codes, off, dim);
  }

  @Override
  public float sq8Dot(float[] qTimesScale, MemorySegment codes, long off, int dim) {
    return PanamaSq8Kernels.sq8Dot(qTimesScale, codes, off, dim);
  }

  @Override
  public void sq8SquareDistance4(float[] q0, float[] q1, float[] q2, float[] q3,
                                 float[] scale, MemorySegment codes, long off, int dim, float[] out) {
    PanamaSq8Kernels.sq8SquareDistance4(q0, q1, q2, q3, scale, codes, off, dim, out);
  }

  @Override
  public void sq8Dot4(float[] q0, float[] q1, float[] q2, float[] q3, MemorySegment codes, long off, int dim, float[] out) {
    PanamaSq8Kernels.sq8Dot4(q0, q1, q2, q3, codes, off, dim, out);
  }
}
