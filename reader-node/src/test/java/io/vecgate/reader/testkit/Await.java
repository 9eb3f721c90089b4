package io.vecgate.reader.testkit;

import io.vertx.core.Future;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Blocking waits with a deadline, for test threads (never an event loop). */
public final class Await {

  private Await() {}

  public static <T> T result(Future<T> f) throws Exception {
    return result(f.toCompletionStage());
  }

  public static <T> T result(CompletionStage<T> f) throws Exception {
    return f.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The failure of {@code f}, which must fail within the deadline. */
  public static Throwable failure(Future<?> f) throws Exception {
    try {
      result(f);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure, got a result");
  }
}
