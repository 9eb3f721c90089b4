package io.vecgate.engine.index;

import io.vecgate.engine.search.Bits;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import io.vecgate.engine.vector.VectorOps;
import io.vecgate.engine.vector.VectorizationProvider;

/**
 * What every index shares: the asserts on a search's queries and k (checked where the request
 * came in, the reader's search plan), query normalisation for cosine, and the exact scan behind
 * {@link SearchParams#exact()}. Subclasses implement {@link #searchPrepared}.
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
    // The caller checked the request where it came in (the reader's search plan): here only asserts.
    assert queries.length == k.length : "got " + queries.length + " queries but " + k.length + " k values";
    if (filter != null && filter.length() != size()) {
      throw new IllegalArgumentException("filter covers " + filter.length() + " documents, index has " + size());
    }
    float[][] prepared = new float[queries.length][];
    for (int i = 0; i < queries.length; i++) {
      assert k[i] >= 1 : "k of query " + i + " must be >= 1, got " + k[i];
      assert QueryAsserts.valid(queries[i], dimension(), "query " + i);
      prepared[i] = metric.prepareQuery(queries[i]);
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
}
