package io.vecgate.engine.ivf;

import io.vecgate.engine.search.Bits;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.search.TopKCollector;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import io.vecgate.engine.vector.VectorOps;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One search over an IVF index. A single query scans its lists nearest first (the threshold
 * tightens early). A batch scores its queries against the centroids a block of centroids at a
 * time for all of them, then is inverted: for every list, the queries that probe it; each
 * probed list is then scanned once, block by block, every interested query against a block
 * while it is in cache, so memory traffic is paid once per batch instead of once per query.
 * Approximate encodings collect {@code k x rerank} candidates, re-scored exactly from the raw
 * vectors (no re-ranking when {@code rerank == 0}).
 */
final class IvfSearcher {

  private final VectorOps ops;
  private final Metric metric;
  private final FloatVectors vectors;
  private final CoarseQuantizer coarse;
  private final ListEncoding encoding;

  IvfSearcher(VectorOps ops, Metric metric, FloatVectors vectors, CoarseQuantizer coarse, ListEncoding encoding) {
    this.ops = ops;
    this.metric = metric;
    this.vectors = vectors;
    this.coarse = coarse;
    this.encoding = encoding;
  }

  Neighbors[] search(float[][] queries, int[] k, int nprobe, int rerank, Bits filter) {
    int nq = queries.length;
    TopKCollector[] top = new TopKCollector[nq];
    ListScorer[] scorers = new ListScorer[nq];
    int[][] probes = new int[nq][];
    for (int i = 0; i < nq; i++) {
      long want = rerank > 0 ? (long) k[i] * rerank : k[i];
      top[i] = new TopKCollector((int) Math.min(want, Math.max(k[i], vectors.count())));
      scorers[i] = encoding.scorer(queries[i]);
    }
    if (nq == 1) {
      int[] lists = new int[nprobe];
      probes[0] = Arrays.copyOf(lists, coarse.probe(queries[0], nprobe, lists));
    } else {
      // The centroids read once per group of queries; each query probes the lists it probes alone.
      probes = coarse.probe(queries, nprobe);
    }
    if (nq == 1) {
      scanOne(probes[0], scorers[0], top[0], filter);
    } else {
      scanBatch(probes, scorers, top, filter);
    }
    Neighbors[] out = new Neighbors[nq];
    for (int i = 0; i < nq; i++) {
      out[i] = rerank > 0 ? rerank(queries[i], top[i].drain(), k[i]) : top[i].drain();
    }
    return out;
  }

  private void scanOne(int[] lists, ListScorer scorer, TopKCollector top, Bits filter) {
    for (int list : lists) {
      scorer.enter(list);
      scorer.scan(coarse.start(list), coarse.end(list), top, filter);
    }
  }

  private void scanBatch(int[][] probes, ListScorer[] scorers, TopKCollector[] top, Bits filter) {
    int nlist = coarse.nlist();
    // Invert query -> lists into list -> queries (compressed rows, queries ascending per list).
    int[] start = new int[nlist + 1];
    for (int[] lists : probes) {
      for (int l : lists) {
        start[l + 1]++;
      }
    }
    for (int l = 0; l < nlist; l++) {
      start[l + 1] += start[l];
    }
    int[] fill = Arrays.copyOf(start, nlist);
    int[] byList = new int[start[nlist]];
    for (int q = 0; q < probes.length; q++) {
      for (int l : probes[q]) {
        byList[fill[l]++] = q;
      }
    }
    int block = Math.max(1, ListEncoding.BLOCK_BYTES / encoding.bytesPerVector());
    ListScorer[] listScorers = new ListScorer[probes.length];
    TopKCollector[] listTops = new TopKCollector[probes.length];
    for (int l = 0; l < nlist; l++) {
      int count = start[l + 1] - start[l];
      if (count == 0) {
        continue;
      }
      for (int i = 0; i < count; i++) {
        int q = byList[start[l] + i];
        scorers[q].enter(l);
        listScorers[i] = scorers[q];
        listTops[i] = top[q];
      }
      int end = coarse.end(l);
      for (int from = coarse.start(l); from < end; from += block) {
        encoding.scanMany(from, Math.min(end, from + block), listScorers, listTops, count, filter);
      }
    }
  }

  /** Re-scores approximate candidates exactly and keeps the best {@code k}. */
  private Neighbors rerank(float[] q, Neighbors candidates, int k) {
    TopKCollector exact = new TopKCollector(k);
    MemorySegment data = vectors.data();
    int dim = vectors.dimension();
    for (int i = 0; i < candidates.size(); i++) {
      int ord = candidates.ordinal(i);
      float d = metric.distance(ops, q, data, vectors.offset(ord), dim);
      if (d <= exact.threshold()) {
        exact.offer(ord, d);
      }
    }
    return exact.drain();
  }
}
