package io.vecgate.engine.ivf;

import io.vecgate.engine.index.PartKind;
import io.vecgate.engine.quant.ProductQuantizer;
import io.vecgate.engine.search.Bits;
import io.vecgate.engine.search.TopKCollector;
import io.vecgate.engine.vector.Metric;
import io.vecgate.engine.vector.VectorOps;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;

/**
 * IVF_PQ: lists hold PQ codes of the residuals {@code x - centroid(list)}. A code is scored by
 * summing {@code m} entries of a look-up table: for L2 the table holds sub-distances of the
 * query's residual to every codeword, rebuilt per list; for inner product it holds sub-products
 * of the query itself, built once per query, and each list adds {@code q . centroid}.
 */
final class PqEncoding implements ListEncoding {

  private static final int KSUB = ProductQuantizer.KSUB;

  private final Metric metric;
  private final VectorOps ops;
  private final CoarseQuantizer coarse;
  private final ProductQuantizer pq;
  private final MemorySegment codebooks;
  private final MemorySegment codes;
  private final int dim;
  private final int m;

  PqEncoding(VectorOps ops, Metric metric, CoarseQuantizer coarse, ProductQuantizer pq, MemorySegment codebooks,
             MemorySegment codes, int count, int dim) {
    this.m = pq.m();
    if (codes.byteSize() != (long) count * m) {
      throw new IllegalArgumentException("PQ_CODES holds " + codes.byteSize() + " bytes, expected "
          + ((long) count * m) + " for " + count + " vectors of " + m + " sub-quantisers");
    }
    this.ops = ops;
    this.metric = metric;
    this.coarse = coarse;
    this.pq = pq;
    this.codebooks = codebooks;
    this.codes = codes;
    this.dim = dim;
  }

  @Override
  public boolean approximate() {
    return true;
  }

  @Override
  public int bytesPerVector() {
    return m;
  }

  @Override
  public ListScorer scorer(float[] query) {
    return new Scorer(query);
  }

  @Override
  public void addParts(Map<PartKind, MemorySegment> parts) {
    parts.put(PartKind.PQ_CODEBOOKS, codebooks);
    parts.put(PartKind.PQ_CODES, codes);
  }

  private final class Scorer extends ListScorer {
    private final float[] q;
    private final float[] lut = new float[m * KSUB];
    private final boolean l2 = metric == Metric.L2;
    private final float[] residual;
    /** L2: 0. Inner product: {@code -q.c}, so that the distance is {@code bias - sum(lut)}. */
    private float bias;

    Scorer(float[] q) {
      this.q = q;
      this.residual = l2 ? new float[dim] : null;
      if (!l2) {
        pq.dotTable(q, lut);
      }
    }

    @Override
    void beginList(int list) {
      float[] c = coarse.centroids();
      int cOff = list * dim;
      if (l2) {
        for (int j = 0; j < dim; j++) {
          residual[j] = q[j] - c[cOff + j];
        }
        pq.l2Table(residual, lut);
      } else {
        bias = -ops.dot(q, 0, c, cOff, dim);
      }
    }

    @Override
    void scan(int from, int to, TopKCollector top, Bits filter) {
      // The threshold only changes when a candidate is kept: read it once per kept candidate.
      float threshold = top.threshold();
      // For L2 the table holds distances (added); for IP it holds products (subtracted).
      float sign = l2 ? 1f : -1f;
      for (int ord = from; ord < to; ord++) {
        if (filter != null && !filter.get(ord)) {
          continue;
        }
        long off = (long) ord * m;
        float sum = 0f;
        for (int s = 0; s < m; s++) {
          sum += lut[s * KSUB + (codes.get(ValueLayout.JAVA_BYTE, off + s) & 0xFF)];
        }
        float d = bias + sign * sum;
        if (d <= threshold) {
          top.offer(ord, d);
          threshold = top.threshold();
        }
      }
    }
  }
}
