package io.vecgate.reader.search;

import io.vecgate.engine.column.ColumnReader;
import io.vecgate.engine.column.Filters;
import io.vecgate.engine.column.Range;
import io.vecgate.engine.merge.Hit;
import io.vecgate.engine.merge.ScoreOrder;
import io.vecgate.engine.merge.TopKMerge;
import io.vecgate.engine.search.FixedBitSet;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.vector.Metric;
import io.vecgate.reader.version.LoadedSegment;
import io.vecgate.reader.version.LoadedVersion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Searches a loaded version: per segment, the allowed ordinals (live AND filters), one batched
 * index search, ordinals mapped to engine ids and public scores; then per query the top k over
 * segments and partitions ({@link TopKMerge}), and the {@code _source} of each hit.
 *
 * <p>Three steps so that a caller can run partitions in parallel: {@link #prepare} (checks the
 * request against the schema), {@link #searchPartition} (pure engine work, one partition), and
 * {@link #merge}. {@link #search} does all three on the calling thread. The caller holds the
 * version ({@link LoadedVersion#acquire()}) for the whole time. Blocking and CPU-bound.
 */
public final class VersionSearcher {

  private VersionSearcher() {}

  /** A request checked against a version: ready to run. */
  public static final class Prepared {
    final LoadedVersion version;
    final SearchQuery query;
    final float[][] vectors;
    final int[] k;
    final List<Integer> partitions;
    final SourceBuilder source;

    private Prepared(LoadedVersion version, SearchQuery query, float[][] vectors, List<Integer> partitions,
                     SourceBuilder source) {
      this.version = version;
      this.query = query;
      this.vectors = vectors;
      this.k = new int[vectors.length];
      Arrays.fill(k, query.k());
      this.partitions = partitions;
      this.source = source;
    }

    /** The partitions to search, in order. */
    public List<Integer> partitions() {
      return partitions;
    }

    /** Number of queries. */
    public int nq() {
      return vectors.length;
    }
  }

  /** A hit of one partition with where it lives, so the merged winners can be looked up. */
  private record Candidate(Hit hit, LoadedSegment segment, int ordinal) {}

  /** The answers of one partition: per query, its hits (at most k, any order). */
  public static final class PartitionHits {
    private final List<List<Candidate>> perQuery;

    private PartitionHits(List<List<Candidate>> perQuery) {
      this.perQuery = perQuery;
    }
  }

  /**
   * Checks {@code q} against {@code v}.
   *
   * @throws IllegalArgumentException for a bad k, a vector length that is not a multiple of the
   *     dimension, a partition that does not exist, or unknown filter or projection fields (named)
   */
  public static Prepared prepare(LoadedVersion v, SearchQuery q) {
    if (q.k() < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + q.k());
    }
    int dim = v.dimension();
    if (q.vectors().length == 0 || q.vectors().length % dim != 0) {
      throw new IllegalArgumentException("queries must be nq * " + dim + " floats (the dimension of "
          + v.vectorField() + "), got " + q.vectors().length);
    }
    List<String> unknown = new ArrayList<>();
    for (FilterSpec f : q.filters()) {
      if (!v.scalarFields().containsKey(f.field())) {
        unknown.add(f.field());
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown filter fields " + unknown + "; space " + v.key().space()
          + " has " + v.scalarFields().keySet());
    }
    Set<Integer> parts = new LinkedHashSet<>();
    if (q.partitions().isEmpty()) {
      for (int p = 0; p < v.partitionCount(); p++) {
        parts.add(p);
      }
    } else {
      for (int p : q.partitions()) {
        if (p < 0 || p >= v.partitionCount()) {
          throw new IllegalArgumentException("partition " + p + " does not exist; " + v.key() + " has partitions 0.."
              + (v.partitionCount() - 1));
        }
        parts.add(p);
      }
    }
    int nq = q.vectors().length / dim;
    float[][] vectors = new float[nq][];
    for (int i = 0; i < nq; i++) {
      vectors[i] = Arrays.copyOfRange(q.vectors(), i * dim, (i + 1) * dim);
    }
    return new Prepared(v, q, vectors, List.copyOf(parts), SourceBuilder.of(v, q.fields(), q.vectorValue()));
  }

  /** Searches every segment of one partition. */
  public static PartitionHits searchPartition(Prepared p, int partition) {
    Metric metric = p.version.manifest().metric();
    List<List<Candidate>> perQuery = new ArrayList<>(p.nq());
    for (int i = 0; i < p.nq(); i++) {
      perQuery.add(new ArrayList<>());
    }
    for (LoadedSegment seg : p.version.segments(partition)) {
      if (seg.size() == 0) {
        continue;
      }
      FixedBitSet allowed = allowed(seg, p.query.filters());
      if (allowed != null && allowed.cardinality() == 0) {
        continue;
      }
      Neighbors[] answers = seg.reader().index().search(p.vectors, p.k, p.query.params(), allowed);
      for (int i = 0; i < answers.length; i++) {
        Neighbors n = answers[i];
        List<Candidate> out = perQuery.get(i);
        for (int j = 0; j < n.size(); j++) {
          int ord = n.ordinal(j);
          out.add(new Candidate(new Hit(seg.reader().id(ord), metric.toScore(n.distance(j), p.query.l2Sqrt())),
              seg, ord));
        }
      }
    }
    return new PartitionHits(perQuery);
  }

  /** The top k of each query over {@code parts}, with the projected sources. */
  public static List<List<DocHit>> merge(Prepared p, List<PartitionHits> parts) {
    ScoreOrder order = ScoreOrder.of(p.version.manifest().metric());
    List<List<DocHit>> out = new ArrayList<>(p.nq());
    for (int i = 0; i < p.nq(); i++) {
      List<List<Hit>> lists = new ArrayList<>(parts.size());
      Map<Long, Candidate> bySeq = new HashMap<>();
      for (PartitionHits ph : parts) {
        List<Candidate> cs = ph.perQuery.get(i);
        List<Hit> hits = new ArrayList<>(cs.size());
        for (Candidate c : cs) {
          hits.add(c.hit());
          bySeq.putIfAbsent(c.hit().id(), c);
        }
        lists.add(hits);
      }
      List<Hit> top = TopKMerge.merge(lists, p.query.k(), order);
      List<DocHit> docs = new ArrayList<>(top.size());
      for (Hit h : top) {
        Candidate c = bySeq.get(h.id());
        docs.add(p.source.hit(c.segment(), c.ordinal(), h.score()));
      }
      out.add(docs);
    }
    return out;
  }

  /** {@link #prepare}, every partition, {@link #merge}, on this thread. */
  public static List<List<DocHit>> search(LoadedVersion v, SearchQuery q) {
    Prepared p = prepare(v, q);
    List<PartitionHits> parts = new ArrayList<>();
    for (int partition : p.partitions()) {
      parts.add(searchPartition(p, partition));
    }
    return merge(p, parts);
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
      out.add(source.hit(seg, LoadedVersion.ordinalOf(loc), 0f));
    }
    return out;
  }

  /** Live AND every filter, or {@code null} when every ordinal is allowed. */
  static FixedBitSet allowed(LoadedSegment seg, List<FilterSpec> filters) {
    FixedBitSet bits = seg.live() == null ? null : seg.live();
    for (FilterSpec f : filters) {
      ColumnReader col = seg.reader().column(f.field());
      FixedBitSet match = switch (f) {
        case FilterSpec.RangeFilter r -> Filters.range(col, range(r));
        case FilterSpec.TermFilter t -> Filters.term(col, t.values(), t.operator());
      };
      // Filters.and copies, so the version's shared live set is never modified.
      bits = bits == null ? match : Filters.and(bits, match);
    }
    return bits;
  }

  private static Range range(FilterSpec.RangeFilter r) {
    Range range = Range.all();
    if (r.gt() != null) {
      range = range.gt(r.gt());
    }
    if (r.gte() != null) {
      range = range.gte(r.gte());
    }
    if (r.lt() != null) {
      range = range.lt(r.lt());
    }
    if (r.lte() != null) {
      range = range.lte(r.lte());
    }
    return range;
  }
}
