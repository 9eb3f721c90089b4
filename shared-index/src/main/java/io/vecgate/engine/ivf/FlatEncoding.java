package io.vecgate.engine.ivf;

import io.vecgate.engine.index.PartKind;
import io.vecgate.engine.search.Bits;
import io.vecgate.engine.search.TopKCollector;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import io.vecgate.engine.vector.VectorOps;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/** IVF_FLAT: lists hold the raw vectors, scored exactly. */
final class FlatEncoding implements ListEncoding {

  private final VectorOps ops;
  private final Metric metric;
  private final FloatVectors vectors;

  FlatEncoding(VectorOps ops, Metric metric, FloatVectors vectors) {
    this.ops = ops;
    this.metric = metric;
    this.vectors = vectors;
  }

  @Override
  public boolean approximate() {
    return false;
  }

  @Override
  public int bytesPerVector() {
    return vectors.dimension() * Float.BYTES;
  }

  @Override
  public ListScorer scorer(float[] query) {
    return new Scorer(query);
  }

  /** Scores four queries per stored vector with the four-query kernels: each vector is loaded once for all four. */
  @Override
  public void scanMany(int from, int to, ListScorer[] scorers, TopKCollector[] tops, int count, Bits filter) {
    float[] out = new float[4];
    MemorySegment data = vectors.data();
    int dim = vectors.dimension();
    long stride = (long) dim * Float.BYTES;
    boolean l2 = metric == Metric.L2;
    int g = 0;
    for (; g + 4 <= count; g += 4) {
      float[] q0 = ((Scorer) scorers[g]).q, q1 = ((Scorer) scorers[g + 1]).q;
      float[] q2 = ((Scorer) scorers[g + 2]).q, q3 = ((Scorer) scorers[g + 3]).q;
      for (int ord = from; ord < to; ord++) {
        if (filter != null && !filter.get(ord)) {
          continue;
        }
        if (l2) {
          ops.squareDistance4(q0, q1, q2, q3, data, ord * stride, dim, out);
        } else {
          ops.dot4(q0, q1, q2, q3, data, ord * stride, dim, out);
        }
        for (int i = 0; i < 4; i++) {
          // Same expressions as Scorer.scan, so batch and single scores agree.
          float d = l2 ? out[i] : -out[i];
          TopKCollector top = tops[g + i];
          if (d <= top.threshold()) {
            top.offer(ord, d);
          }
        }
      }
    }
    for (; g < count; g++) {
      scorers[g].scan(from, to, tops[g], filter);
    }
  }

  @Override
  public void addParts(Map<PartKind, MemorySegment> parts) {
    // The raw vectors are the VECTORS part, which every index has.
  }

  private final class Scorer extends ListScorer {
    private final float[] q;
    private final MemorySegment data = vectors.data();
    private final int dim = vectors.dimension();
    private final boolean l2 = metric == Metric.L2;

    Scorer(float[] q) {
      this.q = q;
    }

    @Override
    void beginList(int list) {}

    @Override
    void scan(int from, int to, TopKCollector top, Bits filter) {
      // The threshold only changes when a candidate is kept: read it once per kept candidate.
      float threshold = top.threshold();
      long stride = (long) dim * Float.BYTES;
      for (int ord = from; ord < to; ord++) {
        if (filter != null && !filter.get(ord)) {
          continue;
        }
        float d = l2 ? ops.squareDistance(q, data, ord * stride, dim) : -ops.dot(q, data, ord * stride, dim);
        if (d <= threshold) {
          top.offer(ord, d);
          threshold = top.threshold();
        }
      }
    }
  }
}
