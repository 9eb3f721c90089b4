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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Searches a loaded version: per segment, the allowed ordinals (live AND filters), one batched
 * index search, ordinals mapped to engine ids and public scores; then per query the top k over
 * segments and partitions ({@link TopKMerge}), and the {@code _source} of each hit.
 *
 * <h2>Scores</h2>
 * A query has one {@code query.sum} entry per vector field it searches, each with its query
 * vector and a weight w (the {@code boost}, default 1). The score of field f for a document is
 * the field's public score ({@link Metric#toScore}: the squared L2 distance, or the plain one
 * with {@code l2Sqrt}; the inner product; the cosine similarity), and a hit's score is
 * {@code sum over the entries of w_f x score_f}, which ranks as the metric does (all weights are
 * positive, every field has the space's metric: smaller is better for L2, larger for the others).
 * <ul>
 *   <li>One entry: the hits are the k best documents by the field's score as its index finds
 *       them (the index's own scores, exact unless {@code quick} on a quantised index), each
 *       scored {@code w x score}. This path is the plain single-field search.</li>
 *   <li>Several entries: in each partition, each field's index gives its own k best documents
 *       (with the filters); every document of the union of those candidates is scored exactly
 *       on every field from the stored raw vectors, and the partition keeps its k best by the
 *       weighted sum; the answer is the k best of all partitions. A candidate set is per
 *       partition, not per segment, so merges inside a partition never change an answer.</li>
 * </ul>
 * Bounds on a field's score ({@code min_score}, {@code max_score}) are not applied here: with
 * {@link SearchQuery#fieldScores()} each hit carries every entry's own (unweighted) score, and
 * the gateway drops hits outside the bounds after its global top k.
 *
 * <p>Three steps so that a caller can run partitions in parallel: {@link #prepare} (checks the
 * request against the schema), {@link #searchPartition} (pure engine work, one partition), and
 * {@link #merge}. {@link #search} does all three on the calling thread. The caller holds the
 * version ({@link LoadedVersion#acquire()}) for the whole time. Blocking and CPU-bound.
 */
public final class VersionSearcher {

  private VersionSearcher() {}

  /** One {@code query.sum} entry checked against a version. */
  private static final class Entry {
    /** Position of the field in {@link LoadedVersion#vectorFields()}. */
    final int field;
    final float[][] vectors;
    final float weight;
    /** The queries as {@link io.vecgate.engine.segment.SegmentField#distance} takes them (several entries only). */
    float[][] prepared;

    Entry(int field, float[][] vectors, float weight) {
      this.field = field;
      this.vectors = vectors;
      this.weight = weight;
    }
  }

  /** A request checked against a version: ready to run. */
  public static final class Prepared {
    final LoadedVersion version;
    final SearchQuery query;
    final Entry[] entries;
    final int nq;
    final int[] k;
    final List<Integer> partitions;
    final SourceBuilder source;

    private Prepared(LoadedVersion version, SearchQuery query, Entry[] entries, int nq, int[] k,
                     List<Integer> partitions, SourceBuilder source) {
      this.version = version;
      this.query = query;
      this.entries = entries;
      this.nq = nq;
      this.k = k;
      this.partitions = partitions;
      this.source = source;
    }

    /** The partitions to search, in order. */
    public List<Integer> partitions() {
      return partitions;
    }

    /** Number of queries. */
    public int nq() {
      return nq;
    }

    /** Hits wanted by query {@code i}. */
    public int k(int i) {
      return k[i];
    }

    /** The version searched. */
    public LoadedVersion version() {
      return version;
    }
  }

  /**
   * A hit of one partition with where it lives, so the merged winners can be looked up.
   *
   * @param fieldScores each entry's own score, or null when the query does not ask for them
   */
  private record Candidate(Hit hit, LoadedSegment segment, int ordinal, float[] fieldScores) {}

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
   * @throws IllegalArgumentException for a bad k, no entry, an unknown or repeated vector field, a
   *     vector length that is not a multiple of the field's dimension, entries of different nq, a
   *     weight that is not a positive number, a partition that does not exist, or unknown filter
   *     or projection fields (named)
   */
  public static Prepared prepare(LoadedVersion v, SearchQuery q) {
    if (q.k() < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + q.k());
    }
    if (q.sum().isEmpty()) {
      throw new IllegalArgumentException("no query vectors: give one entry per vector field searched, of "
          + v.vectorFieldNames());
    }
    Entry[] entries = new Entry[q.sum().size()];
    Set<Integer> seen = new HashSet<>();
    int nq = -1;
    for (int e = 0; e < entries.length; e++) {
      SearchQuery.FieldQuery fq = q.sum().get(e);
      int field = fq.field() == null ? 0 : v.vectorFieldIndex(fq.field());
      if (field < 0) {
        throw new IllegalArgumentException("'" + fq.field() + "' is not a vector field of " + v.key() + "; its vector fields: "
            + v.vectorFieldNames());
      }
      String name = v.vectorFields().get(field).name();
      if (!seen.add(field)) {
        throw new IllegalArgumentException("vector field '" + name + "' is given twice; one entry per field");
      }
      int dim = v.vectorFields().get(field).dimension();
      if (fq.vectors().length == 0 || fq.vectors().length % dim != 0) {
        throw new IllegalArgumentException("queries of " + name + " must be nq * " + dim + " floats (its dimension), got "
            + fq.vectors().length);
      }
      int n = fq.vectors().length / dim;
      if (nq >= 0 && n != nq) {
        throw new IllegalArgumentException("every entry needs the same number of query vectors: "
            + v.vectorFields().get(entries[0].field).name() + " has " + nq + ", " + name + " has " + n);
      }
      nq = n;
      if (!(fq.weight() > 0) || !Float.isFinite(fq.weight())) {
        throw new IllegalArgumentException("the weight of " + name + " must be a finite number > 0, got " + fq.weight());
      }
      float[][] vectors = new float[n][];
      for (int i = 0; i < n; i++) {
        vectors[i] = Arrays.copyOfRange(fq.vectors(), i * dim, (i + 1) * dim);
        // Checked here, not only in the engine, so that a merged batch never fails for one bad query.
        for (int j = 0; j < dim; j++) {
          if (!Float.isFinite(vectors[i][j])) {
            throw new IllegalArgumentException("query " + i + " of " + name + ": component " + j + " is "
                + vectors[i][j] + "; must be finite");
          }
        }
      }
      entries[e] = new Entry(field, vectors, fq.weight());
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
    if (entries.length > 1) {
      prepareExact(v, entries);
    }
    int[] k = new int[nq];
    Arrays.fill(k, q.k());
    return new Prepared(v, q, entries, nq, k, List.copyOf(parts), SourceBuilder.of(v, q.fields(), q.vectorValue()));
  }

  /**
   * One batch of the queries of several requests prepared on the same version that differ only in
   * their query vectors and k (a merged batch): the queries one after the other in the order of
   * {@code members}, each keeping its own k. Every query's answer is the one it gets alone: the
   * engine answers each query of a batch as it would answer it alone, and the per-partition
   * candidates and merges are per query.
   *
   * @throws IllegalArgumentException when the members do not share the version, the entries (fields
   *     and weights), the partitions and every other parameter
   */
  public static Prepared combine(List<Prepared> members) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("nothing to combine");
    }
    Prepared first = members.getFirst();
    if (members.size() == 1) {
      return first;
    }
    int nq = 0;
    for (Prepared m : members) {
      if (m.version != first.version || !m.partitions.equals(first.partitions)
          || !sameShape(m.query, first.query) || m.entries.length != first.entries.length) {
        throw new IllegalArgumentException("only searches that differ in their vectors and k combine");
      }
      for (int e = 0; e < first.entries.length; e++) {
        if (m.entries[e].field != first.entries[e].field || m.entries[e].weight != first.entries[e].weight) {
          throw new IllegalArgumentException("only searches of the same fields and weights combine");
        }
      }
      nq += m.nq;
    }
    Entry[] entries = new Entry[first.entries.length];
    for (int e = 0; e < entries.length; e++) {
      float[][] vectors = new float[nq][];
      float[][] prepared = first.entries[e].prepared == null ? null : new float[nq][];
      int at = 0;
      for (Prepared m : members) {
        System.arraycopy(m.entries[e].vectors, 0, vectors, at, m.nq);
        if (prepared != null) {
          System.arraycopy(m.entries[e].prepared, 0, prepared, at, m.nq);
        }
        at += m.nq;
      }
      entries[e] = new Entry(first.entries[e].field, vectors, first.entries[e].weight);
      entries[e].prepared = prepared;
    }
    int[] k = new int[nq];
    int at = 0;
    for (Prepared m : members) {
      System.arraycopy(m.k, 0, k, at, m.nq);
      at += m.nq;
    }
    return new Prepared(first.version, first.query, entries, nq, k, first.partitions, first.source);
  }

  /** Whether two queries ask for the same work but for their vectors and k. */
  private static boolean sameShape(SearchQuery a, SearchQuery b) {
    return a.params().equals(b.params()) && a.filters().equals(b.filters()) && Objects.equals(a.fields(), b.fields())
        && a.vectorValue() == b.vectorValue() && a.l2Sqrt() == b.l2Sqrt() && a.fieldScores() == b.fieldScores();
  }

  /** Normalises the queries of every entry for cosine, once, for the exact scoring. */
  private static void prepareExact(LoadedVersion v, Entry[] entries) {
    for (Entry e : entries) {
      e.prepared = new float[e.vectors.length][];
      for (int i = 0; i < e.vectors.length; i++) {
        float[] q = e.vectors[i];
        if (v.manifest().metric().normalises()) {
          q = q.clone();
          Metric.normalise(q, 0, q.length);
        }
        e.prepared[i] = q;
      }
    }
  }

  /** Searches every segment of one partition. */
  public static PartitionHits searchPartition(Prepared p, int partition) {
    return p.entries.length == 1 ? searchOneField(p, partition) : searchFields(p, partition);
  }

  /** One entry: the field's index answers, scaled by the weight. */
  private static PartitionHits searchOneField(Prepared p, int partition) {
    Metric metric = p.version.manifest().metric();
    Entry e = p.entries[0];
    boolean l2Sqrt = p.query.l2Sqrt();
    boolean fieldScores = p.query.fieldScores();
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
      Neighbors[] answers = seg.field(e.field).search(e.vectors, p.k, p.query.params(), allowed);
      for (int i = 0; i < answers.length; i++) {
        Neighbors n = answers[i];
        List<Candidate> out = perQuery.get(i);
        for (int j = 0; j < n.size(); j++) {
          int ord = n.ordinal(j);
          float score = metric.toScore(n.distance(j), l2Sqrt);
          float weighted = e.weight == 1f ? score : (float) ((double) e.weight * score);
          out.add(new Candidate(new Hit(seg.reader().id(ord), weighted), seg, ord,
              fieldScores ? new float[] {score} : null));
        }
      }
    }
    return new PartitionHits(perQuery);
  }

  /**
   * Several entries: per query, the partition's k best documents of each field (by the index's
   * scores), their union scored exactly on every field, and its k best by the weighted sum.
   */
  private static PartitionHits searchFields(Prepared p, int partition) {
    Metric metric = p.version.manifest().metric();
    ScoreOrder order = ScoreOrder.of(metric);
    boolean l2Sqrt = p.query.l2Sqrt();
    int fields = p.entries.length;
    // byField[f][q]: the candidates of field f for query q over the partition's segments.
    List<List<List<Candidate>>> byField = new ArrayList<>(fields);
    for (int f = 0; f < fields; f++) {
      List<List<Candidate>> perQuery = new ArrayList<>(p.nq());
      for (int i = 0; i < p.nq(); i++) {
        perQuery.add(new ArrayList<>());
      }
      byField.add(perQuery);
    }
    for (LoadedSegment seg : p.version.segments(partition)) {
      if (seg.size() == 0) {
        continue;
      }
      FixedBitSet allowed = allowed(seg, p.query.filters());
      if (allowed != null && allowed.cardinality() == 0) {
        continue;
      }
      for (int f = 0; f < fields; f++) {
        Entry e = p.entries[f];
        Neighbors[] answers = seg.field(e.field).search(e.vectors, p.k, p.query.params(), allowed);
        for (int i = 0; i < answers.length; i++) {
          Neighbors n = answers[i];
          List<Candidate> out = byField.get(f).get(i);
          for (int j = 0; j < n.size(); j++) {
            int ord = n.ordinal(j);
            out.add(new Candidate(new Hit(seg.reader().id(ord), metric.toScore(n.distance(j), l2Sqrt)), seg, ord, null));
          }
        }
      }
    }
    Comparator<Candidate> best = Comparator.comparing(Candidate::hit, order.comparator());
    List<List<Candidate>> perQuery = new ArrayList<>(p.nq());
    for (int i = 0; i < p.nq(); i++) {
      Map<Long, Candidate> union = new LinkedHashMap<>();
      for (int f = 0; f < fields; f++) {
        List<Candidate> cs = byField.get(f).get(i);
        cs.sort(best);
        for (Candidate c : cs.subList(0, Math.min(p.k[i], cs.size()))) {
          union.putIfAbsent(c.hit().id(), c);
        }
      }
      List<Candidate> scored = new ArrayList<>(union.size());
      for (Candidate c : union.values()) {
        float[] own = new float[fields];
        double sum = 0;
        for (int f = 0; f < fields; f++) {
          Entry e = p.entries[f];
          own[f] = metric.toScore(c.segment().field(e.field).distance(e.prepared[i], c.ordinal()), l2Sqrt);
          sum += (double) e.weight * own[f];
        }
        scored.add(new Candidate(new Hit(c.hit().id(), (float) sum), c.segment(), c.ordinal(),
            p.query.fieldScores() ? own : null));
      }
      scored.sort(best);
      perQuery.add(new ArrayList<>(scored.subList(0, Math.min(p.k[i], scored.size()))));
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
      List<Hit> top = TopKMerge.merge(lists, p.k[i], order);
      List<DocHit> docs = new ArrayList<>(top.size());
      for (Hit h : top) {
        Candidate c = bySeq.get(h.id());
        docs.add(p.source.hit(c.segment(), c.ordinal(), h.score(), c.fieldScores()));
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
      out.add(source.hit(seg, LoadedVersion.ordinalOf(loc), 0f, null));
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
