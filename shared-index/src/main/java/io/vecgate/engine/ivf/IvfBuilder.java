package io.vecgate.engine.ivf;

import io.vecgate.engine.index.BuiltIndex;
import io.vecgate.engine.index.IndexParams;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.kmeans.KMeans;
import io.vecgate.engine.kmeans.NearestCentroids;
import io.vecgate.engine.quant.ProductQuantizer;
import io.vecgate.engine.quant.ScalarQuantizer;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import io.vecgate.engine.vector.VectorOps;
import io.vecgate.engine.vector.VectorizationProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Builds IVF indexes: samples {@code train_size} rows, trains the centroids by k-means (squared
 * L2, as faiss; for inner product and cosine the rows are then assigned and probed by inner
 * product), assigns every row to a list, lays the rows out list after list, and trains and
 * writes the list encoding. Deterministic for a seed whatever the number of threads.
 */
public final class IvfBuilder {

  /** Rows per parallel encoding task. */
  private static final int ENCODE_BLOCK = 1024;

  private static final VectorOps OPS = VectorizationProvider.ops();

  private IvfBuilder() {}

  /**
   * Builds an index of {@code type} over {@code vectors} (already normalised for cosine),
   * allocating its parts in {@code arena}.
   *
   * @throws IllegalArgumentException on unknown or out-of-range parameters
   */
  public static BuiltIndex build(IndexType type, Metric metric, FloatVectors vectors, IndexParams given, Arena arena) {
    int n = vectors.count();
    int dim = vectors.dimension();
    IvfParams p = IvfParams.forBuild(type, given, n, dim);
    int[] sampleRows = sampleRows(n, p.trainSize(), p.seed());
    float[] sample = copyRows(vectors, sampleRows);
    float[] centroids = KMeans.train(OPS, sample, sampleRows.length, dim, p.nlist(), KMeans.DEFAULT_ITERATIONS, p.seed());

    int[] listOf = new int[n];
    new NearestCentroids(OPS, centroids, p.nlist(), dim, metric == Metric.L2).assign(vectors, listOf, null);
    int[] offsets = new int[p.nlist() + 1];
    int[] order = listOrder(listOf, p.nlist(), offsets);
    FloatVectors laidOut = FloatVectors.allocate(arena, n, dim);
    for (int ord = 0; ord < n; ord++) {
      MemorySegment.copy(vectors.data(), vectors.offset(order[ord]), laidOut.data(), laidOut.offset(ord), (long) dim * Float.BYTES);
    }
    CoarseQuantizer coarse = new CoarseQuantizer(OPS, metric, centroids, offsets, dim);
    int[] ordinalList = new int[n];
    for (int l = 0; l < p.nlist(); l++) {
      Arrays.fill(ordinalList, offsets[l], offsets[l + 1], l);
    }
    ListEncoding encoding = switch (type) {
      case IVF_FLAT -> new FlatEncoding(OPS, metric, laidOut);
      case IVF_SQ8 -> buildSq8(metric, laidOut, coarse, residuals(sample, sampleRows, listOf, centroids, dim), ordinalList, arena);
      case IVF_PQ -> buildPq(metric, laidOut, coarse, residuals(sample, sampleRows, listOf, centroids, dim), ordinalList, p, arena);
      default -> throw new IllegalArgumentException(type + " is not an IVF index");
    };
    IvfIndex index = new IvfIndex(type, metric, laidOut, p.record(type, given), p, coarse, encoding,
        coarse.centroidPart(arena), coarse.offsetPart(arena));
    return new BuiltIndex(index, order);
  }

  private static ListEncoding buildSq8(Metric metric, FloatVectors v, CoarseQuantizer coarse, float[] residuals,
                                       int[] ordinalList, Arena arena) {
    int dim = v.dimension();
    ScalarQuantizer sq = ScalarQuantizer.train(residuals, residuals.length / dim, dim);
    MemorySegment range = arena.allocate(2L * dim * Float.BYTES);
    sq.writeRange(range);
    MemorySegment codes = arena.allocate(Math.max(1, (long) v.count() * dim)).asSlice(0, (long) v.count() * dim);
    float[] c = coarse.centroids();
    forEachBlock(v, (x, scratch, ord) -> sq.encode(x, 0, c, ordinalList[ord] * dim, codes, (long) ord * dim));
    return new Sq8Encoding(OPS, metric, coarse, sq, range, codes, v.count());
  }

  private static ListEncoding buildPq(Metric metric, FloatVectors v, CoarseQuantizer coarse, float[] residuals,
                                      int[] ordinalList, IvfParams p, Arena arena) {
    int dim = v.dimension();
    int m = p.m();
    ProductQuantizer pq = ProductQuantizer.train(OPS, residuals, residuals.length / dim, dim, m, KMeans.DEFAULT_ITERATIONS, p.seed());
    MemorySegment books = arena.allocate(pq.codebookBytes());
    pq.writeCodebooks(books);
    MemorySegment codes = arena.allocate(Math.max(1, (long) v.count() * m)).asSlice(0, (long) v.count() * m);
    float[] c = coarse.centroids();
    forEachBlock(v, (x, scratch, ord) -> pq.encode(x, 0, c, ordinalList[ord] * dim, scratch, codes, (long) ord * m));
    return new PqEncoding(OPS, metric, coarse, pq, books, codes, v.count(), dim);
  }

  /** Row encoder: gets a heap copy of the vector at {@code ord} and scratch space of {@code dim + 256} floats. */
  private interface RowTask {
    void apply(float[] x, float[] scratch, int ord);
  }

  /** Runs {@code task} on every vector, blocks of rows in parallel; each task writes only its own rows. */
  private static void forEachBlock(FloatVectors v, RowTask task) {
    int n = v.count();
    IntStream.range(0, (n + ENCODE_BLOCK - 1) / ENCODE_BLOCK).parallel().forEach(b -> {
      float[] x = new float[v.dimension()];
      float[] scratch = new float[v.dimension() + ProductQuantizer.KSUB];
      for (int ord = b * ENCODE_BLOCK, end = Math.min(n, ord + ENCODE_BLOCK); ord < end; ord++) {
        v.copyTo(ord, x, 0);
        task.apply(x, scratch, ord);
      }
    });
  }

  /** The sample rows minus the centroid of their list: what the residual quantisers train on. */
  private static float[] residuals(float[] sample, int[] sampleRows, int[] listOf, float[] centroids, int dim) {
    float[] r = new float[sample.length];
    for (int i = 0; i < sampleRows.length; i++) {
      int cOff = listOf[sampleRows[i]] * dim;
      for (int j = 0; j < dim; j++) {
        r[i * dim + j] = sample[i * dim + j] - centroids[cOff + j];
      }
    }
    return r;
  }

  /**
   * Groups rows by list with a counting sort, keeping input order inside a list (so the layout
   * is deterministic); fills {@code offsets} and returns {@code order[ordinal] = row}.
   */
  static int[] listOrder(int[] listOf, int nlist, int[] offsets) {
    for (int l : listOf) {
      offsets[l + 1]++;
    }
    for (int l = 0; l < nlist; l++) {
      offsets[l + 1] += offsets[l];
    }
    int[] next = Arrays.copyOf(offsets, nlist);
    int[] order = new int[listOf.length];
    for (int row = 0; row < listOf.length; row++) {
      order[next[listOf[row]]++] = row;
    }
    return order;
  }

  /** {@code size} distinct rows of {@code [0, n)} in random order (all rows, shuffled, when {@code size >= n}). */
  static int[] sampleRows(int n, int size, long seed) {
    int m = Math.min(n, size);
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    Random rnd = new Random(seed);
    for (int i = 0; i < m; i++) {
      int j = i + rnd.nextInt(n - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    return Arrays.copyOf(all, m);
  }

  private static float[] copyRows(FloatVectors v, int[] rows) {
    int dim = v.dimension();
    float[] out = new float[rows.length * dim];
    for (int i = 0; i < rows.length; i++) {
      v.copyTo(rows[i], out, i * dim);
    }
    return out;
  }
}
