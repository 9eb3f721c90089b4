package io.vecgate.engine.flat;

import io.vecgate.engine.index.AbstractVectorIndex;
import io.vecgate.engine.index.ExactSearch;
import io.vecgate.engine.index.IndexParams;
import io.vecgate.engine.index.IndexParts;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.index.PartKind;
import io.vecgate.engine.search.Bits;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import java.util.Map;

/** Exact search over all vectors: the reference every other index is measured against. */
public final class FlatIndex extends AbstractVectorIndex {

  public FlatIndex(Metric metric, FloatVectors vectors, IndexParams params) {
    super(metric, vectors, params);
  }

  @Override
  public IndexType type() {
    return IndexType.FLAT;
  }

  @Override
  public IndexParts parts() {
    return new IndexParts(Map.of(PartKind.VECTORS, vectors.data().asSlice(0, vectors.byteSize())));
  }

  @Override
  protected Neighbors[] searchPrepared(float[][] queries, int[] k, SearchParams p, Bits filter) {
    return ExactSearch.search(OPS, metric, vectors, queries, k, filter);
  }
}
