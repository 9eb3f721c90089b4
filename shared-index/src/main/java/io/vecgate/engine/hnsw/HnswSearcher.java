package io.vecgate.engine.hnsw;

import io.vecgate.engine.search.Bits;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import io.vecgate.engine.vector.VectorOps;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Searches an {@link HnswGraph} as hnswlib's {@code searchKnn}: greedy descent through the upper
 * levels, then a beam search of width {@code max(ef, k)} on level 0. With a filter, every node
 * may be traversed but only allowed ones enter the results, and the beam keeps going until it
 * holds {@code ef} allowed nodes. Buffers come from a per-thread pool (a shared one for
 * virtual threads); a search allocates only its answer.
 */
final class HnswSearcher {

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
  /**
   * Buffers for virtual threads: each lives for one task, so a thread-local visited set (4 MB
   * at 1M vectors) would be allocated per query; they borrow from this shared pool instead.
   */
  private static final ConcurrentLinkedQueue<Scratch> SHARED = new ConcurrentLinkedQueue<>();

  private final HnswGraph graph;
  private final Metric metric;
  private final VectorOps ops;
  private final FloatVectors vectors;
  private final MemorySegment data;
  private final int dim;

  HnswSearcher(HnswGraph graph, Metric metric, VectorOps ops, FloatVectors vectors) {
    this.graph = graph;
    this.metric = metric;
    this.ops = ops;
    this.vectors = vectors;
    this.data = vectors.data();
    this.dim = vectors.dimension();
  }

  /**
   * The (up to) {@code k} nearest allowed nodes of {@code q}, closest first; or {@code null} when
   * a filtered search computed more than {@code distanceLimit} distances, so that the caller can
   * switch to an exact scan of the allowed nodes, which would have cost less.
   */
  Neighbors search(float[] q, int k, int ef, Bits filter, long distanceLimit) {
    assert graph.size() > 0;
    int ep = graph.entryPoint();
    float epDist = distance(q, ep);
    for (int level = graph.maxLevel(); level >= 1; level--) {
      MemorySegment rows = graph.rows(level);
      boolean changed = true;
      while (changed) {
        changed = false;
        long off = graph.rowOffset(ep, level);
        int count = rows.get(HnswGraph.INT_LE, off);
        for (int i = 0; i < count; i++) {
          int nb = rows.get(HnswGraph.INT_LE, off + Integer.BYTES * (1L + i));
          float d = distance(q, nb);
          if (d < epDist) {
            epDist = d;
            ep = nb;
            changed = true;
          }
        }
      }
    }
    if (!Thread.currentThread().isVirtual()) {
      return searchLevel0(q, k, Math.max(ef, k), ep, epDist, filter, distanceLimit, SCRATCH.get());
    }
    Scratch s = SHARED.poll();
    if (s == null) {
      s = new Scratch();
    }
    try {
      return searchLevel0(q, k, Math.max(ef, k), ep, epDist, filter, distanceLimit, s);
    } finally {
      SHARED.offer(s);
    }
  }

  private Neighbors searchLevel0(float[] q, int k, int ef, int ep, float epDist, Bits filter, long distanceLimit,
                                 Scratch s) {
    VisitedSet visited = s.visited;
    NodeHeap candidates = s.candidates;
    NodeHeap results = s.results;
    visited.clear(graph.size());
    candidates.clear();
    results.clear();
    MemorySegment rows = graph.rows(0);
    visited.visit(ep);
    long start = NodeHeap.pack(epDist, ep);
    candidates.push(start);
    if (filter == null || filter.get(ep)) {
      results.pushMax(start);
    }
    long bound = results.isEmpty() ? Long.MAX_VALUE : results.peekMax();
    long distances = 1;
    while (!candidates.isEmpty()) {
      long c = candidates.pop();
      // Unfiltered, the beam stops at the first candidate worse than all kept; filtered, only
      // once ef allowed nodes are kept (hnswlib), otherwise a sparse filter ends it too early.
      if (c > bound && (filter == null || results.size() >= ef)) {
        break;
      }
      long off = graph.rowOffset(NodeHeap.node(c), 0);
      int count = rows.get(HnswGraph.INT_LE, off);
      int[] fresh = s.fresh(count);
      int n = 0;
      for (int i = 0; i < count; i++) {
        int nb = rows.get(HnswGraph.INT_LE, off + Integer.BYTES * (1L + i));
        if (visited.visit(nb)) {
          fresh[n++] = nb;
        }
      }
      distances += n;
      // Unvisited neighbours are scored four at a time so that their cache misses overlap
      // (hnswlib prefetches instead; the JVM cannot). A short last group repeats its last node.
      float[] d4 = s.distances;
      for (int j = 0; j < n; j += 4) {
        int last = n - 1;
        metric.distance4Rows(ops, q, data, vectors.offset(fresh[j]), vectors.offset(fresh[Math.min(j + 1, last)]),
            vectors.offset(fresh[Math.min(j + 2, last)]), vectors.offset(fresh[Math.min(j + 3, last)]), dim, d4);
        for (int t = 0; t < 4 && j + t < n; t++) {
          int nb = fresh[j + t];
          long key = NodeHeap.pack(d4[t], nb);
          if (results.size() < ef || key < bound) {
            candidates.push(key);
            if (filter == null || filter.get(nb)) {
              if (results.size() < ef) {
                results.pushMax(key);
              } else {
                results.replaceTopMax(key);
              }
              bound = results.peekMax();
            }
          }
        }
      }
      if (filter != null && distances > distanceLimit) {
        return null;
      }
    }
    while (results.size() > k) {
      results.popMax();
    }
    int size = results.size();
    int[] ords = new int[size];
    float[] dists = new float[size];
    for (int i = size - 1; i >= 0; i--) {
      long key = results.popMax();
      ords[i] = NodeHeap.node(key);
      dists[i] = NodeHeap.distance(key);
    }
    return new Neighbors(ords, dists);
  }

  private float distance(float[] q, int node) {
    return metric.distance(ops, q, data, vectors.offset(node), dim);
  }

  /** Per-thread search buffers; the visited set grows to the largest graph searched. */
  private static final class Scratch {
    final VisitedSet visited = new VisitedSet(0);
    final NodeHeap candidates = new NodeHeap(512);
    final NodeHeap results = new NodeHeap(512);
    final float[] distances = new float[4];
    private int[] fresh = new int[64];

    /** A buffer for the unvisited neighbours of one node, of at least {@code degree} slots. */
    int[] fresh(int degree) {
      if (fresh.length < degree) {
        fresh = new int[degree];
      }
      return fresh;
    }
  }
}
