package io.vecgate.engine.ivf;

import io.vecgate.engine.index.PartKind;
import io.vecgate.engine.quant.ScalarQuantizer;
import io.vecgate.engine.search.Bits;
import io.vecgate.engine.search.TopKCollector;
import io.vecgate.engine.vector.Metric;
import io.vecgate.engine.vector.VectorOps;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * IVF_SQ8: lists hold SQ8 codes of the residuals {@code x - centroid(list)}; residuals span a
 * much narrower range than the vectors, so the 256 steps are finer. A query is compared with a
 * code without decoding it: for L2, {@code ||q - c - r||^2} with {@code qMinusMin = q - c - min}
 * prepared once per list; for inner product, {@code q.c + q.min + sum(q[j] scale[j] code[j])}
 * with {@code q.scale} prepared once per query and {@code q.c + q.min} once per list.
 */
final class Sq8Encoding implements ListEncoding {

  private final VectorOps ops;
  private final Metric metric;
  private final CoarseQuantizer coarse;
  private final ScalarQuantizer sq;
  private final MemorySegment range;
  private final MemorySegment codes;
  private final int dim;

  Sq8Encoding(VectorOps ops, Metric metric, CoarseQuantizer coarse, ScalarQuantizer sq, MemorySegment range,
              MemorySegment codes, int count) {
    this.dim = sq.dimension();
    if (codes.byteSize() != (long) count * dim) {
      throw new IllegalArgumentException("SQ8_CODES holds " + codes.byteSize() + " bytes, expected "
          + ((long) count * dim) + " for " + count + " vectors of dimension " + dim);
    }
    this.ops = ops;
    this.metric = metric;
    this.coarse = coarse;
    this.sq = sq;
    this.range = range;
    this.codes = codes;
  }

  @Override
  public boolean approximate() {
    return true;
  }

  @Override
  public int bytesPerVector() {
    return dim;
  }

  @Override
  public ListScorer scorer(float[] query) {
    return metric == Metric.L2 ? new L2Scorer(query) : new DotScorer(query);
  }

  /** Scores four queries per code with the four-query kernels: each code is loaded and widened once for all four. */
  @Override
  public void scanMany(int from, int to, ListScorer[] scorers, TopKCollector[] tops, int count, Bits filter) {
    float[] out = new float[4];
    int g = 0;
    for (; g + 4 <= count; g += 4) {
      if (metric == Metric.L2) {
        scanFourL2(from, to, scorers, tops, g, filter, out);
      } else {
        scanFourDot(from, to, scorers, tops, g, filter, out);
      }
    }
    for (; g < count; g++) {
      scorers[g].scan(from, to, tops[g], filter);
    }
  }

  private void scanFourL2(int from, int to, ListScorer[] scorers, TopKCollector[] tops, int g, Bits filter, float[] out) {
    float[] q0 = ((L2Scorer) scorers[g]).qMinusMin, q1 = ((L2Scorer) scorers[g + 1]).qMinusMin;
    float[] q2 = ((L2Scorer) scorers[g + 2]).qMinusMin, q3 = ((L2Scorer) scorers[g + 3]).qMinusMin;
    float[] scale = sq.scale();
    for (int ord = from; ord < to; ord++) {
      if (filter != null && !filter.get(ord)) {
        continue;
      }
      ops.sq8SquareDistance4(q0, q1, q2, q3, scale, codes, (long) ord * dim, dim, out);
      for (int i = 0; i < 4; i++) {
        TopKCollector top = tops[g + i];
        if (out[i] <= top.threshold()) {
          top.offer(ord, out[i]);
        }
      }
    }
  }

  private void scanFourDot(int from, int to, ListScorer[] scorers, TopKCollector[] tops, int g, Bits filter, float[] out) {
    DotScorer s0 = (DotScorer) scorers[g], s1 = (DotScorer) scorers[g + 1];
    DotScorer s2 = (DotScorer) scorers[g + 2], s3 = (DotScorer) scorers[g + 3];
    float[] bias = {s0.bias, s1.bias, s2.bias, s3.bias};
    for (int ord = from; ord < to; ord++) {
      if (filter != null && !filter.get(ord)) {
        continue;
      }
      ops.sq8Dot4(s0.qTimesScale, s1.qTimesScale, s2.qTimesScale, s3.qTimesScale, codes, (long) ord * dim, dim, out);
      for (int i = 0; i < 4; i++) {
        // Same expression as DotScorer.scan, so batch and single scores agree.
        float d = -(bias[i] + out[i]);
        TopKCollector top = tops[g + i];
        if (d <= top.threshold()) {
          top.offer(ord, d);
        }
      }
    }
  }

  @Override
  public void addParts(Map<PartKind, MemorySegment> parts) {
    parts.put(PartKind.SQ8_RANGE, range);
    parts.put(PartKind.SQ8_CODES, codes);
  }

  private final class L2Scorer extends ListScorer {
    private final float[] q;
    private final float[] qMinusMin = new float[dim];
    private final float[] scale = sq.scale();

    L2Scorer(float[] q) {
      this.q = q;
    }

    @Override
    void beginList(int list) {
      float[] c = coarse.centroids();
      float[] min = sq.min();
      int cOff = list * dim;
      for (int j = 0; j < dim; j++) {
        qMinusMin[j] = q[j] - c[cOff + j] - min[j];
      }
    }

    @Override
    void scan(int from, int to, TopKCollector top, Bits filter) {
      // The threshold only changes when a candidate is kept: read it once per kept candidate.
      float threshold = top.threshold();
      for (int ord = from; ord < to; ord++) {
        if (filter != null && !filter.get(ord)) {
          continue;
        }
        float d = ops.sq8SquareDistance(qMinusMin, scale, codes, (long) ord * dim, dim);
        if (d <= threshold) {
          top.offer(ord, d);
          threshold = top.threshold();
        }
      }
    }
  }

  private final class DotScorer extends ListScorer {
    private final float[] q;
    private final float[] qTimesScale = new float[dim];
    private final float qDotMin;
    private float bias;

    DotScorer(float[] q) {
      this.q = q;
      float[] scale = sq.scale();
      for (int j = 0; j < dim; j++) {
        qTimesScale[j] = q[j] * scale[j];
      }
      qDotMin = ops.dot(q, 0, sq.min(), 0, dim);
    }

    @Override
    void beginList(int list) {
      bias = qDotMin + ops.dot(q, 0, coarse.centroids(), list * dim, dim);
    }

    @Override
    void scan(int from, int to, TopKCollector top, Bits filter) {
      // The threshold only changes when a candidate is kept: read it once per kept candidate.
      float threshold = top.threshold();
      for (int ord = from; ord < to; ord++) {
        if (filter != null && !filter.get(ord)) {
          continue;
        }
        float d = -(bias + ops.sq8Dot(qTimesScale, codes, (long) ord * dim, dim));
        if (d <= threshold) {
          top.offer(ord, d);
          threshold = top.threshold();
        }
      }
    }
  }
}
