package io.vecgate.reader.search;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/** Runs every request alone, as its own engine batch ({@code --query-merge off}). */
public final class DirectRunner implements SearchRunner {

  private final Executor executor;
  private final AtomicLong batches = new AtomicLong();

  /** @param executor the search threads */
  public DirectRunner(Executor executor) {
    this.executor = executor;
  }

  @Override
  public CompletableFuture<SearchAnswer> search(SearchPlan p) {
    long id = batches.incrementAndGet();
    return CompletableFuture.supplyAsync(() -> {
      long start = System.nanoTime();
      return PartitionFanOut.run(p, executor).thenApply(hits ->
          new SearchAnswer(hits, System.nanoTime() - start, p.nq(), 1, id));
    }, executor).thenCompose(Function.identity());
  }
}
