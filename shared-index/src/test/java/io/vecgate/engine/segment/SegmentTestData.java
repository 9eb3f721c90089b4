package io.vecgate.engine.segment;

import io.vecgate.engine.column.ColumnValues;
import io.vecgate.engine.flat.FlatIndex;
import io.vecgate.engine.index.BuiltIndex;
import io.vecgate.engine.index.IndexParams;
import io.vecgate.engine.index.IndexParts;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.index.Indexes;
import io.vecgate.engine.index.PartKind;
import io.vecgate.engine.index.VectorIndex;
import io.vecgate.engine.search.Bits;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;

/** Random segment inputs and raw-byte helpers for the segment tests. */
final class SegmentTestData {

  private static final String[] WORDS = {"", "red", "green", "blue", "é", "中文", "a,b", "x y z"};

  /** Inputs of one segment, by input row, and the build order. */
  record Input(float[][] vectors, long[] ids, List<ColumnValues> columns, BuiltIndex built) {}

  private SegmentTestData() {}

  /**
   * A FLAT index over {@code n} random rows stored in a shuffled order, so ordinal != input row:
   * ordinal {@code o} holds row {@code order[o]}, as an IVF index would.
   */
  static Input random(Random rnd, int n, int dim, Metric metric, Arena arena) {
    float[][] vectors = new float[n][dim];
    for (float[] v : vectors) {
      for (int j = 0; j < dim; j++) {
        v[j] = (float) rnd.nextGaussian();
      }
    }
    int[] order = BuiltIndex.identity(n);
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    long[] ids = new long[n];
    int[] ints = new int[n];
    long[] longs = new long[n];
    float[] floats = new float[n];
    double[] doubles = new double[n];
    String[] words = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = rnd.nextLong();
      ints[i] = rnd.nextInt(20) - 10;
      longs[i] = rnd.nextBoolean() ? rnd.nextLong() : rnd.nextInt(50);
      floats[i] = rnd.nextInt(30) == 0 ? Float.NaN : (float) rnd.nextGaussian() * 10;
      doubles[i] = rnd.nextInt(30) == 0 ? Double.NaN : rnd.nextGaussian() * 10;
      words[i] = rnd.nextInt(20) == 0 ? null : WORDS[rnd.nextInt(WORDS.length)];
    }
    List<ColumnValues> columns = List.of(
        ColumnValues.ofInts("year", ints), ColumnValues.ofLongs("views", longs),
        ColumnValues.ofFloats("price", floats), ColumnValues.ofDoubles("rating", doubles),
        ColumnValues.ofKeywords("color", words));
    return new Input(vectors, ids, columns, flat(vectors, order, metric, arena));
  }

  /** A FLAT index whose ordinal {@code o} holds {@code vectors[order[o]]}. */
  static BuiltIndex flat(float[][] vectors, int[] order, Metric metric, Arena arena) {
    int dim = vectors.length == 0 ? 1 : vectors[0].length;
    FloatVectors byOrdinal = FloatVectors.allocate(arena, vectors.length, dim);
    for (int o = 0; o < order.length; o++) {
      byOrdinal.set(o, vectors[order[o]]);
    }
    FloatVectors stored = metric.normalises() ? Indexes.normalisedCopy(byOrdinal, arena) : byOrdinal;
    return new BuiltIndex(new FlatIndex(metric, stored, IndexParams.empty()), order);
  }

  /** An index that reports another type and/or stores extra parts: a stand-in for IVF/HNSW. */
  record Synthetic(VectorIndex delegate, IndexType type, Map<PartKind, MemorySegment> extra) implements VectorIndex {
    public Metric metric() {
      return delegate.metric();
    }

    public int dimension() {
      return delegate.dimension();
    }

    public int size() {
      return delegate.size();
    }

    public FloatVectors vectors() {
      return delegate.vectors();
    }

    public IndexParams params() {
      return delegate.params();
    }

    public IndexParts parts() {
      Map<PartKind, MemorySegment> all = new EnumMap<>(PartKind.class);
      all.putAll(delegate.parts().asMap());
      all.putAll(extra);
      return new IndexParts(all);
    }

    public Neighbors[] search(float[][] queries, int[] k, SearchParams p, Bits filter) {
      return delegate.search(queries, k, p, filter);
    }
  }

  /** The section table of a file: {kind, offset, length} per entry. */
  static List<long[]> table(byte[] file) {
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int count = b.getInt(20);
    List<long[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int at = 64 + 32 * i;
      out.add(new long[] {b.getInt(at), b.getLong(at + 8), b.getLong(at + 16)});
    }
    return out;
  }

  /** Recomputes the table and header checksums after a deliberate edit, so only the edit is wrong. */
  static void fixChecksums(byte[] file) {
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int count = b.getInt(20);
    CRC32C table = new CRC32C();
    table.update(file, 64, 32 * count);
    b.putInt(40, (int) table.getValue());
    CRC32C header = new CRC32C();
    header.update(file, 0, 60);
    b.putInt(60, (int) header.getValue());
  }

  static Path writeBytes(Path dir, String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }
}
