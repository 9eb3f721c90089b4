package io.vecgate.reader.search;

import io.vecgate.engine.search.SearchParams;
import java.util.List;

/**
 * A batch of queries on one version, sharing every parameter.
 *
 * @param partitions the partitions to search; empty for all of them
 * @param sum the {@code query.sum} entries, at most one per vector field, each with the same
 *     number of query vectors nq; a hit's score is the weighted sum of its fields' scores (see
 *     {@link VersionSearcher})
 * @param k hits wanted per query, >= 1
 * @param params index knobs (nprobe, ef, quick, exact, rerank factor)
 * @param filters ANDed predicates on scalar fields
 * @param fields the {@code _source} projection: {@code null} for every scalar field, empty for none;
 *     naming a vector field returns its vector
 * @param vectorValue whether each hit carries the stored vector of every vector field (unit length for cosine)
 * @param l2Sqrt L2 scores as plain instead of squared distances
 * @param fieldScores whether each hit carries every entry's own score ({@link DocHit#fieldScores()})
 */
public record SearchQuery(List<Integer> partitions, List<FieldQuery> sum, int k, SearchParams params,
                          List<FilterSpec> filters, List<String> fields, boolean vectorValue, boolean l2Sqrt,
                          boolean fieldScores) {

  /**
   * One entry of {@code query.sum}.
   *
   * @param field the vector field, or {@code null} for the version's first one
   * @param vectors the query vectors, {@code nq * dimension} floats one after the other
   * @param weight the factor of the field's score in the hit's score ({@code boost}), > 0
   */
  public record FieldQuery(String field, float[] vectors, float weight) {

    /** Queries of {@code field} with weight 1. */
    public static FieldQuery of(String field, float[] vectors) {
      return new FieldQuery(field, vectors, 1f);
    }
  }

  public SearchQuery {
    partitions = List.copyOf(partitions);
    sum = List.copyOf(sum);
    filters = List.copyOf(filters);
    fields = fields == null ? null : List.copyOf(fields);
  }

  /** A plain top-k search of the version's first vector field over every partition, returning every scalar field. */
  public static SearchQuery of(float[] vectors, int k) {
    return of(List.of(new FieldQuery(null, vectors, 1f)), k);
  }

  /** A plain top-k search of {@code sum} over every partition, returning every scalar field. */
  public static SearchQuery of(List<FieldQuery> sum, int k) {
    return new SearchQuery(List.of(), sum, k, SearchParams.DEFAULTS, List.of(), null, false, false, false);
  }

  public SearchQuery withPartitions(List<Integer> v) {
    return new SearchQuery(v, sum, k, params, filters, fields, vectorValue, l2Sqrt, fieldScores);
  }

  public SearchQuery withParams(SearchParams v) {
    return new SearchQuery(partitions, sum, k, v, filters, fields, vectorValue, l2Sqrt, fieldScores);
  }

  public SearchQuery withFilters(List<FilterSpec> v) {
    return new SearchQuery(partitions, sum, k, params, v, fields, vectorValue, l2Sqrt, fieldScores);
  }

  public SearchQuery withFields(List<String> v) {
    return new SearchQuery(partitions, sum, k, params, filters, v, vectorValue, l2Sqrt, fieldScores);
  }

  public SearchQuery withVectorValue(boolean v) {
    return new SearchQuery(partitions, sum, k, params, filters, fields, v, l2Sqrt, fieldScores);
  }

  public SearchQuery withL2Sqrt(boolean v) {
    return new SearchQuery(partitions, sum, k, params, filters, fields, vectorValue, v, fieldScores);
  }

  public SearchQuery withFieldScores(boolean v) {
    return new SearchQuery(partitions, sum, k, params, filters, fields, vectorValue, l2Sqrt, v);
  }
}
