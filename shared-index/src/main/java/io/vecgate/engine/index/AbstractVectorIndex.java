package io.vecgate.engine.index;

import io.vecgate.engine.search.Bits;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import io.vecgate.engine.vector.VectorOps;
import io.vecgate.engine.vector.VectorizationProvider;

/**
 * What every index shares: validation at the edge, query normalisation for cosine, and the
 * exact scan behind {@link SearchParams#exact()}. Subclasses implement {@link #searchPrepared}.
 */
public abstract class AbstractVectorIndex implements VectorIndex {

  protected static final VectorOps OPS = VectorizationProvider.ops();

  protected final Metric metric;
  protected final FloatVectors vectors;
  protected final IndexParams params;

  protected AbstractVectorIndex(Metric metric, FloatVectors vectors, IndexParams params) {
    this.metric = metric;
    this.vectors = vectors;
    this.params = params;
  }

  @Override
  public Metric metric() {
    return metric;
  }

  @Override
  public int dimension() {
    return vectors.dimension();
  }

  @Override
  public int size() {
    return vectors.count();
  }

  @Override
  public FloatVectors vectors() {
    return vectors;
  }

  @Override
  public IndexParams params() {
    return params;
  }

  @Override
  public final Neighbors[] search(float[][] queries, int[] k, SearchParams p, Bits filter) {
    if (queries.length != k.length) {
      throw new IllegalArgumentException("got " + queries.length + " queries but " + k.length + " k values");
    }
    if (filter != null && filter.length() != size()) {
      throw new IllegalArgumentException("filter covers " + filter.length() + " documents, index has " + size());
    }
    float[][] prepared = new float[queries.length][];
    for (int i = 0; i < queries.length; i++) {
      if (k[i] < 1) {
        throw new IllegalArgumentException("k of query " + i + " must be >= 1, got " + k[i]);
      }
      prepared[i] = prepareQuery(queries[i], i);
    }
    if (size() == 0) {
      Neighbors[] empty = new Neighbors[queries.length];
      java.util.Arrays.fill(empty, Neighbors.EMPTY);
      return empty;
    }
    if (p.exact()) {
      return ExactSearch.search(OPS, metric, vectors, prepared, k, filter);
    }
    return searchPrepared(prepared, k, p, filter);
  }

  /** Searches queries already checked and normalised; {@code k[i] >= 1}, index not empty. */
  protected abstract Neighbors[] searchPrepared(float[][] queries, int[] k, SearchParams p, Bits filter);

  private float[] prepareQuery(float[] q, int i) {
    if (q.length != dimension()) {
      throw new IllegalArgumentException("query " + i + " has dimension " + q.length + ", index has " + dimension());
    }
    for (int j = 0; j < q.length; j++) {
      if (!Float.isFinite(q[j])) {
        throw new IllegalArgumentException("query " + i + " component " + j + " is " + q[j] + "; must be finite");
      }
    }
    if (!metric.normalises()) {
      return q;
    }
    float[] copy = q.clone();
    Metric.normalise(copy, 0, copy.length);
    return copy;
  }
}
