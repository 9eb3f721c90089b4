package io.vecgate.engine.search;

/**
 * Query-time knobs shared by all queries of a batch. A value of 0 means "the index's default".
 *
 * @param nprobe IVF lists probed per query
 * @param ef HNSW candidate list size (raised to k when smaller)
 * @param quick skip the exact re-ranking of quantised (SQ8/PQ) candidates
 * @param rerankFactor how many candidates per wanted hit a quantised index re-ranks exactly
 * @param exact scan every vector exactly (Vearch's {@code is_brute_search})
 */
public record SearchParams(int nprobe, int ef, boolean quick, int rerankFactor, boolean exact) {

  public static final SearchParams DEFAULTS = new SearchParams(0, 0, false, 0, false);

  public SearchParams {
    if (nprobe < 0) {
      throw new IllegalArgumentException("nprobe must be >= 0, got " + nprobe);
    }
    if (ef < 0) {
      throw new IllegalArgumentException("ef must be >= 0, got " + ef);
    }
    if (rerankFactor < 0) {
      throw new IllegalArgumentException("rerankFactor must be >= 0, got " + rerankFactor);
    }
  }

  public SearchParams withNprobe(int v) {
    return new SearchParams(v, ef, quick, rerankFactor, exact);
  }

  public SearchParams withEf(int v) {
    return new SearchParams(nprobe, v, quick, rerankFactor, exact);
  }

  public SearchParams withQuick(boolean v) {
    return new SearchParams(nprobe, ef, v, rerankFactor, exact);
  }

  public SearchParams withRerankFactor(int v) {
    return new SearchParams(nprobe, ef, quick, v, exact);
  }

  public SearchParams withExact(boolean v) {
    return new SearchParams(nprobe, ef, quick, rerankFactor, v);
  }
}
