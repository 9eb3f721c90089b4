package io.vecgate.gateway.search;

import io.vecgate.protocol.reader.Filter;
import java.util.List;

/**
 * A parsed {@code _search} request, checked against the space's schema.
 *
 * @param sum the {@code query.sum} entries, one per vector field searched, each with {@code nq}
 *     query vectors
 * @param nq number of query vectors (of every entry)
 * @param size hits wanted per query
 * @param nprobe IVF lists to probe, 0 = the space's default
 * @param ef HNSW candidate list size, 0 = the space's default
 * @param exact {@code is_brute_search}
 * @param quick no exact re-ranking of quantised candidates
 * @param l2Sqrt report L2 distances, not squared ones
 * @param filters ANDed scalar filters
 * @param fields projection (scalar and vector field names); {@code null} = every scalar field
 * @param vectorValue return each hit's vector of every vector field
 * @param sort scalar sort keys applied after retrieval (empty = by score)
 * @param debug {@code online_log_level: debug}: include timings
 * @param clientType {@code leader}, {@code random}, or null (least loaded reader)
 */
public record SearchQuery(List<SumEntry> sum, int nq, int size, int nprobe, int ef, boolean exact, boolean quick,
                          boolean l2Sqrt, List<Filter> filters, List<String> fields, boolean vectorValue,
                          List<SortKey> sort, boolean debug, String clientType) {

  public SearchQuery {
    sum = List.copyOf(sum);
  }

  /**
   * One entry of {@code query.sum}.
   *
   * @param field the vector field
   * @param dimension its dimension
   * @param queries {@code nq * dimension} floats (several query vectors concatenated)
   * @param boost the weight of the field's score in a hit's score
   * @param bounds {@code min_score}/{@code max_score}/{@code symbol} bounds on the field's own score
   */
  public record SumEntry(String field, int dimension, float[] queries, float boost, ScoreBounds bounds) {}

  /** Whether any entry bounds its field's score (hits then carry their fields' own scores). */
  public boolean hasBounds() {
    return sum.stream().anyMatch(e -> e.bounds() != ScoreBounds.NONE);
  }

  /** One sort key: a scalar field (or {@code _score}) and its direction. */
  public record SortKey(String field, boolean descending) {}

  /** Bounds on a score; null ends are open. */
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
