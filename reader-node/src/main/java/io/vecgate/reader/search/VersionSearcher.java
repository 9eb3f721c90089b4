package io.vecgate.reader.search;

import io.vecgate.engine.vector.Metric;
import io.vecgate.reader.version.LoadedSegment;
import io.vecgate.reader.version.LoadedVersion;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs checked {@link SearchPlan}s on the version they were checked against, and looks documents
 * up by {@code _id}.
 *
 * <h2>Scores</h2>
 * A query has one {@code query.sum} entry per vector field it searches, each with its query
 * vector and a weight w (the {@code boost}, default 1). The score of field f for a document is
 * the field's public score ({@link Metric#toScore}: the squared L2 distance, or the plain one
 * with {@code l2Sqrt}; the inner product; the cosine similarity), and a hit's score is
 * {@code sum over the entries of w_f x score_f}, which ranks as the metric does (all weights are
 * positive, every field has the space's metric: smaller is better for L2, larger for the others).
 * One entry is searched by {@link SingleFieldSearch} (the field's index answers), several by
 * {@link MultiFieldSearch} (each field's candidates, scored exactly on every field). Bounds on a
 * field's score ({@code min_score}, {@code max_score}) are not applied here: with
 * {@link SearchPlan.Draft#fieldScores()} each hit carries every entry's own (unweighted) score,
 * and the gateway drops hits outside the bounds after its global top k.
 *
 * <p>Two steps so that a caller can run partitions in parallel ({@link PartitionFanOut}):
 * {@link #searchPartition} (pure engine work, one partition) and {@link #topK} (the top k over the
 * partitions, with the documents); {@link #search} does both on the calling thread. The caller
 * holds the version ({@link LoadedVersion#acquire()}) for the whole time. Blocking and CPU-bound.
 */
public final class VersionSearcher {

  private VersionSearcher() {}

  /** Searches every segment of one partition, by the plan's strategy. */
  public static PartitionHits searchPartition(SearchPlan p, int partition) {
    return p.entries().size() == 1 ? SingleFieldSearch.search(p, partition) : MultiFieldSearch.search(p, partition);
  }

  /** The top k of each query over {@code parts}, with the projected sources. */
  public static List<List<DocHit>> topK(SearchPlan p, List<PartitionHits> parts) {
    return PartitionTopK.of(p, parts);
  }

  /** Every partition, then {@link #topK}, on this thread. */
  public static List<List<DocHit>> search(SearchPlan p) {
    List<PartitionHits> parts = new ArrayList<>();
    for (int partition : p.partitions()) {
      parts.add(searchPartition(p, partition));
    }
    return topK(p, parts);
  }

  /**
   * Documents by {@code _id}, in the order asked, skipping ids not live in {@code v} (or not in
   * {@code partitions} when that is not empty). Scores are 0.
   */
  public static List<DocHit> get(LoadedVersion v, List<String> ids, List<Integer> partitions, boolean vectorValue) {
    SourceBuilder source = SourceBuilder.of(v, null, vectorValue);
    Set<Integer> wanted = Set.copyOf(partitions);
    List<DocHit> out = new ArrayList<>();
    for (String id : new LinkedHashSet<>(ids)) {
      Long loc = v.locate(id);
      if (loc == null) {
        continue;
      }
      LoadedSegment seg = v.segmentOf(loc);
      if (!wanted.isEmpty() && !wanted.contains(seg.partition())) {
        continue;
      }
      out.add(source.hit(seg, LoadedVersion.ordinalOf(loc), 0f, null));
    }
    return out;
  }
}
