package io.vecgate.engine.hnsw;

/**
 * The nodes one graph search has seen. Clearing bumps a generation stamp instead of wiping the
 * array, so one set per thread serves every search at O(1) reset cost.
 */
final class VisitedSet {

  private int[] stamps;
  private int generation;

  VisitedSet(int capacity) {
    stamps = new int[capacity];
  }

  /** Forgets every node and makes room for ordinals {@code [0, capacity)}. */
  void clear(int capacity) {
    if (stamps.length < capacity) {
      stamps = new int[capacity];
      generation = 0;
    }
    if (++generation == Integer.MAX_VALUE) {
      java.util.Arrays.fill(stamps, 0);
      generation = 1;
    }
  }

  /** Marks {@code node}; returns whether it was not yet visited. */
  boolean visit(int node) {
    if (stamps[node] == generation) {
      return false;
    }
    stamps[node] = generation;
    return true;
  }
}
