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
