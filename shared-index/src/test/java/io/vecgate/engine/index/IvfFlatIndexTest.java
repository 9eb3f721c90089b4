package io.vecgate.engine.index;

import io.vecgate.engine.search.SearchParams;

/** The index contract for IVF_FLAT. */
class IvfFlatIndexTest extends VectorIndexContract {

  @Override
  protected IndexType type() {
    return IndexType.IVF_FLAT;
  }

  @Override
  protected IndexParams buildParams(int n) {
    return IndexParams.parse("nlist=32,nprobe=12");
  }

  @Override
  protected SearchParams searchParams() {
    return SearchParams.DEFAULTS;
  }

  @Override
  protected double minRecall() {
    return 0.95;
  }
}
