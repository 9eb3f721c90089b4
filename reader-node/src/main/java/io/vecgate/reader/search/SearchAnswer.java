package io.vecgate.reader.search;

import java.util.List;

/**
 * The answer to one search request.
 *
 * @param hits per query vector of the request, its top k
 * @param engineNanos time the engine batch the request ran in took (every partition, and the top k over them)
 * @param batchQueries query vectors in that engine batch: the request's own nq when it ran alone
 * @param batchRequests requests in that batch: 1 when it ran alone
 * @param batchId a number of the batch, the same for every request of it (unique per runner)
 */
public record SearchAnswer(List<List<DocHit>> hits, long engineNanos, int batchQueries, int batchRequests,
                           long batchId) {

  public SearchAnswer {
    hits = List.copyOf(hits);
  }
}
