package io.vecgate.engine.ivf;

import io.vecgate.engine.kmeans.NearestCentroids;
import io.vecgate.engine.search.TopKCollector;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import io.vecgate.engine.vector.VectorOps;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The lists of an IVF index: their centroids and the ordinal range each holds (list {@code i}
 * holds ordinals {@code [offsets[i], offsets[i+1])}), and the choice of the lists to probe.
 * Both are small (nlist x dim floats), so they are read onto the heap when an index opens.
 */
final class CoarseQuantizer {

  private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final float[] centroids;
  private final int[] offsets;
  private final int nlist;
  private final int dim;
  private final NearestCentroids nearest;

  CoarseQuantizer(VectorOps ops, Metric metric, float[] centroids, int[] offsets, int dim) {
    this.centroids = centroids;
    this.offsets = offsets;
    this.nlist = offsets.length - 1;
    this.dim = dim;
    this.nearest = new NearestCentroids(ops, centroids, nlist, dim, metric == Metric.L2);
  }

  /** Reads and checks the centroid and offset parts of an index of {@code count} vectors. */
  static CoarseQuantizer read(VectorOps ops, Metric metric, MemorySegment centroidPart, MemorySegment offsetPart,
                              int nlist, int dim, int count) {
    long centroidBytes = (long) nlist * dim * Float.BYTES;
    if (centroidPart.byteSize() != centroidBytes) {
      throw new IllegalArgumentException("IVF_CENTROIDS holds " + centroidPart.byteSize() + " bytes, expected "
          + centroidBytes + " for nlist " + nlist + " x dimension " + dim);
    }
    if (offsetPart.byteSize() != (nlist + 1L) * Integer.BYTES) {
      throw new IllegalArgumentException("IVF_OFFSETS holds " + offsetPart.byteSize() + " bytes, expected "
          + (nlist + 1L) * Integer.BYTES + " for nlist " + nlist);
    }
    float[] c = new float[nlist * dim];
    MemorySegment.copy(centroidPart, FloatVectors.FLOAT_LE, 0, c, 0, c.length);
    int[] off = new int[nlist + 1];
    MemorySegment.copy(offsetPart, INT_LE, 0, off, 0, off.length);
    // Corrupt offsets would otherwise surface as wrong hits or out-of-bounds reads at search time.
    if (off[0] != 0 || off[nlist] != count) {
      throw new IllegalArgumentException("IVF_OFFSETS must run from 0 to " + count + ", got " + off[0] + " to " + off[nlist]);
    }
    for (int i = 0; i < nlist; i++) {
      if (off[i + 1] < off[i]) {
        throw new IllegalArgumentException("IVF_OFFSETS decrease at list " + i + ": " + off[i] + " > " + off[i + 1]);
      }
    }
    return new CoarseQuantizer(ops, metric, c, off, dim);
  }

  /** Writes the centroids ({@code nlist x dim} float32 LE) into a new segment from {@code alloc}. */
  MemorySegment centroidPart(SegmentAllocator alloc) {
    MemorySegment s = alloc.allocate((long) centroids.length * Float.BYTES);
    MemorySegment.copy(centroids, 0, s, FloatVectors.FLOAT_LE, 0, centroids.length);
    return s;
  }

  /** Writes the offsets ({@code nlist + 1} int32 LE) into a new segment from {@code alloc}. */
  MemorySegment offsetPart(SegmentAllocator alloc) {
    MemorySegment s = alloc.allocate((long) offsets.length * Integer.BYTES);
    MemorySegment.copy(offsets, 0, s, INT_LE, 0, offsets.length);
    return s;
  }

  int nlist() {
    return nlist;
  }

  int start(int list) {
    return offsets[list];
  }

  int end(int list) {
    return offsets[list + 1];
  }

  /** The centroids, {@code nlist x dim} row-major (do not modify). */
  float[] centroids() {
    return centroids;
  }

  /**
   * The (at most) {@code nprobe} non-empty lists nearest to {@code q}, nearest first. Empty lists
   * are skipped so that every probe scans something.
   *
   * @return the number of lists written to {@code out}
   */
  int probe(float[] q, int nprobe, int[] out) {
    float[] scores = new float[nlist];
    nearest.scoreAll(q, 0, scores);
    return select(scores, nprobe, out);
  }

  /** Queries scored against the centroids together: enough to share each block of centroids, few enough to keep their scores in cache. */
  private static final int PROBE_GROUP = 32;

  /**
   * {@link #probe(float[], int, int[])} of every query of a batch, each answer exactly the one
   * the query gets alone (the same scores, {@link NearestCentroids#scoreAll(float[][], float[][])}),
   * with the centroids read once per group of queries.
   *
   * @return per query, its lists nearest first
   */
  int[][] probe(float[][] queries, int nprobe) {
    int[][] out = new int[queries.length][];
    int[] lists = new int[nprobe];
    for (int from = 0; from < queries.length; from += PROBE_GROUP) {
      float[][] group = java.util.Arrays.copyOfRange(queries, from, Math.min(queries.length, from + PROBE_GROUP));
      float[][] scores = new float[group.length][nlist];
      nearest.scoreAll(group, scores);
      for (int i = 0; i < group.length; i++) {
        out[from + i] = java.util.Arrays.copyOf(lists, select(scores[i], nprobe, lists));
      }
    }
    return out;
  }

  /** The (at most) {@code nprobe} non-empty lists of the best {@code scores}, nearest first, into {@code out}. */
  private int select(float[] scores, int nprobe, int[] out) {
    TopKCollector top = new TopKCollector(nprobe);
    for (int c = 0; c < nlist; c++) {
      if (offsets[c + 1] > offsets[c] && scores[c] <= top.threshold()) {
        top.offer(c, scores[c]);
      }
    }
    int[] lists = top.drain().ordinals();
    System.arraycopy(lists, 0, out, 0, lists.length);
    return lists.length;
  }
}
