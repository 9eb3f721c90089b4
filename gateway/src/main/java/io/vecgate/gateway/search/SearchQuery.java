package io.vecgate.gateway.search;

import io.vecgate.common.rpc.Filter;
import java.util.List;

/**
 * A parsed {@code _search} request, checked against the space's schema.
 *
 * @param field the vector field searched
 * @param queries {@code nq * dimension} floats (several query vectors concatenated)
 * @param nq number of query vectors
 * @param size hits wanted per query
 * @param nprobe IVF lists to probe, 0 = the space's default
 * @param ef HNSW candidate list size, 0 = the space's default
 * @param exact {@code is_brute_search}
 * @param quick no exact re-ranking of quantised candidates
 * @param l2Sqrt report L2 distances, not squared ones
 * @param filters ANDed scalar filters
 * @param fields projection; {@code null} = every scalar field
 * @param vectorValue return each hit's vector
 * @param sort scalar sort keys applied after retrieval (empty = by score)
 * @param scoreBounds {@code min_score}/{@code max_score}/{@code symbol} bounds on the score
 * @param boost factor applied to scores
 * @param debug {@code online_log_level: debug}: include timings
 * @param clientType {@code leader}, {@code random}, or null (least loaded reader)
 */
public record SearchQuery(String field, float[] queries, int nq, int size, int nprobe, int ef, boolean exact,
                          boolean quick, boolean l2Sqrt, List<Filter> filters, List<String> fields, boolean vectorValue,
                          List<SortKey> sort, ScoreBounds scoreBounds, float boost, boolean debug, String clientType) {

  /** One sort key: a scalar field (or {@code _score}) and its direction. */
  public record SortKey(String field, boolean descending) {}

  /** Bounds on a hit's score; null ends are open. */
  public record ScoreBounds(Double min, boolean minInclusive, Double max, boolean maxInclusive) {
    public static final ScoreBounds NONE = new ScoreBounds(null, true, null, true);

    public boolean test(double score) {
      if (min != null && (minInclusive ? score < min : score <= min)) {
        return false;
      }
      return max == null || (maxInclusive ? score <= max : score < max);
    }
  }
}
