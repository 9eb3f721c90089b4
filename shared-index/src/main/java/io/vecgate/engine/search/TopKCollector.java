package io.vecgate.engine.search;

/**
 * Keeps the {@code k} closest candidates seen so far: a binary max-heap on (distance, ordinal)
 * whose root is the worst kept candidate. Ties go to the smaller ordinal so that results do not
 * depend on visiting order.
 */
public final class TopKCollector {

  private final int k;
  private final int[] ords;
  private final float[] dists;
  private int size;

  public TopKCollector(int k) {
    assert k >= 1 : "k must be >= 1, got " + k;
    this.k = k;
    this.ords = new int[k];
    this.dists = new float[k];
  }

  public int k() {
    return k;
  }

  public int size() {
    return size;
  }

  public boolean isFull() {
    return size == k;
  }

  /** The distance a candidate must beat to enter once the collector is full; +inf before. */
  public float threshold() {
    return size < k ? Float.POSITIVE_INFINITY : dists[0];
  }

  /** Offers a candidate; returns whether it was kept. */
  public boolean offer(int ord, float dist) {
    if (size < k) {
      int i = size++;
      ords[i] = ord;
      dists[i] = dist;
      siftUp(i);
      return true;
    }
    if (!worse(dists[0], ords[0], dist, ord)) {
      return false;
    }
    ords[0] = ord;
    dists[0] = dist;
    siftDown(0);
    return true;
  }

  /** Empties the collector so it can be reused for another query. */
  public void clear() {
    size = 0;
  }

  /** The kept candidates, closest first; leaves the collector empty. */
  public Neighbors drain() {
    int n = size;
    int[] o = new int[n];
    float[] d = new float[n];
    for (int i = n - 1; i >= 0; i--) {
      o[i] = ords[0];
      d[i] = dists[0];
      size--;
      if (size > 0) {
        ords[0] = ords[size];
        dists[0] = dists[size];
        siftDown(0);
      }
    }
    return new Neighbors(o, d);
  }

  /** Whether (d1, o1) ranks after (d2, o2). */
  static boolean worse(float d1, int o1, float d2, int o2) {
    return d1 > d2 || (d1 == d2 && o1 > o2);
  }

  private void siftUp(int i) {
    int o = ords[i];
    float d = dists[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!worse(d, o, dists[parent], ords[parent])) {
        break;
      }
      ords[i] = ords[parent];
      dists[i] = dists[parent];
      i = parent;
    }
    ords[i] = o;
    dists[i] = d;
  }

  private void siftDown(int i) {
    int o = ords[i];
    float d = dists[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && worse(dists[right], ords[right], dists[child], ords[child])) {
        child = right;
      }
      if (!worse(dists[child], ords[child], d, o)) {
        break;
      }
      ords[i] = ords[child];
      dists[i] = dists[child];
      i = child;
    }
    ords[i] = o;
    dists[i] = d;
  }
}
