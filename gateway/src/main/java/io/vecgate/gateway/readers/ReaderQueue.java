package io.vecgate.gateway.readers;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bounded queue of one reader: at most {@code limit} requests in flight on it. A request
 * gets an {@link Admission} or nothing (the reader is full); every admission ends in exactly one
 * outcome, so {@code admitted == succeeded + dropped + ignored + outstanding} holds at all times
 * (as the listener of Netflix concurrency-limits' {@code Limiter.acquire}). The outstanding count
 * is also what "least outstanding first" routing compares. Thread-safe, lock-free.
 */
public final class ReaderQueue {

  private final String nodeId;
  private final int limit;
  private final ReaderMetrics metrics;
  private final AtomicInteger outstanding = new AtomicInteger();
  private final LongAdder admitted = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder ignored = new LongAdder();
  private final LongAdder rejected = new LongAdder();

  public ReaderQueue(String nodeId, int limit, ReaderMetrics metrics) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit: expected at least 1, got " + limit);
    }
    this.nodeId = nodeId;
    this.limit = limit;
    this.metrics = metrics;
  }

  /** An admission for one request, or null when {@code limit} requests are in flight already (counted as rejected). */
  public Admission tryAcquire() {
    while (true) {
      int n = outstanding.get();
      if (n >= limit) {
        rejected.increment();
        metrics.rejected(nodeId);
        return null;
      }
      if (outstanding.compareAndSet(n, n + 1)) {
        admitted.increment();
        return new Admission(this);
      }
    }
  }

  /** Called once per admission by {@link Admission}. */
  void complete(Admission.Outcome outcome) {
    outstanding.decrementAndGet();
    switch (outcome) {
      case SUCCESS -> succeeded.increment();
      case DROPPED -> dropped.increment();
      case IGNORED -> ignored.increment();
    }
    metrics.completed(nodeId, outcome);
  }

  public String nodeId() {
    return nodeId;
  }

  public int limit() {
    return limit;
  }

  public int outstanding() {
    return outstanding.get();
  }

  public boolean full() {
    return outstanding.get() >= limit;
  }

  public long admitted() {
    return admitted.sum();
  }

  public long succeeded() {
    return succeeded.sum();
  }

  public long dropped() {
    return dropped.sum();
  }

  public long ignored() {
    return ignored.sum();
  }

  public long rejected() {
    return rejected.sum();
  }
}
