package io.vecgate.engine.hnsw;

import io.vecgate.engine.index.AbstractVectorIndex;
import io.vecgate.engine.index.IndexParams;
import io.vecgate.engine.index.IndexParts;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.index.PartKind;
import io.vecgate.engine.search.Bits;
import io.vecgate.engine.search.FixedBitSet;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.search.TopKCollector;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.Map;

/**
 * Hierarchical navigable small world graph (Malkov and Yashunin), compatible in parameters and
 * behaviour with hnswlib: {@code M}, {@code efConstruction}, {@code ef} (the stored search
 * default, overridden by {@link SearchParams#ef()}) and {@code seed}. See {@link HnswBuilder}
 * for threading and determinism of the build, {@link HnswGraph} for the stored layout.
 *
 * <p><b>Filters.</b> A filtered search traverses every node but returns only allowed ones. When
 * few documents are allowed, a graph search would wade through many rejected nodes, so the
 * allowed ordinals are scanned exactly instead (as Lucene does): straight away when a cost
 * model says the scan is cheaper (see {@code scanIsCheaper}), and also when a graph search
 * has computed as many distances as there are allowed documents. The allowed count is exact
 * for a {@link FixedBitSet} and estimated from a sample for other {@link Bits}.
 */
public final class HnswIndex extends AbstractVectorIndex {

  /** Filter entries sampled to estimate the allowed count of a {@link Bits} that cannot count. */
  private static final int FILTER_SAMPLES = 1024;

  private final HnswConfig config;
  private final HnswGraph graph;
  private final HnswSearcher searcher;

  private HnswIndex(Metric metric, FloatVectors vectors, HnswConfig config, HnswGraph graph) {
    super(metric, vectors, config.toParams(graph.entryPoint(), graph.maxLevel()));
    this.config = config;
    this.graph = graph;
    this.searcher = new HnswSearcher(graph, metric, OPS, vectors);
  }

  /**
   * Builds an index over {@code vectors} (already normalised for cosine), on one thread below
   * 10,000 vectors (reproducible) and on all cores from there on. The graph lives in {@code arena}.
   */
  public static HnswIndex build(Metric metric, FloatVectors vectors, IndexParams params, Arena arena) {
    HnswConfig config = HnswConfig.forBuild(params);
    return build(metric, vectors, config, arena, BuildThreads.threadsFor(vectors.count()));
  }

  static HnswIndex build(Metric metric, FloatVectors vectors, HnswConfig config, Arena arena, int threads) {
    HnswGraph graph = HnswBuilder.build(metric, OPS, vectors, config, arena, threads);
    return new HnswIndex(metric, vectors, config, graph);
  }

  /** Reopens an index from its parts and stored parameters, searching the parts in place. */
  public static HnswIndex open(Metric metric, FloatVectors vectors, IndexParams params, IndexParts parts) {
    HnswConfig config = HnswConfig.forOpen(params);
    int n = vectors.count();
    int entryPoint = required(params, HnswConfig.ENTRY_POINT, -1, Math.max(-1, n - 1));
    int maxLevel = required(params, HnswConfig.MAX_LEVEL, -1, Byte.MAX_VALUE);
    return new HnswIndex(metric, vectors, config, HnswGraph.open(parts, n, config.m(), entryPoint, maxLevel));
  }

  private static int required(IndexParams params, String name, int min, int max) {
    if (!params.has(name)) {
      throw new IllegalArgumentException("HNSW parameter " + name + " is missing; was the index built?");
    }
    return params.getInt(name, 0, min, max);
  }

  @Override
  public IndexType type() {
    return IndexType.HNSW;
  }

  /** The graph, for tests and tools. */
  public HnswGraph graph() {
    return graph;
  }

  @Override
  public IndexParts parts() {
    Map<PartKind, MemorySegment> parts = new EnumMap<>(graph.parts());
    parts.put(PartKind.VECTORS, vectors.data().asSlice(0, vectors.byteSize()));
    return new IndexParts(parts);
  }

  @Override
  protected Neighbors[] searchPrepared(float[][] queries, int[] k, SearchParams p, Bits filter) {
    int ef = p.ef() > 0 ? p.ef() : config.ef();
    long allowed = filter == null ? size() : allowedCount(filter);
    Neighbors[] out = new Neighbors[queries.length];
    for (int i = 0; i < queries.length; i++) {
      out[i] = searchOne(queries[i], k[i], ef, filter, allowed);
    }
    return out;
  }

  private Neighbors searchOne(float[] q, int k, int ef, Bits filter, long allowed) {
    if (filter == null) {
      return searcher.search(q, k, ef, null, Long.MAX_VALUE);
    }
    if (scanIsCheaper(allowed, Math.max(ef, k))) {
      return exactScan(q, k, filter);
    }
    Neighbors found = searcher.search(q, k, ef, filter, allowed);
    return found != null ? found : exactScan(q, k, filter);
  }

  /**
   * Whether scanning the allowed documents costs less than a filtered graph search. An
   * unfiltered search computes on the order of {@code ef * M} distances; with a fraction
   * {@code s = allowed / n} allowed, the beam must wade through about {@code 1 / s} times as
   * many nodes before it holds ef allowed ones, while the scan computes {@code allowed}
   * distances, at sequential rather than random addresses (on 50k x 128, a graph search
   * computed about 0.6 ef M distances, each some 3 times the cost of a scanned one, which the
   * two factors roughly cancel). So the scan wins when {@code allowed^2 < ef * M * n}: below about 3 % at 1M
   * vectors and ef = 64, below 30 % at 20k. Anything up to 1 % of n is scanned regardless.
   */
  private boolean scanIsCheaper(long allowed, int efk) {
    return allowed <= size() / 100 || (double) allowed * allowed <= (double) efk * config.m() * size();
  }

  /** Graph search with a filter and no fallback to a scan: for tests that measure the graph itself. */
  Neighbors searchGraph(float[] q, int k, int ef, Bits filter) {
    return searcher.search(q, k, ef, filter, Long.MAX_VALUE);
  }

  private Neighbors exactScan(float[] q, int k, Bits filter) {
    TopKCollector top = new TopKCollector(k);
    MemorySegment data = vectors.data();
    int dim = vectors.dimension();
    if (filter instanceof FixedBitSet bits) {
      for (int ord = bits.nextSetBit(0); ord >= 0; ord = bits.nextSetBit(ord + 1)) {
        top.offer(ord, metric.distance(OPS, q, data, vectors.offset(ord), dim));
      }
    } else {
      for (int ord = 0; ord < size(); ord++) {
        if (filter.get(ord)) {
          top.offer(ord, metric.distance(OPS, q, data, vectors.offset(ord), dim));
        }
      }
    }
    return top.drain();
  }

  /** The allowed count: exact for a {@link FixedBitSet}, else from evenly spaced samples. */
  private long allowedCount(Bits filter) {
    if (filter instanceof FixedBitSet bits) {
      return bits.cardinality();
    }
    int n = size();
    int samples = Math.min(n, FILTER_SAMPLES);
    int hits = 0;
    for (int i = 0; i < samples; i++) {
      if (filter.get((int) ((long) i * n / samples))) {
        hits++;
      }
    }
    return (long) hits * n / samples;
  }
}
