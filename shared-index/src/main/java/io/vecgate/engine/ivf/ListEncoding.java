package io.vecgate.engine.ivf;

import io.vecgate.engine.index.PartKind;
import io.vecgate.engine.search.Bits;
import io.vecgate.engine.search.TopKCollector;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/** How the vectors of the IVF lists are stored and scored: raw floats, SQ8 codes or PQ codes. */
interface ListEncoding {

  /** Bytes of a list a batch scans for all its queries before moving on: stays in L2 cache. */
  int BLOCK_BYTES = 64 * 1024;

  /** Whether scores are approximate, so that the best candidates are re-ranked with the raw vectors. */
  boolean approximate();

  /** Bytes stored per vector, which sets the block size of a batched scan. */
  int bytesPerVector();

  /** A scorer for one (prepared) query; it keeps per-query precomputation and is not thread-safe. */
  ListScorer scorer(float[] query);

  /**
   * Scans ordinals {@code [from, to)} of one list for {@code count} queries at once; every scorer
   * has entered that list. The default scans for each query in turn (the block is then read from
   * cache); an encoding may score several queries per stored vector instead.
   */
  default void scanMany(int from, int to, ListScorer[] scorers, TopKCollector[] tops, int count, Bits filter) {
    for (int i = 0; i < count; i++) {
      scorers[i].scan(from, to, tops[i], filter);
    }
  }

  /** Adds this encoding's parts (beyond VECTORS, centroids and offsets). */
  void addParts(Map<PartKind, MemorySegment> parts);
}
