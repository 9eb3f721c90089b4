package io.vecgate.engine.index;

import io.vecgate.engine.search.SearchParams;

/** The index contract for IVF_PQ. */
class IvfPqIndexTest extends VectorIndexContract {

  @Override
  protected IndexType type() {
    return IndexType.IVF_PQ;
  }

  @Override
  protected IndexParams buildParams(int n) {
    return IndexParams.parse("nlist=32,nprobe=12,m=11");
  }

  @Override
  protected SearchParams searchParams() {
    return SearchParams.DEFAULTS;
  }

  @Override
  protected double minRecall() {
    return 0.9;
  }
}
