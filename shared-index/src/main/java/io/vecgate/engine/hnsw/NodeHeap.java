package io.vecgate.engine.hnsw;

import java.util.Arrays;

/**
 * A binary min-heap of (distance, node) pairs packed into longs, so that the graph search
 * allocates nothing per candidate. The packed order is distance first, then the smaller node:
 * the same tie-break as {@link io.vecgate.engine.search.TopKCollector}, so results do not depend
 * on visiting order. A max-heap is this heap over {@code ~key} (see {@link #pushMax}).
 */
final class NodeHeap {

  private long[] heap;
  private int size;

  NodeHeap(int initialCapacity) {
    heap = new long[Math.max(16, initialCapacity)];
  }

  /** Packs a distance and a node so that long order is (distance, node) order. */
  static long pack(float dist, int node) {
    return ((long) sortable(dist) << 32) | (node & 0xFFFFFFFFL);
  }

  static int node(long key) {
    return (int) key;
  }

  static float distance(long key) {
    return unsortable((int) (key >> 32));
  }

  /** Float bits turned into an int with the same order as the float (for finite values). */
  private static int sortable(float f) {
    int bits = Float.floatToRawIntBits(f);
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }

  private static float unsortable(int s) {
    return Float.intBitsToFloat(s ^ ((s >> 31) & 0x7fffffff));
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  void clear() {
    size = 0;
  }

  /** The smallest key; heap not empty. */
  long peek() {
    assert size > 0;
    return heap[0];
  }

  void push(long key) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      long p = heap[parent];
      if (p <= key) {
        break;
      }
      heap[i] = p;
      i = parent;
    }
    heap[i] = key;
  }

  /** Removes and returns the smallest key; heap not empty. */
  long pop() {
    assert size > 0;
    long top = heap[0];
    long last = heap[--size];
    siftDown(last);
    return top;
  }

  /** Replaces the smallest key by {@code key}: a pop and a push in one sift. */
  void replaceTop(long key) {
    assert size > 0;
    siftDown(key);
  }

  /** Puts {@code key} at the root and sifts it down to its place among {@code heap[0..size)}. */
  private void siftDown(long key) {
    int i = 0;
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      long c = heap[child];
      int right = child + 1;
      if (right < size && heap[right] < c) {
        child = right;
        c = heap[right];
      }
      if (key <= c) {
        break;
      }
      heap[i] = c;
      i = child;
    }
    heap[i] = key;
  }

  // Max-heap view: the heap holds ~key, which reverses the order exactly.

  void pushMax(long key) {
    push(~key);
  }

  long peekMax() {
    return ~peek();
  }

  long popMax() {
    return ~pop();
  }

  void replaceTopMax(long key) {
    replaceTop(~key);
  }
}
