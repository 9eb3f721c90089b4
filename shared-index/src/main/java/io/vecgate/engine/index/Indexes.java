package io.vecgate.engine.index;

import io.vecgate.engine.flat.FlatIndex;
import io.vecgate.engine.hnsw.HnswIndex;
import io.vecgate.engine.ivf.IvfBuilder;
import io.vecgate.engine.ivf.IvfIndex;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import java.lang.foreign.Arena;
import java.util.Set;

/** Builds an index of any type, and reopens one from its persisted parts. */
public final class Indexes {

  private Indexes() {}

  /**
   * Builds an index over {@code vectors} (rows of the input, in order). Memory for the index is
   * allocated in {@code arena}, which must outlive it. Unknown or out-of-range parameters fail
   * with a message naming them. Builds use every core, so {@code vectors} and {@code arena}
   * must be usable from any thread (a shared, automatic or global arena, not a confined one).
   * A build called from a task of a {@link java.util.concurrent.ForkJoinPool} other than the
   * common pool uses that pool's parallelism instead (IVF's parallel steps run in the pool, HNSW
   * inserts with as many threads): a caller limits a build's cores by running it in a pool of
   * that size.
   */
  public static BuiltIndex build(IndexType type, Metric metric, FloatVectors vectors, IndexParams params, Arena arena) {
    Thread anyOtherThread = Thread.ofPlatform().unstarted(() -> {});
    if (!vectors.data().isAccessibleBy(anyOtherThread)) {
      throw new IllegalArgumentException("the vectors live in a confined arena; a multi-threaded build needs them "
          + "in a shared one (Arena.ofShared(), ofAuto() or global())");
    }
    return switch (type) {
      case FLAT -> {
        params.requireOnly("FLAT", Set.of());
        yield new BuiltIndex(new FlatIndex(metric, prepared(metric, vectors, arena), params), BuiltIndex.identity(vectors.count()));
      }
      case IVF_FLAT, IVF_SQ8, IVF_PQ -> buildIvf(type, metric, vectors, params, arena);
      case HNSW -> new BuiltIndex(HnswIndex.build(metric, prepared(metric, vectors, arena), params, arena),
          BuiltIndex.identity(vectors.count()));
    };
  }

  /** The vectors an index stores: a normalised copy in {@code arena} for cosine, the input otherwise. */
  private static FloatVectors prepared(Metric metric, FloatVectors vectors, Arena arena) {
    return metric.normalises() ? normalisedCopy(vectors, arena) : vectors;
  }

  /**
   * IVF lays the rows out again in list order in {@code arena}, so for cosine the normalised
   * copy is needed only while building and lives in an arena of its own, freed afterwards.
   */
  private static BuiltIndex buildIvf(IndexType type, Metric metric, FloatVectors vectors, IndexParams params, Arena arena) {
    if (!metric.normalises()) {
      return IvfBuilder.build(type, metric, vectors, params, arena);
    }
    try (Arena scratch = Arena.ofShared()) {
      return IvfBuilder.build(type, metric, normalisedCopy(vectors, scratch), params, arena);
    }
  }

  /** Reopens an index from parts written by {@link VectorIndex#parts()} (typically mapped from a file). */
  public static VectorIndex open(IndexType type, Metric metric, int dimension, int count, IndexParams params, IndexParts parts) {
    FloatVectors vectors = new FloatVectors(parts.require(PartKind.VECTORS), count, dimension);
    return switch (type) {
      case FLAT -> new FlatIndex(metric, vectors, params);
      case IVF_FLAT, IVF_SQ8, IVF_PQ -> IvfIndex.open(type, metric, vectors, params, parts);
      case HNSW -> HnswIndex.open(metric, vectors, params, parts);
    };
  }

  /** A copy of {@code vectors}, each scaled to unit length (cosine is the dot product of unit vectors). */
  public static FloatVectors normalisedCopy(FloatVectors vectors, Arena arena) {
    FloatVectors copy = FloatVectors.allocate(arena, vectors.count(), vectors.dimension());
    float[] v = new float[vectors.dimension()];
    for (int i = 0; i < vectors.count(); i++) {
      vectors.copyTo(i, v, 0);
      Metric.normalise(v, 0, v.length);
      copy.set(i, v);
    }
    return copy;
  }
}
