package io.vecgate.engine.vector;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@code count} vectors of {@code dimension} floats, stored back to back, little-endian, in one
 * memory segment (a native buffer while building, a mapped file section when serving).
 */
public final class FloatVectors {

  public static final ValueLayout.OfFloat FLOAT_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final MemorySegment data;
  private final int count;
  private final int dimension;
  private final long stride;

  public FloatVectors(MemorySegment data, int count, int dimension) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
    }
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    long need = (long) count * dimension * Float.BYTES;
    if (data.byteSize() < need) {
      throw new IllegalArgumentException("vector data holds " + data.byteSize() + " bytes, "
          + count + " x " + dimension + " floats need " + need);
    }
    this.data = data;
    this.count = count;
    this.dimension = dimension;
    this.stride = (long) dimension * Float.BYTES;
  }

  /** Copies {@code rows} (each of the same length) into a new native segment of {@code arena}. */
  public static FloatVectors copyOf(float[][] rows, Arena arena) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("no vectors given; use allocate(arena, 0, dimension) for an empty set");
    }
    int dim = rows[0].length;
    FloatVectors v = allocate(arena, rows.length, dim);
    for (int i = 0; i < rows.length; i++) {
      v.set(i, rows[i]);
    }
    return v;
  }

  /** A zeroed set of {@code count} vectors in native memory of {@code arena}. */
  public static FloatVectors allocate(Arena arena, int count, int dimension) {
    long bytes = Math.max(1, (long) count * dimension * Float.BYTES);
    return new FloatVectors(arena.allocate(bytes, 64), count, dimension);
  }

  public MemorySegment data() {
    return data;
  }

  public int count() {
    return count;
  }

  public int dimension() {
    return dimension;
  }

  /** Byte offset of vector {@code ord} in {@link #data()}. */
  public long offset(int ord) {
    return ord * stride;
  }

  /** Size in bytes of all vectors. */
  public long byteSize() {
    return count * stride;
  }

  /** A copy of vector {@code ord}. */
  public float[] get(int ord) {
    float[] v = new float[dimension];
    copyTo(ord, v, 0);
    return v;
  }

  /** Copies vector {@code ord} into {@code dst[dstOff..]}. */
  public void copyTo(int ord, float[] dst, int dstOff) {
    MemorySegment.copy(data, FLOAT_LE, offset(ord), dst, dstOff, dimension);
  }

  /** Overwrites vector {@code ord} (only on sets being built). */
  public void set(int ord, float[] v) {
    if (v.length != dimension) {
      throw new IllegalArgumentException("vector " + ord + " has dimension " + v.length + ", expected " + dimension);
    }
    MemorySegment.copy(v, 0, data, FLOAT_LE, offset(ord), dimension);
  }
}
