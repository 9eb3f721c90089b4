package io.vecgate.engine.hnsw;

import io.vecgate.engine.index.IndexParams;
import java.util.Set;

/**
 * HNSW parameters, named as in hnswlib.
 *
 * @param m maximum neighbours per node on levels >= 1; level 0 keeps {@code 2 * m}
 * @param efConstruction candidate list size while inserting
 * @param ef default candidate list size of a search (raised to k when smaller)
 * @param seed seed of the level draw
 */
public record HnswConfig(int m, int efConstruction, int ef, long seed) {

  public static final String M = "M";
  public static final String EF_CONSTRUCTION = "efConstruction";
  public static final String EF = "ef";
  public static final String SEED = "seed";
  /** Written after a build: the node where every search starts. */
  public static final String ENTRY_POINT = "entry_point";
  /** Written after a build: the highest level of the graph (the entry point's level). */
  public static final String MAX_LEVEL = "max_level";

  public static final int DEFAULT_M = 16;
  public static final int DEFAULT_EF_CONSTRUCTION = 200;
  public static final int DEFAULT_EF = 64;
  public static final long DEFAULT_SEED = 100; // hnswlib's default random_seed

  /** M >= 2 because the level multiplier is 1 / ln(M); the cap keeps adjacency rows small. */
  static final int MAX_M = 512;
  static final int MAX_EF = 1 << 16;

  static final Set<String> BUILD_PARAMS = Set.of(M, EF_CONSTRUCTION, EF, SEED);
  static final Set<String> STORED_PARAMS = Set.of(M, EF_CONSTRUCTION, EF, SEED, ENTRY_POINT, MAX_LEVEL);

  public HnswConfig {
    if (m < 2 || m > MAX_M) {
      throw new IllegalArgumentException("HNSW M must be in [2, " + MAX_M + "], got " + m);
    }
    if (efConstruction < 1 || efConstruction > MAX_EF) {
      throw new IllegalArgumentException("HNSW efConstruction must be in [1, " + MAX_EF + "], got " + efConstruction);
    }
    if (ef < 1 || ef > MAX_EF) {
      throw new IllegalArgumentException("HNSW ef must be in [1, " + MAX_EF + "], got " + ef);
    }
  }

  /** Reads the build parameters; unknown names are rejected. */
  public static HnswConfig forBuild(IndexParams params) {
    params.requireOnly("HNSW", BUILD_PARAMS);
    return read(params);
  }

  /** Reads the parameters of a built index (build parameters plus entry point and max level). */
  static HnswConfig forOpen(IndexParams params) {
    params.requireOnly("HNSW", STORED_PARAMS);
    return read(params);
  }

  private static HnswConfig read(IndexParams params) {
    int m = params.getInt(M, DEFAULT_M, 2, MAX_M);
    int efc = params.getInt(EF_CONSTRUCTION, DEFAULT_EF_CONSTRUCTION, 1, MAX_EF);
    int ef = params.getInt(EF, DEFAULT_EF, 1, MAX_EF);
    long seed;
    try {
      seed = Long.parseLong(params.get(SEED, Long.toString(DEFAULT_SEED)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("parameter seed must be an integer, got '" + params.get(SEED, "") + "'");
    }
    return new HnswConfig(m, efc, ef, seed);
  }

  /** Maximum neighbours of a node on {@code level}. */
  int maxDegree(int level) {
    return level == 0 ? 2 * m : m;
  }

  /** The level multiplier mL = 1 / ln(M) of the paper. */
  double levelMultiplier() {
    return 1.0 / Math.log(m);
  }

  /** These parameters plus the graph's entry point and top level, as stored with the index. */
  IndexParams toParams(int entryPoint, int maxLevel) {
    return IndexParams.empty()
        .with(M, m)
        .with(EF_CONSTRUCTION, efConstruction)
        .with(EF, ef)
        .with(SEED, seed)
        .with(ENTRY_POINT, entryPoint)
        .with(MAX_LEVEL, maxLevel);
  }
}
