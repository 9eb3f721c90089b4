package io.vecgate.reader.search;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Runs a plan over its partitions in parallel, then takes the top k of their answers. */
public final class PartitionFanOut {

  private PartitionFanOut() {}

  /**
   * Searches every partition of {@code p}: one task per partition on {@code executor}, so a batch
   * on P partitions uses up to P cores; the first partition runs on this thread, which would
   * otherwise only wait (one hand-off less). Call it on a search thread.
   */
  public static CompletableFuture<List<List<DocHit>>> run(SearchPlan p, Executor executor) {
    if (p.partitions().size() == 1) {
      return CompletableFuture.completedFuture(
          VersionSearcher.topK(p, List.of(VersionSearcher.searchPartition(p, p.partitions().getFirst()))));
    }
    List<CompletableFuture<PartitionHits>> parts = new ArrayList<>();
    for (int i = 1; i < p.partitions().size(); i++) {
      int partition = p.partitions().get(i);
      parts.add(CompletableFuture.supplyAsync(() -> VersionSearcher.searchPartition(p, partition), executor));
    }
    CompletableFuture<PartitionHits> first;
    try {
      first = CompletableFuture.completedFuture(VersionSearcher.searchPartition(p, p.partitions().getFirst()));
    } catch (RuntimeException e) {
      first = CompletableFuture.failedFuture(e);
    }
    parts.addFirst(first);
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .thenApply(x -> VersionSearcher.topK(p, parts.stream().map(CompletableFuture::join).toList()));
  }
}
