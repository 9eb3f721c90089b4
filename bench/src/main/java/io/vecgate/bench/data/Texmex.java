package io.vecgate.bench.data;

import io.vecgate.engine.vector.FloatVectors;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads and writes the TEXMEX vector files of the SIFT/GIST/Deep benchmarks ({@code .fvecs},
 * {@code .ivecs}): every row is a little-endian int32 dimension {@code d} followed by {@code d}
 * little-endian float32 (fvecs) or int32 (ivecs) values. All rows of a file share {@code d}.
 *
 * <p>Files are memory-mapped and copied row by row, so reading a 1M x 128 base costs one
 * sequential pass and no per-float Java calls.
 */
public final class Texmex {

  private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfFloat FLOAT_LE = FloatVectors.FLOAT_LE;

  private Texmex() {}

  /** Shape of a TEXMEX file: how many rows, of what dimension. */
  public record Shape(int rows, int dimension) {}

  /** Reads the shape of {@code file} from its first header and its size; fails on a truncated file. */
  public static Shape shape(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size == 0) {
        throw new IOException(file + ": empty file");
      }
      if (size < 4) {
        throw new IOException(file + ": shorter than one row header");
      }
      ByteBuffer head = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      while (head.hasRemaining()) {
        if (ch.read(head, head.position()) < 0) {
          throw new IOException(file + ": shorter than one row header");
        }
      }
      int d = head.getInt(0);
      if (d < 1) {
        throw new IOException(file + ": row 0 has dimension " + d + ", must be >= 1");
      }
      long rowBytes = 4L + 4L * d;
      if (size % rowBytes != 0) {
        throw new IOException(file + ": size " + size + " is not a multiple of the row size " + rowBytes
            + " (dimension " + d + "); the file is truncated or not a TEXMEX file");
      }
      long rows = size / rowBytes;
      if (rows > Integer.MAX_VALUE) {
        throw new IOException(file + ": " + rows + " rows, at most " + Integer.MAX_VALUE + " supported");
      }
      return new Shape((int) rows, d);
    }
  }

  /** Reads up to {@code limit} rows of an fvecs file into native memory of {@code arena} ({@code limit <= 0}: all). */
  public static FloatVectors readFvecs(Path file, int limit, Arena arena) throws IOException {
    Shape s = shape(file);
    int n = limit > 0 ? Math.min(limit, s.rows()) : s.rows();
    FloatVectors out = FloatVectors.allocate(arena, n, s.dimension());
    long rowBytes = 4L + 4L * s.dimension();
    long vecBytes = 4L * s.dimension();
    try (Arena mapArena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      MemorySegment src = ch.map(FileChannel.MapMode.READ_ONLY, 0, n * rowBytes, mapArena);
      for (int i = 0; i < n; i++) {
        long off = i * rowBytes;
        checkRowHeader(file, src, off, i, s.dimension());
        MemorySegment.copy(src, off + 4, out.data(), i * vecBytes, vecBytes);
      }
    }
    return out;
  }

  /** Reads up to {@code limit} rows of an fvecs file as arrays ({@code limit <= 0}: all); for query sets. */
  public static float[][] readFvecsArrays(Path file, int limit) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      FloatVectors vectors = readFvecs(file, limit, arena);
      float[][] out = new float[vectors.count()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = vectors.get(i);
      }
      return out;
    }
  }

  /** Reads up to {@code limit} rows of an ivecs file ({@code limit <= 0}: all); for ground truth. */
  public static int[][] readIvecs(Path file, int limit) throws IOException {
    Shape s = shape(file);
    int n = limit > 0 ? Math.min(limit, s.rows()) : s.rows();
    int[][] out = new int[n][s.dimension()];
    long rowBytes = 4L + 4L * s.dimension();
    try (Arena mapArena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      MemorySegment src = ch.map(FileChannel.MapMode.READ_ONLY, 0, n * rowBytes, mapArena);
      for (int i = 0; i < n; i++) {
        checkRowHeader(file, src, i * rowBytes, i, s.dimension());
        MemorySegment.copy(src, INT_LE, i * rowBytes + 4, out[i], 0, s.dimension());
      }
    }
    return out;
  }

  /** Writes all vectors of {@code vectors} as an fvecs file. */
  public static void writeFvecs(Path file, FloatVectors vectors) throws IOException {
    int d = vectors.dimension();
    try (RowWriter w = new RowWriter(file, d)) {
      for (int i = 0; i < vectors.count(); i++) {
        MemorySegment row = w.nextRow();
        MemorySegment.copy(vectors.data(), vectors.offset(i), row, 4, 4L * d);
      }
    }
  }

  /** Writes {@code rows} (all of one length) as an fvecs file. */
  public static void writeFvecs(Path file, float[][] rows) throws IOException {
    int d = sameWidth(rows);
    try (RowWriter w = new RowWriter(file, d)) {
      for (float[] r : rows) {
        MemorySegment.copy(r, 0, w.nextRow(), FLOAT_LE, 4, d);
      }
    }
  }

  /** Writes {@code rows} (all of one length) as an ivecs file. */
  public static void writeIvecs(Path file, int[][] rows) throws IOException {
    int d = sameWidth(rows);
    try (RowWriter w = new RowWriter(file, d)) {
      for (int[] r : rows) {
        MemorySegment.copy(r, 0, w.nextRow(), INT_LE, 4, d);
      }
    }
  }

  /**
   * Hands out row slots of a 1 MiB buffer with the dimension header already set, and writes the
   * buffer when full: one system call per megabyte instead of one per row.
   */
  private static final class RowWriter implements AutoCloseable {
    private final FileChannel ch;
    private final ByteBuffer buf;
    private final MemorySegment seg;
    private final int d;
    private final long rowBytes;
    private final int rowsPerChunk;
    private int rowsInChunk;

    RowWriter(Path file, int d) throws IOException {
      this.ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
      this.d = d;
      this.rowBytes = 4L + 4L * d;
      this.rowsPerChunk = (int) Math.max(1, (1 << 20) / rowBytes);
      this.buf = ByteBuffer.allocateDirect((int) (rowsPerChunk * rowBytes)).order(ByteOrder.LITTLE_ENDIAN);
      this.seg = MemorySegment.ofBuffer(buf);
    }

    /** The slot of the next row: the header is written, the values go at byte offset 4. */
    MemorySegment nextRow() throws IOException {
      if (rowsInChunk == rowsPerChunk) {
        flush();
      }
      MemorySegment row = seg.asSlice(rowsInChunk * rowBytes, rowBytes);
      row.set(INT_LE, 0, d);
      rowsInChunk++;
      return row;
    }

    private void flush() throws IOException {
      buf.position(0).limit((int) (rowsInChunk * rowBytes));
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      rowsInChunk = 0;
    }

    @Override
    public void close() throws IOException {
      try {
        flush();
      } finally {
        ch.close();
      }
    }
  }

  private static void checkRowHeader(Path file, MemorySegment src, long off, int row, int d) throws IOException {
    int got = src.get(INT_LE, off);
    if (got != d) {
      throw new IOException(file + ": row " + row + " has dimension " + got + ", row 0 has " + d);
    }
  }

  private static int sameWidth(Object[] rows) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("no rows to write; a TEXMEX file cannot record the dimension of an empty set");
    }
    int d = java.lang.reflect.Array.getLength(rows[0]);
    for (int i = 1; i < rows.length; i++) {
      int w = java.lang.reflect.Array.getLength(rows[i]);
      if (w != d) {
        throw new IllegalArgumentException("row " + i + " has " + w + " values, row 0 has " + d);
      }
    }
    if (d < 1) {
      throw new IllegalArgumentException("rows must have at least one value");
    }
    return d;
  }
}
