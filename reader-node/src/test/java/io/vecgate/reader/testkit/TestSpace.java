package io.vecgate.reader.testkit;

import io.vecgate.engine.column.ColumnValues;
import io.vecgate.engine.index.BuiltIndex;
import io.vecgate.engine.index.IndexParams;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.index.Indexes;
import io.vecgate.engine.manifest.Manifest;
import io.vecgate.engine.manifest.Manifests;
import io.vecgate.engine.segment.SegmentWriter;
import io.vecgate.engine.segment.WrittenSegment;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import io.vecgate.store.DataLayout;
import io.vecgate.store.VersionState;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Writes fixture spaces the way the writer does (docs/internals.md): segment files under
 * {@code segments/}, and versions as directories of hard links, {@code version.json}, and
 * {@code manifest.json} last.
 *
 * <pre>{@code
 * TestSpace s = new TestSpace(layout, "shop", "items", 16, Metric.L2, IndexType.FLAT, Map.of());
 * s.segment("p0-1.seg", TestSpace.docs(0, 100, 16, 1));
 * s.segment("p1-1.seg", TestSpace.docs(100, 100, 16, 2));
 * s.publish(1, Map.of(0, List.of("p0-1.seg"), 1, List.of("p1-1.seg")), Map.of());
 * }</pre>
 */
public final class TestSpace {

  public static final String VECTOR_FIELD = "embedding";
  /** The scalar fields of every fixture, as (name, type). */
  public static final List<String[]> SCHEMA_SCALARS = List.of(
      new String[] {"price", "int"}, new String[] {"rank", "long"}, new String[] {"weight", "float"},
      new String[] {"ratio", "double"}, new String[] {"color", "keyword"});

  public final DataLayout layout;
  public final String db;
  public final String space;
  public final int dim;
  public final Metric metric;
  public final IndexType type;
  public final Map<String, String> params;
  /** Every vector field: {@link #VECTOR_FIELD} of {@link #dim} first, then the others. */
  public final List<String> vectorFields;
  public final int[] dims;

  private final Map<String, List<Doc>> docsByFile = new HashMap<>();
  private final Map<String, int[]> orderByFile = new HashMap<>();
  private final Map<String, WrittenSegment> written = new HashMap<>();

  public TestSpace(DataLayout layout, String db, String space, int dim, Metric metric, IndexType type,
                   Map<String, String> params) {
    this(layout, db, space, List.of(VECTOR_FIELD), new int[] {dim}, metric, type, params);
  }

  /** A space of several vector fields, {@code names[i]} of dimension {@code dims[i]}, all with {@code type}. */
  public TestSpace(DataLayout layout, String db, String space, List<String> names, int[] dims, Metric metric,
                   IndexType type, Map<String, String> params) {
    this.vectorFields = List.copyOf(names);
    this.dims = dims.clone();
    int dim = dims[0];
    this.layout = layout;
    this.db = db;
    this.space = space;
    this.dim = dim;
    this.metric = metric;
    this.type = type;
    this.params = Map.copyOf(params);
  }

  /** {@code n} documents with seqs from {@code firstSeq}, ids {@code doc-<seq>}, Gaussian vectors. */
  public static List<Doc> docs(long firstSeq, int n, int dim, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Doc> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new Doc(firstSeq + i, "doc-" + (firstSeq + i), randomVector(rnd, dim)));
    }
    return out;
  }

  /** {@code n} documents with a Gaussian vector of each of {@code dims}. */
  public static List<Doc> docs(long firstSeq, int n, int[] dims, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Doc> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<float[]> more = new ArrayList<>();
      float[] first = randomVector(rnd, dims[0]);
      for (int f = 1; f < dims.length; f++) {
        more.add(randomVector(rnd, dims[f]));
      }
      out.add(new Doc(firstSeq + i, "doc-" + (firstSeq + i), first, more));
    }
    return out;
  }

  public static float[] randomVector(SplittableRandom rnd, int dim) {
    float[] v = new float[dim];
    for (int j = 0; j < dim; j++) {
      v[j] = (float) (rnd.nextDouble() * 2 - 1);
    }
    return v;
  }

  /** Builds the index of {@code docs} and writes {@code segments/<file>}. */
  public WrittenSegment segment(String file, List<Doc> docs) throws IOException {
    Path dir = layout.segmentsDir(db, space);
    Files.createDirectories(dir);
    int n = docs.size();
    long[] seqs = new long[n];
    String[] ids = new String[n];
    int[] price = new int[n];
    long[] rank = new long[n];
    float[] weight = new float[n];
    double[] ratio = new double[n];
    String[] color = new String[n];
    for (int i = 0; i < n; i++) {
      Doc d = docs.get(i);
      seqs[i] = d.seq();
      ids[i] = d.id();
      price[i] = d.price();
      rank[i] = d.rank();
      weight[i] = d.weight();
      ratio[i] = d.ratio();
      color[i] = d.color();
    }
    try (Arena arena = Arena.ofShared()) {
      List<SegmentWriter.VectorField> fields = new ArrayList<>();
      for (int f = 0; f < vectorFields.size(); f++) {
        final int field = f;
        float[][] rows = docs.stream().map(d -> d.vector(field)).toArray(float[][]::new);
        FloatVectors vectors = n == 0 ? FloatVectors.allocate(arena, 0, dims[f]) : FloatVectors.copyOf(rows, arena);
        fields.add(new SegmentWriter.VectorField(vectorFields.get(f),
            Indexes.build(type, metric, vectors, new IndexParams(params), arena)));
      }
      BuiltIndex built = fields.getFirst().built();
      WrittenSegment w = SegmentWriter.write(dir.resolve(file), fields, seqs, List.of(
          ColumnValues.ofKeywords(DataLayout.ID_COLUMN, ids),
          ColumnValues.ofInts("price", price), ColumnValues.ofLongs("rank", rank),
          ColumnValues.ofFloats("weight", weight), ColumnValues.ofDoubles("ratio", ratio),
          ColumnValues.ofKeywords("color", color)));
      docsByFile.put(file, List.copyOf(docs));
      orderByFile.put(file, built.order().clone());
      written.put(file, w);
      return w;
    }
  }

  /** The ordinal of document {@code id} in {@code file} (its position after the index's reordering). */
  public int ordinalOf(String file, String id) {
    List<Doc> docs = docsByFile.get(file);
    int[] order = orderByFile.get(file);
    for (int ord = 0; ord < order.length; ord++) {
      if (docs.get(order[ord]).id().equals(id)) {
        return ord;
      }
    }
    throw new IllegalArgumentException(id + " is not in " + file);
  }

  /** The documents written to {@code file}. */
  public List<Doc> docsOf(String file) {
    return docsByFile.get(file);
  }

  /**
   * Publishes a version: hard links to the segment files of each partition (partitions
   * {@code 0..P-1} must all be keys), {@code version.json} with {@code deletedIds} (file to the
   * {@code _id}s deleted in it), then the manifest.
   */
  public Path publish(long version, Map<Integer, List<String>> partitions, Map<String, List<String>> deletedIds)
      throws IOException {
    Path dir = layout.versionDir(db, space, version);
    Files.createDirectories(dir);
    List<Manifest.Partition> parts = new ArrayList<>();
    for (Map.Entry<Integer, List<String>> p : new TreeMap<>(partitions).entrySet()) {
      List<Manifest.SegmentFile> files = new ArrayList<>();
      for (String file : p.getValue()) {
        Path link = dir.resolve(file);
        if (!Files.exists(link)) {
          Files.createLink(link, layout.segmentsDir(db, space).resolve(file));
        }
        files.add(Manifest.SegmentFile.of(written.get(file)));
      }
      parts.add(new Manifest.Partition(p.getKey(), files));
    }
    Map<String, int[]> deleted = new HashMap<>();
    deletedIds.forEach((file, ids) -> deleted.put(file,
        ids.stream().mapToInt(id -> ordinalOf(file, id)).sorted().toArray()));
    new VersionState(0, 0, deleted).write(dir);
    List<Manifest.Field> fields = new ArrayList<>();
    for (int f = 0; f < vectorFields.size(); f++) {
      fields.add(new Manifest.Field(vectorFields.get(f), "vector", dims[f], true));
    }
    for (String[] f : SCHEMA_SCALARS) {
      fields.add(new Manifest.Field(f[0], f[1], 0, true));
    }
    Manifests.write(dir, Manifest.of(space, version, new Manifest.Schema(fields), metric, type, params, parts));
    return dir;
  }
}
