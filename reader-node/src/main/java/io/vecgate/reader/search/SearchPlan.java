package io.vecgate.reader.search;

import io.vecgate.engine.search.SearchParams;
import io.vecgate.reader.version.LoadedVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * A search checked against the version it runs on: the reader's one check of the network's input.
 * A {@link Draft} (what was asked, as decoded from a {@code Search} or built by a caller) becomes
 * a plan only through {@link Draft#check}, which refuses what does not fit the version; past it,
 * the strategies and the engine only assert. A plan holds the version's resolved vector fields,
 * the query vectors one array each, the k of each query, the partitions, and the projection.
 *
 * <p>Plans of the same {@link Shape} (everything but the vectors and k) run as one engine batch:
 * {@link #combine} puts them one after the other, each query keeping its own k.
 */
public final class SearchPlan {

  /**
   * One {@code query.sum} entry as asked.
   *
   * @param field the vector field, or {@code null} for the version's first one
   * @param dimension the dimension the caller says the vectors have, 0 when it does not say
   * @param vectors the query vectors, {@code nq * dimension} floats one after the other
   * @param weight the factor of the field's score in the hit's score ({@code boost}), > 0
   */
  public record FieldQuery(String field, int dimension, float[] vectors, float weight) {

    /** An entry that does not state its dimension. */
    public FieldQuery(String field, float[] vectors, float weight) {
      this(field, 0, vectors, weight);
    }

    /** Queries of {@code field} with weight 1. */
    public static FieldQuery of(String field, float[] vectors) {
      return new FieldQuery(field, vectors, 1f);
    }
  }

  /**
   * A search as asked, not yet checked: a batch of queries on one version sharing every parameter.
   *
   * @param partitions the partitions to search; empty for all of them
   * @param sum the {@code query.sum} entries, at most one per vector field, each with the same
   *     number of query vectors nq; a hit's score is the weighted sum of its fields' scores (see
   *     {@link VersionSearcher})
   * @param k hits wanted per query, >= 1
   * @param params index knobs (nprobe, ef, quick, exact, rerank factor)
   * @param filters ANDed predicates on scalar fields
   * @param fields the {@code _source} projection: {@code null} for every scalar field, empty for none;
   *     naming a vector field returns its vector
   * @param vectorValue whether each hit carries the stored vector of every vector field (unit length for cosine)
   * @param l2Sqrt L2 scores as plain instead of squared distances
   * @param fieldScores whether each hit carries every entry's own score ({@link DocHit#fieldScores()})
   */
  public record Draft(List<Integer> partitions, List<FieldQuery> sum, int k, SearchParams params,
                      List<FilterSpec> filters, List<String> fields, boolean vectorValue, boolean l2Sqrt,
                      boolean fieldScores) {

    public Draft {
      partitions = List.copyOf(partitions);
      sum = List.copyOf(sum);
      filters = List.copyOf(filters);
      fields = fields == null ? null : List.copyOf(fields);
    }

    public Draft withPartitions(List<Integer> v) {
      return new Draft(v, sum, k, params, filters, fields, vectorValue, l2Sqrt, fieldScores);
    }

    public Draft withParams(SearchParams v) {
      return new Draft(partitions, sum, k, v, filters, fields, vectorValue, l2Sqrt, fieldScores);
    }

    public Draft withFilters(List<FilterSpec> v) {
      return new Draft(partitions, sum, k, params, v, fields, vectorValue, l2Sqrt, fieldScores);
    }

    public Draft withFields(List<String> v) {
      return new Draft(partitions, sum, k, params, filters, v, vectorValue, l2Sqrt, fieldScores);
    }

    public Draft withVectorValue(boolean v) {
      return new Draft(partitions, sum, k, params, filters, fields, v, l2Sqrt, fieldScores);
    }

    public Draft withL2Sqrt(boolean v) {
      return new Draft(partitions, sum, k, params, filters, fields, vectorValue, v, fieldScores);
    }

    public Draft withFieldScores(boolean v) {
      return new Draft(partitions, sum, k, params, filters, fields, vectorValue, l2Sqrt, v);
    }

    /**
     * The plan of this search on {@code v}.
     *
     * @throws IllegalArgumentException naming what does not fit: k below 1, no entry, an unknown or
     *     repeated vector field, a stated dimension that is not the field's, a vector length that
     *     is not a multiple of it, entries of different nq, a weight that is not a finite number
     *     above 0, a non-finite component, unknown filter fields, a partition that does not exist,
     *     or unknown projection fields
     */
    public SearchPlan check(LoadedVersion v) {
      return PlanCheck.check(v, this);
    }
  }

  /**
   * Everything of a plan but its query vectors and k: plans of equal shape run as one engine
   * batch. The version compares by identity (a space dropped and created again may reuse a
   * version number); the rest by value and in order.
   *
   * @param partitions the partitions searched, resolved (never empty)
   * @param sum each entry's field (its position in {@link LoadedVersion#vectorFields()}) and weight
   */
  public record Shape(LoadedVersion version, List<Integer> partitions, List<FieldShape> sum, SearchParams params,
                      List<FilterSpec> filters, List<String> fields, boolean vectorValue, boolean l2Sqrt,
                      boolean fieldScores) {}

  /** One entry of a {@link Shape}. */
  public record FieldShape(int field, float weight) {}

  /**
   * One checked entry.
   *
   * @param field its position in {@link LoadedVersion#vectorFields()}
   * @param vectors the query vectors, one array of the field's dimension each
   * @param prepared the queries as {@link io.vecgate.engine.segment.SegmentField#distance} takes them
   *     (several entries only: their exact scoring), else null
   */
  record Entry(int field, float[][] vectors, float weight, float[][] prepared) {}

  private final Shape shape;
  private final List<Entry> entries;
  private final int nq;
  private final int[] k;
  private final SourceBuilder source;

  SearchPlan(Shape shape, List<Entry> entries, int nq, int[] k, SourceBuilder source) {
    this.shape = shape;
    this.entries = List.copyOf(entries);
    this.nq = nq;
    this.k = k;
    this.source = source;
  }

  /** A plain top-k search of the version's first vector field over every partition, returning every scalar field. */
  public static Draft query(float[] vectors, int k) {
    return query(List.of(new FieldQuery(null, vectors, 1f)), k);
  }

  /** A plain top-k search of {@code sum} over every partition, returning every scalar field. */
  public static Draft query(List<FieldQuery> sum, int k) {
    return new Draft(List.of(), sum, k, SearchParams.DEFAULTS, List.of(), null, false, false, false);
  }

  /**
   * One plan of the queries of several plans of the same shape (a merged batch): the queries one
   * after the other in the order of {@code members}, each keeping its own k. Every query's answer
   * is the one it gets alone: the engine answers each query of a batch as it would answer it
   * alone, and the per-partition candidates and the top k are per query.
   *
   * @throws IllegalArgumentException when the members' shapes differ
   */
  public static SearchPlan combine(List<SearchPlan> members) {
    SearchPlan first = members.getFirst();
    if (members.size() == 1) {
      return first;
    }
    int nq = 0;
    for (SearchPlan m : members) {
      if (!m.shape.equals(first.shape)) {
        throw new IllegalArgumentException("only searches that differ in their vectors and k combine");
      }
      nq += m.nq;
    }
    List<Entry> entries = new ArrayList<>(first.entries.size());
    for (int e = 0; e < first.entries.size(); e++) {
      float[][] vectors = new float[nq][];
      float[][] prepared = first.entries.get(e).prepared() == null ? null : new float[nq][];
      int at = 0;
      for (SearchPlan m : members) {
        System.arraycopy(m.entries.get(e).vectors(), 0, vectors, at, m.nq);
        if (prepared != null) {
          System.arraycopy(m.entries.get(e).prepared(), 0, prepared, at, m.nq);
        }
        at += m.nq;
      }
      entries.add(new Entry(first.entries.get(e).field(), vectors, first.entries.get(e).weight(), prepared));
    }
    int[] k = new int[nq];
    int at = 0;
    for (SearchPlan m : members) {
      System.arraycopy(m.k, 0, k, at, m.nq);
      at += m.nq;
    }
    return new SearchPlan(first.shape, entries, nq, k, first.source);
  }

  /** What plans must share to run as one batch. */
  public Shape shape() {
    return shape;
  }

  /** The version searched; the caller holds it ({@link LoadedVersion#acquire()}) while the plan runs. */
  public LoadedVersion version() {
    return shape.version();
  }

  /** The partitions to search, in order. */
  public List<Integer> partitions() {
    return shape.partitions();
  }

  /** Number of queries. */
  public int nq() {
    return nq;
  }

  /** Hits wanted by query {@code i} (every query of one request's plan wants the same). */
  public int k(int i) {
    return k[i];
  }

  List<Entry> entries() {
    return entries;
  }

  /** The k of every query, as the engine takes them. */
  int[] ks() {
    return k;
  }

  SourceBuilder source() {
    return source;
  }
}
