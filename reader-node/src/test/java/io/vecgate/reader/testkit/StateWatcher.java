package io.vecgate.reader.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Collects the reader states published on {@code vecgate.readers} and lets a test wait, with a
 * deadline, for the first one matching a condition (no sleeping, no polling).
 */
public final class StateWatcher implements AutoCloseable {

  private record Waiter(Predicate<JsonObject> condition, CompletableFuture<JsonObject> done) {}

  private final MessageConsumer<JsonObject> consumer;
  private final List<JsonObject> received = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();

  public StateWatcher(Vertx vertx, String address) {
    consumer = vertx.eventBus().consumer(address, m -> onState(m.body()));
  }

  private synchronized void onState(JsonObject state) {
    received.add(state);
    waiters.removeIf(w -> w.condition.test(state) && w.done.complete(state));
  }

  /** The first state from now on that matches, within 10 seconds. */
  public JsonObject awaitNext(Predicate<JsonObject> condition) throws Exception {
    return next(condition).get(10, TimeUnit.SECONDS);
  }

  /**
   * The first state from now on that matches, as a future: registered before the caller does what
   * makes the state change, so that a state that lasts only a moment is not missed.
   */
  public CompletableFuture<JsonObject> next(Predicate<JsonObject> condition) {
    CompletableFuture<JsonObject> f = new CompletableFuture<>();
    synchronized (this) {
      waiters.add(new Waiter(condition, f));
    }
    return f;
  }

  /** Every state received so far. */
  public synchronized List<JsonObject> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    consumer.unregister();
  }
}
