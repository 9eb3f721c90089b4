package io.vecgate.writer.store;

import io.vecgate.engine.index.IndexType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Which segments of a partition to merge. Tiered, as log-structured stores do, so that every
 * document is rewritten O(log n) times rather than once per merge: the FLAT segments of an
 * indexed space once together they are large enough for the space's index type, else the
 * segments of the smallest size tier holding more than {@code mergeSegments} of them (tier =
 * floor(log_f(live docs)), f = mergeSegments), else, when a partition has more than four times
 * that many segments in all, its smallest ones. A full merge (idle spaces) takes every segment of
 * a partition that has more than one, or its single FLAT one once it is large enough to index.
 */
final class MergePolicy {

  private final IndexType spaceType;
  private final int indexThreshold;
  private final int mergeSegments;

  /**
   * @param spaceType the space's index type
   * @param indexThreshold fewest documents for which the space's type is built
   * @param mergeSegments {@link StoreConfig#mergeSegments}
   */
  MergePolicy(IndexType spaceType, int indexThreshold, int mergeSegments) {
    this.spaceType = spaceType;
    this.indexThreshold = indexThreshold;
    this.mergeSegments = mergeSegments;
  }

  /** The segments of {@code segs} (those of one partition no merge holds) to merge now, or null. */
  List<SealedSegment> pick(List<SealedSegment> segs, MergeJob.Scope scope) {
    return scope == MergeJob.Scope.ALL ? pickAll(segs) : pickTiered(segs);
  }

  private List<SealedSegment> pickAll(List<SealedSegment> segs) {
    boolean unindexed = spaceType != IndexType.FLAT && segs.size() == 1
        && segs.getFirst().type() == IndexType.FLAT && segs.getFirst().live >= indexThreshold;
    return segs.size() > 1 || unindexed ? List.copyOf(segs) : null;
  }

  private List<SealedSegment> pickTiered(List<SealedSegment> segs) {
    if (spaceType != IndexType.FLAT) {
      List<SealedSegment> flat = segs.stream().filter(s -> s.type() == IndexType.FLAT).toList();
      long live = flat.stream().mapToLong(s -> s.live).sum();
      if (!flat.isEmpty() && live >= indexThreshold) {
        return flat;
      }
    }
    double logF = Math.log(Math.max(2, mergeSegments));
    TreeMap<Integer, List<SealedSegment>> tiers = new TreeMap<>();
    for (SealedSegment s : segs) {
      int tier = s.live <= 1 ? 0 : (int) (Math.log(s.live) / logF);
      tiers.computeIfAbsent(tier, t -> new ArrayList<>()).add(s);
    }
    for (List<SealedSegment> tier : tiers.values()) {
      if (tier.size() > mergeSegments) {
        return tier;
      }
    }
    if (segs.size() > 4 * mergeSegments) {
      return segs.stream().sorted(Comparator.comparingLong(s -> s.live)).limit(mergeSegments + 1L).toList();
    }
    return null;
  }
}
