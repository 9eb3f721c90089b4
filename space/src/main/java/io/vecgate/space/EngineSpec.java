package io.vecgate.space;

import io.vecgate.engine.index.IndexParams;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.vector.Metric;
import java.util.Map;

/**
 * The index of a space: Vearch's {@code engine} block turned into engine terms.
 *
 * @param indexType the index family
 * @param metric the vector metric
 * @param buildParams engine build parameters ({@code nlist}, {@code m}, {@code M}, {@code efConstruction})
 * @param nprobe default lists probed per search (IVF), 0 for the engine's default
 * @param efSearch default HNSW candidate list size, 0 for the engine's default
 * @param indexSize Vearch's {@code index_size}: segments with fewer documents are built FLAT (it
 *     stands in for the writer's {@code --flat-below} for this space); 0 when not given
 */
public record EngineSpec(IndexType indexType, Metric metric, Map<String, String> buildParams, int nprobe, int efSearch,
                         int indexSize) {

  /** Without an {@code index_size}. */
  public EngineSpec(IndexType indexType, Metric metric, Map<String, String> buildParams, int nprobe, int efSearch) {
    this(indexType, metric, buildParams, nprobe, efSearch, 0);
  }

  public EngineSpec {
    buildParams = Map.copyOf(buildParams);
  }

  public IndexParams indexParams() {
    return new IndexParams(buildParams);
  }

  /** Vearch's name of the metric. */
  public String metricName() {
    return switch (metric) {
      case L2 -> "L2";
      case INNER_PRODUCT -> "InnerProduct";
      case COSINE -> "Cosine";
    };
  }

  /** Vearch's name of the index type. */
  public String retrievalType() {
    return switch (indexType) {
      case FLAT -> "FLAT";
      case IVF_FLAT -> "IVFFLAT";
      case IVF_SQ8 -> "IVFSQ8";
      case IVF_PQ -> "IVFPQ";
      case HNSW -> "HNSW";
    };
  }
}
