package io.vecgate.engine.index;

import io.vecgate.engine.search.Bits;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.search.TopKCollector;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import io.vecgate.engine.vector.VectorOps;

/**
 * Exact search by scanning every vector. For a batch the scan goes block by block, every query
 * against one block before the next, so a block is read from memory once per batch rather than
 * once per query.
 */
public final class ExactSearch {

  /** Vectors per block: about 64 KiB at dimension 128, small enough to stay in L2 cache. */
  private static final int BLOCK_BYTES = 64 * 1024;

  private ExactSearch() {}

  public static Neighbors[] search(VectorOps ops, Metric metric, FloatVectors vectors, float[][] queries, int[] k, Bits filter) {
    int n = vectors.count();
    int dim = vectors.dimension();
    TopKCollector[] top = new TopKCollector[queries.length];
    for (int i = 0; i < queries.length; i++) {
      top[i] = new TopKCollector(k[i]);
    }
    int block = Math.max(1, BLOCK_BYTES / (dim * Float.BYTES));
    var data = vectors.data();
    for (int start = 0; start < n; start += block) {
      int end = Math.min(n, start + block);
      for (int qi = 0; qi < queries.length; qi++) {
        float[] q = queries[qi];
        TopKCollector c = top[qi];
        for (int ord = start; ord < end; ord++) {
          if (filter != null && !filter.get(ord)) {
            continue;
          }
          float d = metric.distance(ops, q, data, vectors.offset(ord), dim);
          if (d <= c.threshold()) {
            c.offer(ord, d);
          }
        }
      }
    }
    Neighbors[] out = new Neighbors[queries.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = top[i].drain();
    }
    return out;
  }
}
