package io.vecgate.writer.store;

import io.vecgate.engine.index.IndexType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Which segments of a partition to compact, and whether the result gets the space's index.
 *
 * <p>While a space takes writes ({@link CompactionJob.Scope#TIERED}, picked after each seal)
 * compactions are tiered, as log-structured stores do, so that every document is rewritten O(log n)
 * times rather than once per compaction: the segments of the smallest size tier holding more than
 * {@code compactionSegments} of them (tier = floor(log_f(live docs)), f = compactionSegments),
 * else, when a partition has more than four times that many segments in all, its smallest ones; in
 * an indexed space, its FLAT segments first once together they reach {@link #busyIndexFrom}. Seals
 * are always FLAT, and a compacted segment is built with the space's index only from
 * {@link #busyIndexFrom} documents: below that, compactions are FLAT copies (cheap), so index
 * builds stay off the ingest path except for large segments.
 *
 * <p>Once the space is quiet ({@link CompactionJob.Scope#ALL}) each partition is compacted into one
 * segment, built with the space's index when it has at least {@code indexThreshold} documents:
 * every segment of a partition that has more than one, or its single FLAT one once it is large
 * enough to index. So a quiet space ends up fully indexed, one index per partition; the price is
 * that a few documents written to a large quiet space rebuild its partitions' indexes once it is
 * quiet again (as the idle compaction always did; a longer quiet period makes that rarer).
 */
final class CompactionPolicy {

  private final IndexType spaceType;
  private final int indexThreshold;
  private final int busyIndexFrom;
  private final int compactionSegments;

  /**
   * @param spaceType the space's index type
   * @param indexThreshold fewest documents for which the space's type is built
   * @param busyIndexDocs {@link StoreConfig#busyIndexDocs}
   * @param compactionSegments {@link StoreConfig#compactionSegments}
   */
  CompactionPolicy(IndexType spaceType, int indexThreshold, int busyIndexDocs, int compactionSegments) {
    this.spaceType = spaceType;
    this.indexThreshold = indexThreshold;
    this.busyIndexFrom = Math.max(indexThreshold, busyIndexDocs);
    this.compactionSegments = compactionSegments;
  }

  /** The segments of {@code segs} (those of one partition no compaction holds) to compact now, or null. */
  List<SealedSegment> pick(List<SealedSegment> segs, CompactionJob.Scope scope) {
    return scope == CompactionJob.Scope.ALL ? pickAll(segs) : pickTiered(segs);
  }

  /** Fewest live documents for which a compaction of {@code scope} builds the space's index. */
  int indexFrom(CompactionJob.Scope scope) {
    return scope == CompactionJob.Scope.ALL ? indexThreshold : busyIndexFrom;
  }

  private List<SealedSegment> pickAll(List<SealedSegment> segs) {
    if (segs.isEmpty()) {
      return null;
    }
    SealedSegment first = segs.getFirst();
    boolean unindexed = spaceType != IndexType.FLAT && first.type() == IndexType.FLAT && first.live >= indexThreshold;
    return segs.size() > 1 || unindexed ? List.copyOf(segs) : null;
  }

  private List<SealedSegment> pickTiered(List<SealedSegment> segs) {
    if (spaceType != IndexType.FLAT) {
      List<SealedSegment> flat = segs.stream().filter(s -> s.type() == IndexType.FLAT).toList();
      long live = flat.stream().mapToLong(s -> s.live).sum();
      if (!flat.isEmpty() && live >= busyIndexFrom) {
        return flat;
      }
    }
    double logF = Math.log(Math.max(2, compactionSegments));
    TreeMap<Integer, List<SealedSegment>> tiers = new TreeMap<>();
    for (SealedSegment s : segs) {
      int tier = s.live <= 1 ? 0 : (int) (Math.log(s.live) / logF);
      tiers.computeIfAbsent(tier, t -> new ArrayList<>()).add(s);
    }
    for (List<SealedSegment> tier : tiers.values()) {
      if (tier.size() > compactionSegments) {
        return tier;
      }
    }
    if (segs.size() > 4 * compactionSegments) {
      return segs.stream().sorted(Comparator.comparingLong(s -> s.live)).limit(compactionSegments + 1L).toList();
    }
    return null;
  }
}
