package io.vecgate.reader.search;

import io.vecgate.engine.search.SearchParams;
import java.util.List;

/**
 * A batch of queries on one version, sharing every parameter.
 *
 * @param partitions the partitions to search; empty for all of them
 * @param vectors the query vectors, {@code nq * dimension} floats one after the other
 * @param k hits wanted per query, >= 1
 * @param params index knobs (nprobe, ef, quick, exact, rerank factor)
 * @param filters ANDed predicates on scalar fields
 * @param fields the {@code _source} projection: {@code null} for every scalar field, empty for none;
 *     naming the vector field is the same as {@code vectorValue}
 * @param vectorValue whether each hit carries its stored vector (unit length for cosine)
 * @param l2Sqrt L2 scores as plain instead of squared distances
 */
public record SearchQuery(List<Integer> partitions, float[] vectors, int k, SearchParams params,
                          List<FilterSpec> filters, List<String> fields, boolean vectorValue, boolean l2Sqrt) {

  public SearchQuery {
    partitions = List.copyOf(partitions);
    filters = List.copyOf(filters);
    fields = fields == null ? null : List.copyOf(fields);
  }

  /** A plain top-k search over every partition, returning every scalar field. */
  public static SearchQuery of(float[] vectors, int k) {
    return new SearchQuery(List.of(), vectors, k, SearchParams.DEFAULTS, List.of(), null, false, false);
  }

  public SearchQuery withPartitions(List<Integer> v) {
    return new SearchQuery(v, vectors, k, params, filters, fields, vectorValue, l2Sqrt);
  }

  public SearchQuery withParams(SearchParams v) {
    return new SearchQuery(partitions, vectors, k, v, filters, fields, vectorValue, l2Sqrt);
  }

  public SearchQuery withFilters(List<FilterSpec> v) {
    return new SearchQuery(partitions, vectors, k, params, v, fields, vectorValue, l2Sqrt);
  }

  public SearchQuery withFields(List<String> v) {
    return new SearchQuery(partitions, vectors, k, params, filters, v, vectorValue, l2Sqrt);
  }

  public SearchQuery withVectorValue(boolean v) {
    return new SearchQuery(partitions, vectors, k, params, filters, fields, v, l2Sqrt);
  }

  public SearchQuery withL2Sqrt(boolean v) {
    return new SearchQuery(partitions, vectors, k, params, filters, fields, vectorValue, v);
  }
}
