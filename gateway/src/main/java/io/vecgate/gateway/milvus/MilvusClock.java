package io.vecgate.gateway.milvus;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Milvus-style hybrid timestamps (physical milliseconds shifted left 18 bits, plus a logical counter), growing
 * strictly on this gateway: Insert's and AllocTimestamp's {@code timestamp}, and the keys of {@code auto_id}
 * collections (unique per gateway; a cluster of several gateways writing to one auto_id collection may collide).
 */
final class MilvusClock {

  private static final int LOGICAL_BITS = 18;
  private final AtomicLong last = new AtomicLong();

  long next() {
    long physical = System.currentTimeMillis() << LOGICAL_BITS;
    return last.updateAndGet(prev -> Math.max(prev + 1, physical));
  }
}
