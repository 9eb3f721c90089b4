package io.vecgate.writer.store;

import io.vecgate.engine.column.ColumnValues;
import io.vecgate.engine.index.IndexParams;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.index.Indexes;
import io.vecgate.engine.manifest.Manifest;
import io.vecgate.engine.segment.SegmentReader;
import io.vecgate.engine.segment.SegmentWriter;
import io.vecgate.engine.segment.WrittenSegment;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.space.FieldSpec;
import io.vecgate.space.SpaceSchema;
import io.vecgate.store.DataLayout;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Builds and writes one segment file from rows: one index per vector field (all FLAT when the
 * rows are too few for the space's type, see {@link #typeFor}), the rows' {@code seq}s (the
 * segment's ids), their {@code _id}s ({@link DataLayout#ID_COLUMN}) and one column per scalar field
 * (missing values 0 / "").
 */
final class SegmentBuilder {

  private final SpaceSchema schema;
  private final int flatBelow;

  /** @param flatBelow the writer's {@code --flat-below}; the space's {@code index_size} stands in for it when given */
  SegmentBuilder(SpaceSchema schema, int flatBelow) {
    this.schema = schema;
    this.flatBelow = schema.engine().indexSize() > 0 ? schema.engine().indexSize() : flatBelow;
  }

  SpaceSchema schema() {
    return schema;
  }

  /** Fewest documents for which the space's own index type is built. */
  int threshold() {
    return switch (schema.engine().indexType()) {
      case FLAT -> Integer.MAX_VALUE;
      case IVF_FLAT, IVF_SQ8, IVF_PQ -> {
        int nlist = Integer.parseInt(schema.engine().buildParams().getOrDefault("nlist", "1024"));
        yield (int) Math.min(Integer.MAX_VALUE, Math.max(flatBelow, 39L * nlist));
      }
      case HNSW -> flatBelow;
    };
  }

  /** The index type of a segment of {@code docs} documents. */
  IndexType typeFor(int docs) {
    return docs < threshold() ? IndexType.FLAT : schema.engine().indexType();
  }

  /**
   * Writes a segment of {@code rows}: with the space's index when {@code mayIndex} and the rows
   * are enough for it ({@link #typeFor}), FLAT otherwise.
   */
  WrittenSegment write(Path file, Rows rows, boolean mayIndex) throws IOException {
    int n = rows.size();
    IndexType type = mayIndex ? typeFor(n) : IndexType.FLAT;
    IndexParams params = type == IndexType.FLAT ? IndexParams.empty() : schema.engine().indexParams();
    List<FieldSpec> vectorFields = schema.vectorFields();
    // Builds run on several threads, so the vectors must live in a shared arena.
    try (Arena arena = Arena.ofShared()) {
      FloatVectors[] vectors = new FloatVectors[vectorFields.size()];
      int[] offsets = new int[vectorFields.size()];
      for (int f = 0; f < vectors.length; f++) {
        vectors[f] = FloatVectors.allocate(arena, n, vectorFields.get(f).dimension());
        offsets[f] = schema.vectorOffset(vectorFields.get(f));
      }
      float[] v = new float[schema.vectorLength()];
      long[] seqs = new long[n];
      String[] ids = new String[n];
      for (int r = 0; r < n; r++) {
        rows.vector(r, v);
        for (int f = 0; f < vectors.length; f++) {
          MemorySegment.copy(v, offsets[f], vectors[f].data(), FloatVectors.FLOAT_LE, vectors[f].offset(r),
              vectors[f].dimension());
        }
        seqs[r] = rows.seq(r);
        ids[r] = rows.id(r);
      }
      List<SegmentWriter.VectorField> built = new ArrayList<>();
      for (int f = 0; f < vectors.length; f++) {
        built.add(new SegmentWriter.VectorField(vectorFields.get(f).name(),
            Indexes.build(type, schema.engine().metric(), vectors[f], params, arena)));
      }
      List<ColumnValues> columns = new ArrayList<>();
      columns.add(ColumnValues.ofKeywords(DataLayout.ID_COLUMN, ids));
      for (FieldSpec f : schema.scalarFields()) {
        columns.add(column(f, rows));
      }
      return SegmentWriter.write(file, built, seqs, columns);
    }
  }

  /**
   * Writes and maps one FLAT segment per partition of {@code rows} in {@code dir}, named by
   * {@code names} (FLAT: a seal must not wait for an index build; compactions build indexes, off
   * the lane). On a failure, the segments already written are unmapped and deleted and the error is
   * thrown: nothing changes.
   */
  List<SealedSegment> writeFlat(Map<Integer, Rows> rows, Path dir, SegmentNames names) throws IOException {
    List<Path> files = new ArrayList<>();
    List<SealedSegment> sealed = new ArrayList<>();
    try {
      for (Map.Entry<Integer, Rows> e : rows.entrySet()) {
        WrittenSegment w = write(dir.resolve(names.next(e.getKey())), e.getValue(), false);
        files.add(w.path());
        sealed.add(new SealedSegment(e.getKey(), Manifest.SegmentFile.of(w), SegmentReader.open(w.path()),
            new BitSet()));
      }
      return sealed;
    } catch (IOException | RuntimeException | Error e) {
      sealed.forEach(s -> s.reader.close());
      for (Path f : files) {
        try {
          Files.deleteIfExists(f);
        } catch (IOException x) {
          // An unlinked file is deleted at the next publish or open anyway.
          e.addSuppressed(x);
        }
      }
      throw e;
    }
  }

  private static ColumnValues column(FieldSpec f, Rows rows) {
    int n = rows.size();
    return switch (f.type()) {
      case INTEGER -> {
        int[] a = new int[n];
        for (int r = 0; r < n; r++) {
          a[r] = rows.scalar(r, f) instanceof Integer i ? i : 0;
        }
        yield ColumnValues.ofInts(f.name(), a);
      }
      case LONG -> {
        long[] a = new long[n];
        for (int r = 0; r < n; r++) {
          a[r] = rows.scalar(r, f) instanceof Long l ? l : 0L;
        }
        yield ColumnValues.ofLongs(f.name(), a);
      }
      case FLOAT -> {
        float[] a = new float[n];
        for (int r = 0; r < n; r++) {
          a[r] = rows.scalar(r, f) instanceof Float x ? x : 0f;
        }
        yield ColumnValues.ofFloats(f.name(), a);
      }
      case DOUBLE -> {
        double[] a = new double[n];
        for (int r = 0; r < n; r++) {
          a[r] = rows.scalar(r, f) instanceof Double x ? x : 0d;
        }
        yield ColumnValues.ofDoubles(f.name(), a);
      }
      case STRING, KEYWORD -> {
        String[] a = new String[n];
        for (int r = 0; r < n; r++) {
          a[r] = rows.scalar(r, f) instanceof String s ? s : "";
        }
        yield ColumnValues.ofKeywords(f.name(), a);
      }
      case VECTOR -> throw new IllegalArgumentException("not a scalar field: " + f.name());
    };
  }
}
