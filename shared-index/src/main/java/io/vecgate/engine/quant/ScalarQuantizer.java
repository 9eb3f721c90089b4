package io.vecgate.engine.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * 8-bit scalar quantisation with one range per dimension: component {@code j} is stored as the
 * byte {@code round((x[j] - min[j]) / scale[j])}, {@code scale[j] = (max[j] - min[j]) / 255},
 * and decodes to {@code min[j] + code * scale[j]}. Values outside the trained range clamp to 0
 * or 255. A dimension with a single value has scale 0 and always code 0.
 */
public final class ScalarQuantizer {

  private final float[] min;
  private final float[] scale;

  public ScalarQuantizer(float[] min, float[] scale) {
    if (min.length != scale.length) {
      throw new IllegalArgumentException("min and scale differ in length: " + min.length + " vs " + scale.length);
    }
    this.min = min;
    this.scale = scale;
  }

  /** Learns the per-dimension range of the {@code n} rows of {@code data} ({@code n x dim}, row-major). */
  public static ScalarQuantizer train(float[] data, int n, int dim) {
    float[] lo = new float[dim];
    float[] hi = new float[dim];
    if (n > 0) {
      System.arraycopy(data, 0, lo, 0, dim);
      System.arraycopy(data, 0, hi, 0, dim);
    }
    for (int i = 1; i < n; i++) {
      for (int j = 0; j < dim; j++) {
        float v = data[i * dim + j];
        lo[j] = Math.min(lo[j], v);
        hi[j] = Math.max(hi[j], v);
      }
    }
    float[] scale = new float[dim];
    for (int j = 0; j < dim; j++) {
      scale[j] = (hi[j] - lo[j]) / 255f;
    }
    return new ScalarQuantizer(lo, scale);
  }

  /** Reads the range written by {@link #writeRange}: {@code min[dim]} then {@code scale[dim]}, float32 LE. */
  public static ScalarQuantizer readRange(MemorySegment range, int dim) {
    if (range.byteSize() != 2L * dim * Float.BYTES) {
      throw new IllegalArgumentException("SQ8 range holds " + range.byteSize() + " bytes, expected " + (2L * dim * Float.BYTES)
          + " for dimension " + dim);
    }
    float[] min = new float[dim];
    float[] scale = new float[dim];
    MemorySegment.copy(range, Layouts.FLOAT_LE, 0, min, 0, dim);
    MemorySegment.copy(range, Layouts.FLOAT_LE, (long) dim * Float.BYTES, scale, 0, dim);
    return new ScalarQuantizer(min, scale);
  }

  /** Writes {@code min[dim]} then {@code scale[dim]} (float32 LE) into {@code range}. */
  public void writeRange(MemorySegment range) {
    MemorySegment.copy(min, 0, range, Layouts.FLOAT_LE, 0, min.length);
    MemorySegment.copy(scale, 0, range, Layouts.FLOAT_LE, (long) min.length * Float.BYTES, scale.length);
  }

  public int dimension() {
    return min.length;
  }

  /** The per-dimension minimum (do not modify). */
  public float[] min() {
    return min;
  }

  /** The per-dimension step between codes (do not modify). */
  public float[] scale() {
    return scale;
  }

  /** Encodes {@code x[xOff..xOff+dim)} minus {@code sub[subOff..]} (or nothing when {@code sub} is null) into {@code codes} at {@code off}. */
  public void encode(float[] x, int xOff, float[] sub, int subOff, MemorySegment codes, long off) {
    for (int j = 0; j < min.length; j++) {
      float v = sub == null ? x[xOff + j] : x[xOff + j] - sub[subOff + j];
      codes.set(ValueLayout.JAVA_BYTE, off + j, (byte) code(v, j));
    }
  }

  /** The code of value {@code v} in dimension {@code j}, in {@code [0, 255]}. */
  public int code(float v, int j) {
    if (scale[j] == 0f) {
      return 0;
    }
    float c = Math.round((v - min[j]) / scale[j]);
    return (int) Math.max(0f, Math.min(255f, c));
  }

  /** The value code {@code c} of dimension {@code j} decodes to. */
  public float decode(int c, int j) {
    return min[j] + c * scale[j];
  }
}
