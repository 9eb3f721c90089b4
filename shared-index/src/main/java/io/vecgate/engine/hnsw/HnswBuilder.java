package io.vecgate.engine.hnsw;

import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import io.vecgate.engine.vector.VectorOps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Builds an HNSW graph as hnswlib does: levels drawn with mL = 1 / ln(M), insertion by greedy
 * descent then an efConstruction beam search per level, neighbours chosen with the paper's
 * heuristic (M per level, overflowing lists pruned with the same heuristic to 2M on level 0
 * and M above).
 *
 * <p><b>Threads and determinism.</b> Levels are drawn up front from the seed, so they never
 * depend on threads. Below {@link BuildThreads#PARALLEL_THRESHOLD} vectors, nodes are inserted on the
 * calling thread in ordinal order, and the graph is a pure function of the data and the
 * parameters. From there on, all cores insert nodes concurrently (as hnswlib's
 * {@code add_items}): each adjacency row is read and written under its node's lock, a node whose
 * level tops the graph holds a global lock for its whole insertion, and the graph then depends
 * on thread timing (recall does not: the tests hold both builds to the same bar). Small indexes gain little from threads and
 * keep reproducible builds; large ones need the cores.
 *
 * <p><b>Reachability.</b> Pruning can leave a node with no incoming level-0 link (hnswlib has
 * the same flaw); such a node can never be returned. After inserting, unlike hnswlib, a pass
 * over level 0 links every node not reachable from the entry point from its nearest reachable
 * node (as Lucene's {@code connectComponents}), preferring one with a free slot, in up to
 * three passes.
 *
 * <p>The graph is built in heap int arrays, then copied into native segments of the arena so
 * that a freshly built index is searched by the same code as one mapped from a file.
 */
final class HnswBuilder {

  private final Metric metric;
  private final VectorOps ops;
  private final FloatVectors vectors;
  private final MemorySegment data;
  private final int dim;
  private final int n;
  private final int m;
  private final int efConstruction;
  private final GraphArrays graph;
  private final ReentrantLock global = new ReentrantLock();
  private int entryPoint = -1; // guarded by global
  private int maxLevel = -1; // guarded by global

  private HnswBuilder(Metric metric, VectorOps ops, FloatVectors vectors, HnswConfig config) {
    this.metric = metric;
    this.ops = ops;
    this.vectors = vectors;
    this.data = vectors.data();
    this.dim = vectors.dimension();
    this.n = vectors.count();
    this.m = config.m();
    this.efConstruction = config.efConstruction();
    this.graph = new GraphArrays(n, config);
  }

  /**
   * Builds the graph of {@code vectors} with {@code threads} threads (1 = in ordinal order, reproducible)
   * into native memory of {@code arena}.
   */
  static HnswGraph build(Metric metric, VectorOps ops, FloatVectors vectors, HnswConfig config, Arena arena, int threads) {
    HnswBuilder b = new HnswBuilder(metric, ops, vectors, config);
    if (threads <= 1 || b.n < 2 * threads) {
      Scratch s = b.new Scratch();
      for (int node = 0; node < b.n; node++) {
        b.insert(node, s);
      }
    } else {
      BuildThreads.forEachNode(b.n, threads, () -> b.new Scratch(), b::insert);
    }
    b.connectUnreachable(b.new Scratch());
    return b.graph.toGraph(b.entryPoint, b.maxLevel, arena);
  }

  private void insert(int q, Scratch s) {
    int level = graph.level(q);
    global.lock();
    int ep = entryPoint;
    int top = maxLevel;
    // A node that raises the graph keeps the global lock so that no one else starts from a stale top.
    boolean raisesTop = level > top;
    if (!raisesTop) {
      global.unlock();
    }
    try {
      if (ep >= 0) {
        link(q, level, ep, top, s);
      }
      if (raisesTop) {
        entryPoint = q;
        maxLevel = level;
      }
    } finally {
      if (raisesTop) {
        global.unlock();
      }
    }
  }

  private void link(int q, int level, int ep, int top, Scratch s) {
    float[] qv = s.query;
    vectors.copyTo(q, qv, 0);
    float epDist = distance(qv, ep);
    for (int l = top; l > level; l--) {
      boolean changed = true;
      while (changed) {
        changed = false;
        int count = graph.copyNeighbours(ep, l, s.ids);
        for (int i = 0; i < count; i++) {
          int nb = s.ids[i];
          float d = distance(qv, nb);
          if (d < epDist) {
            epDist = d;
            ep = nb;
            changed = true;
          }
        }
      }
    }
    for (int l = Math.min(top, level); l >= 0; l--) {
      int found = searchLayer(q, qv, ep, epDist, l, s);
      int kept = selectNeighbours(s.found, found, m, s);
      // The heuristic always keeps the closest candidate: the entry point of the next level.
      ep = NodeHeap.node(s.found[0]);
      epDist = NodeHeap.distance(s.found[0]);
      int[] rows = graph.rows(l);
      int base = graph.rowBase(q, l);
      synchronized (graph.lockOf(q)) {
        for (int i = 0; i < kept; i++) {
          rows[base + 1 + i] = NodeHeap.node(s.found[i]);
        }
        rows[base] = kept;
      }
      for (int i = 0; i < kept; i++) {
        addBackLink(NodeHeap.node(s.found[i]), q, NodeHeap.distance(s.found[i]), l, s);
      }
    }
  }

  /**
   * Makes every node reachable on level 0: a node the entry point cannot reach is linked from
   * the closest reachable node with a free slot among its efConstruction nearest, else it
   * replaces the farthest neighbour of the closest one. Runs on one thread after all inserts.
   */
  private void connectUnreachable(Scratch s) {
    if (n < 2) {
      return;
    }
    int[] stack = new int[n];
    // A replaced neighbour may lose its only incoming link, hence a few passes; each repairs
    // what the last one cut, and the first pass almost always finds a free slot anyway.
    for (int pass = 0; pass < 3; pass++) {
      boolean[] reached = new boolean[n];
      if (graph.markReachable(entryPoint, reached, stack) == n) {
        return;
      }
      connectPass(reached, stack, s);
    }
  }

  private void connectPass(boolean[] reached, int[] stack, Scratch s) {
    int[] level0 = graph.rows(0);
    int maxDegree = 2 * m;
    for (int u = 0; u < n; u++) {
      if (reached[u]) {
        continue;
      }
      vectors.copyTo(u, s.query, 0);
      int found = searchLayer(u, s.query, entryPoint, distance(s.query, entryPoint), 0, s);
      int from = -1;
      for (int i = 0; i < found && from < 0; i++) {
        int r = NodeHeap.node(s.found[i]);
        if (reached[r] && level0[graph.rowBase(r, 0)] < maxDegree) {
          from = r;
        }
      }
      if (from >= 0) {
        int base = graph.rowBase(from, 0);
        level0[base + 1 + level0[base]] = u;
        level0[base]++;
      } else {
        from = NodeHeap.node(s.found[0]);
        replaceFarthest(from, u, s);
      }
      graph.markReachable(u, reached, stack);
    }
  }

  private void replaceFarthest(int node, int u, Scratch s) {
    int[] level0 = graph.rows(0);
    int base = graph.rowBase(node, 0);
    vectors.copyTo(node, s.other, 0);
    int worst = 0;
    float worstDist = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < level0[base]; i++) {
      float d = distance(s.other, level0[base + 1 + i]);
      if (d > worstDist) {
        worstDist = d;
        worst = i;
      }
    }
    level0[base + 1 + worst] = u;
  }

  /**
   * Beam search of one level for the vector of node {@code self}; leaves the closest
   * {@code efConstruction} other nodes in {@code s.found}, closest first.
   */
  private int searchLayer(int self, float[] qv, int ep, float epDist, int level, Scratch s) {
    VisitedSet visited = s.visited;
    NodeHeap candidates = s.candidates;
    NodeHeap results = s.results;
    visited.clear(n);
    // In a parallel build another thread may already have linked to self on this level;
    // marking it visited keeps it out of its own neighbour list.
    visited.visit(self);
    assert ep != self : self;
    candidates.clear();
    results.clear();
    visited.visit(ep);
    long start = NodeHeap.pack(epDist, ep);
    candidates.push(start);
    results.pushMax(start);
    long bound = start;
    while (!candidates.isEmpty()) {
      long c = candidates.pop();
      if (c > bound && results.size() >= efConstruction) {
        break;
      }
      int count = graph.copyNeighbours(NodeHeap.node(c), level, s.ids);
      int fresh = 0;
      for (int i = 0; i < count; i++) {
        if (visited.visit(s.ids[i])) {
          s.ids[fresh++] = s.ids[i];
        }
      }
      // Four at a time, as the searcher does, so that the neighbours' cache misses overlap.
      for (int j = 0; j < fresh; j += 4) {
        int last = fresh - 1;
        metric.distance4Rows(ops, qv, data, vectors.offset(s.ids[j]), vectors.offset(s.ids[Math.min(j + 1, last)]),
            vectors.offset(s.ids[Math.min(j + 2, last)]), vectors.offset(s.ids[Math.min(j + 3, last)]), dim, s.four);
        for (int t = 0; t < 4 && j + t < fresh; t++) {
          long key = NodeHeap.pack(s.four[t], s.ids[j + t]);
          if (results.size() < efConstruction || key < bound) {
            candidates.push(key);
            if (results.size() < efConstruction) {
              results.pushMax(key);
            } else {
              results.replaceTopMax(key);
            }
            bound = results.peekMax();
          }
        }
      }
    }
    int found = results.size();
    for (int i = found - 1; i >= 0; i--) {
      s.found[i] = results.popMax();
    }
    return found;
  }

  /**
   * The heuristic of the HNSW paper (hnswlib {@code getNeighborsByHeuristic2}): walking the
   * candidates closest first, keep one only if it is closer to the new node than to every
   * neighbour already kept, so that neighbours spread in different directions.
   * {@code keys[0..count)} are sorted (distance, node) keys; the kept ones are moved to the front.
   */
  private int selectNeighbours(long[] keys, int count, int maxDegree, Scratch s) {
    if (count < maxDegree) {
      return count;
    }
    int kept = 0;
    for (int i = 0; i < count && kept < maxDegree; i++) {
      long key = keys[i];
      float toQuery = NodeHeap.distance(key);
      boolean good = true;
      if (kept > 0) {
        // One copy per candidate, so the comparisons below read one side from a float[].
        vectors.copyTo(NodeHeap.node(key), s.other, 0);
        for (int j = 0; j < kept; j++) {
          if (distance(s.other, NodeHeap.node(keys[j])) < toQuery) {
            good = false;
            break;
          }
        }
      }
      if (good) {
        keys[kept++] = key;
      }
    }
    return kept;
  }

  /** Adds {@code q} to the neighbours of {@code e}, pruning the list with the heuristic when full. */
  private void addBackLink(int e, int q, float dist, int level, Scratch s) {
    int maxDegree = level == 0 ? 2 * m : m;
    int[] rows = graph.rows(level);
    int base = graph.rowBase(e, level);
    synchronized (graph.lockOf(e)) {
      int count = rows[base];
      for (int i = 0; i < count; i++) {
        if (rows[base + 1 + i] == q) {
          return;
        }
      }
      if (count < maxDegree) {
        rows[base + 1 + count] = q;
        rows[base] = count + 1;
        return;
      }
      vectors.copyTo(e, s.pruneQuery, 0);
      long[] keys = s.pruned;
      for (int i = 0; i < count; i++) {
        int nb = rows[base + 1 + i];
        keys[i] = NodeHeap.pack(distance(s.pruneQuery, nb), nb);
      }
      keys[count] = NodeHeap.pack(dist, q);
      Arrays.sort(keys, 0, count + 1);
      int kept = selectNeighbours(keys, count + 1, maxDegree, s);
      for (int i = 0; i < kept; i++) {
        rows[base + 1 + i] = NodeHeap.node(keys[i]);
      }
      rows[base] = kept;
    }
  }

  private float distance(float[] v, int node) {
    return metric.distance(ops, v, data, vectors.offset(node), dim);
  }

  /** Per-thread buffers, so that inserting allocates nothing. */
  private final class Scratch {
    final float[] query = new float[dim];
    final float[] other = new float[dim];
    final float[] pruneQuery = new float[dim];
    final int[] ids = new int[2 * m];
    final float[] four = new float[4];
    final long[] found = new long[efConstruction + 1];
    final long[] pruned = new long[2 * m + 1];
    final VisitedSet visited = new VisitedSet(n);
    final NodeHeap candidates = new NodeHeap(efConstruction * 4);
    final NodeHeap results = new NodeHeap(efConstruction + 1);
  }
}
