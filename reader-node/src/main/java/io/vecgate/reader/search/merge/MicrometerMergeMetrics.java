package io.vecgate.reader.search.merge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The merger's meters on the reader's {@code /metrics}, tagged with the reader's node id:
 * {@code vecgate_reader_merge_batch_queries} and {@code vecgate_reader_merge_batch_requests}
 * (summaries: count = engine batches, sum = query vectors or requests), and
 * {@code vecgate_reader_merged_requests_total} (requests that ran in a batch with others).
 */
public final class MicrometerMergeMetrics implements MergeMetrics {

  private final DistributionSummary queries;
  private final DistributionSummary requests;
  private final Counter merged;

  public MicrometerMergeMetrics(MeterRegistry registry, String nodeId) {
    this.queries = DistributionSummary.builder("vecgate.reader.merge.batch.queries")
        .description("Query vectors per engine batch (merged searches count together)")
        .tag("reader", nodeId).register(registry);
    this.requests = DistributionSummary.builder("vecgate.reader.merge.batch.requests")
        .description("Search requests per engine batch (1: not merged)")
        .tag("reader", nodeId).register(registry);
    this.merged = Counter.builder("vecgate.reader.merged.requests")
        .description("Search requests that ran in one engine batch with others")
        .tag("reader", nodeId).register(registry);
  }

  @Override
  public void batch(int requests, int queries) {
    this.queries.record(queries);
    this.requests.record(requests);
    if (requests > 1) {
      merged.increment(requests);
    }
  }
}
