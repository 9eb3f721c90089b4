package io.vecgate.engine.ivf;

import io.vecgate.engine.index.IndexParams;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.quant.ProductQuantizer;
import java.util.Set;

/**
 * The parameters of the IVF family, named as in faiss.
 *
 * <ul>
 *   <li>{@code nlist} - number of lists (k-means centroids); default {@code 4 sqrt(n)}; clamped
 *       to {@code max(1, n)} so that small and empty segments build, and stored clamped.
 *   <li>{@code nprobe} - lists scanned per query unless {@code SearchParams.nprobe} says otherwise; default 16.
 *   <li>{@code train_size} - rows sampled to train k-means and the quantiser; default
 *       {@code max(64 nlist, 65536)}: faiss warns below 39 points per centroid, and training cost
 *       grows with {@code train_size x nlist}.
 *   <li>{@code seed} - seed of the sample and of k-means (a long); the build is deterministic for it.
 *   <li>{@code rerank} (SQ8, PQ) - candidates per wanted hit re-ranked with the raw vectors; default 4.
 *   <li>{@code m} (PQ) - sub-quantisers; must divide the dimension; default the largest divisor of
 *       the dimension not above {@code dim / 4} (sub-vectors of about four components).
 *   <li>{@code nbits} (PQ) - bits per sub-quantiser code; only 8 is supported.
 * </ul>
 */
record IvfParams(int nlist, int nprobe, int trainSize, long seed, int rerank, int m) {

  static final String NLIST = "nlist";
  static final String NPROBE = "nprobe";
  static final String TRAIN_SIZE = "train_size";
  static final String SEED = "seed";
  static final String RERANK = "rerank";
  static final String M = "m";
  static final String NBITS = "nbits";

  static final int DEFAULT_NPROBE = 16;
  static final int DEFAULT_RERANK = 4;
  static final long DEFAULT_SEED = 0x5EED_1F5L;
  static final int MAX_NLIST = 1 << 20;

  /** Parses and validates build parameters for {@code n} vectors of dimension {@code dim}. */
  static IvfParams forBuild(IndexType type, IndexParams p, int n, int dim) {
    p.requireOnly(type.name(), allowed(type));
    int defaultNlist = (int) Math.min(MAX_NLIST, Math.max(1, Math.round(4 * Math.sqrt(n))));
    int nlist = Math.min(p.getInt(NLIST, defaultNlist, 1, MAX_NLIST), Math.max(1, n));
    int nprobe = Math.min(p.getInt(NPROBE, DEFAULT_NPROBE, 1, MAX_NLIST), nlist);
    int trainSize = p.getInt(TRAIN_SIZE, Math.max(64 * nlist, 65536), 1, Integer.MAX_VALUE);
    int rerank = p.getInt(RERANK, DEFAULT_RERANK, 1, 1000);
    int m = 0;
    if (type == IndexType.IVF_PQ) {
      int nbits = p.getInt(NBITS, 8, Integer.MIN_VALUE, Integer.MAX_VALUE);
      m = p.getInt(M, defaultM(dim), 1, Integer.MAX_VALUE);
      ProductQuantizer.checkShape(dim, m, nbits);
    }
    return new IvfParams(nlist, nprobe, Math.min(trainSize, n), seed(p), rerank, m);
  }

  /** Reads the parameters stored by {@link #record}; {@code nlist} must be present. */
  static IvfParams forOpen(IndexType type, IndexParams p, int dim) {
    if (!p.has(NLIST)) {
      throw new IllegalArgumentException(type + " parameters lack nlist");
    }
    int nlist = p.getInt(NLIST, 1, 1, MAX_NLIST);
    int m = 0;
    if (type == IndexType.IVF_PQ) {
      m = p.getInt(M, defaultM(dim), 1, Integer.MAX_VALUE);
      ProductQuantizer.checkShape(dim, m, p.getInt(NBITS, 8, Integer.MIN_VALUE, Integer.MAX_VALUE));
    }
    return new IvfParams(nlist, Math.min(p.getInt(NPROBE, DEFAULT_NPROBE, 1, MAX_NLIST), nlist), 0, seed(p),
        p.getInt(RERANK, DEFAULT_RERANK, 1, 1000), m);
  }

  /** The given parameters with the effective values the index needs to reopen. */
  IndexParams record(IndexType type, IndexParams given) {
    IndexParams out = given.with(NLIST, nlist).with(NPROBE, nprobe);
    if (type != IndexType.IVF_FLAT) {
      out = out.with(RERANK, rerank);
    }
    if (type == IndexType.IVF_PQ) {
      out = out.with(M, m).with(NBITS, 8);
    }
    return out;
  }

  private static Set<String> allowed(IndexType type) {
    return switch (type) {
      case IVF_FLAT -> Set.of(NLIST, NPROBE, TRAIN_SIZE, SEED);
      case IVF_SQ8 -> Set.of(NLIST, NPROBE, TRAIN_SIZE, SEED, RERANK);
      case IVF_PQ -> Set.of(NLIST, NPROBE, TRAIN_SIZE, SEED, RERANK, M, NBITS);
      default -> throw new IllegalArgumentException(type + " is not an IVF index");
    };
  }

  private static long seed(IndexParams p) {
    String v = p.get(SEED, null);
    if (v == null) {
      return DEFAULT_SEED;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("parameter seed must be an integer, got '" + v + "'");
    }
  }

  private static int defaultM(int dim) {
    for (int m = Math.max(1, dim / 4); m > 1; m--) {
      if (dim % m == 0) {
        return m;
      }
    }
    return 1;
  }
}
