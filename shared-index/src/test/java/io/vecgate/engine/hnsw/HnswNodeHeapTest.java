package io.vecgate.engine.hnsw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HnswNodeHeapTest {

  @Test
  void packedKeysOrderByDistanceThenNode() {
    float[] dists = {-3.5f, -0.0f, 0f, 1e-30f, 2f, 2f, Float.MAX_VALUE, -Float.MAX_VALUE};
    int[] nodes = {7, 1, 2, 3, 9, 4, 0, Integer.MAX_VALUE};
    long[] keys = new long[dists.length];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = NodeHeap.pack(dists[i], nodes[i]);
      assertEquals(dists[i], NodeHeap.distance(keys[i]));
      assertEquals(nodes[i], NodeHeap.node(keys[i]));
    }
    long[] sorted = keys.clone();
    Arrays.sort(sorted);
    for (int i = 1; i < sorted.length; i++) {
      float a = NodeHeap.distance(sorted[i - 1]);
      float b = NodeHeap.distance(sorted[i]);
      assertEquals(true, a < b || (a == b && NodeHeap.node(sorted[i - 1]) < NodeHeap.node(sorted[i]))
          || (a == 0 && b == 0), a + " / " + b);
    }
  }

  @Test
  void minAndMaxViewsMatchASortAndReplaceTopKeepsTheOrder() {
    Random rnd = new Random(3);
    long[] keys = new long[1000];
    NodeHeap min = new NodeHeap(4);
    NodeHeap max = new NodeHeap(4);
    for (int i = 0; i < keys.length; i++) {
      keys[i] = NodeHeap.pack((float) rnd.nextGaussian(), i);
      min.push(keys[i]);
      max.pushMax(keys[i]);
    }
    long[] sorted = keys.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertEquals(sorted[i], min.pop());
      assertEquals(sorted[sorted.length - 1 - i], max.popMax());
    }
    // Keep the 10 smallest with a bounded max-heap, as the beam search does.
    NodeHeap best = new NodeHeap(4);
    for (long k : keys) {
      if (best.size() < 10) {
        best.pushMax(k);
      } else if (k < best.peekMax()) {
        best.replaceTopMax(k);
      }
    }
    for (int i = 9; i >= 0; i--) {
      assertEquals(sorted[i], best.popMax());
    }
  }
}
