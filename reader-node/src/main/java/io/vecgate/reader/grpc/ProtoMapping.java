package io.vecgate.reader.grpc;

import io.vecgate.engine.column.TermOperator;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.protocol.reader.FieldVector;
import io.vecgate.protocol.reader.Filter;
import io.vecgate.protocol.reader.Hit;
import io.vecgate.protocol.reader.QueryHits;
import io.vecgate.protocol.reader.RangeFilter;
import io.vecgate.protocol.reader.SearchRequest;
import io.vecgate.protocol.reader.TermFilter;
import io.vecgate.protocol.reader.VectorQuery;
import io.vecgate.reader.search.DocHit;
import io.vecgate.reader.search.FilterSpec;
import io.vecgate.reader.search.SearchPlan;
import io.vecgate.reader.version.LoadedVersion;
import java.util.ArrayList;
import java.util.List;

/** Proto messages to and from the plain search layer. */
final class ProtoMapping {

  private ProtoMapping() {}

  /**
   * The checked plan of a request on {@code v}: its {@code vector_queries}, or, from a gateway
   * that does not send them, the one field of {@code field}/{@code queries} with weight 1. Each
   * hit carries the entries' own scores when there are several entries or any has bounds (the
   * gateway applies the bounds with them). This is the reader's one check of a search
   * ({@link SearchPlan.Draft#check}); past it the engine only asserts.
   *
   * @throws IllegalArgumentException for a request that does not fit the version (the message names what)
   */
  static SearchPlan plan(SearchRequest r, LoadedVersion v) {
    List<SearchPlan.FieldQuery> sum = new ArrayList<>();
    boolean bounds = false;
    if (r.getVectorQueriesCount() == 0) {
      sum.add(fieldQuery(r.getField(), r.getDimension(), r.getQueriesList(), 0f));
    } else {
      for (VectorQuery q : r.getVectorQueriesList()) {
        if (q.getField().isEmpty()) {
          throw new IllegalArgumentException("a vector query must name its field; " + v.key() + " has "
              + v.vectorFieldNames());
        }
        sum.add(fieldQuery(q.getField(), q.getDimension(), q.getQueriesList(), q.getWeight()));
        bounds |= q.hasMinScore() || q.hasMaxScore();
      }
    }
    SearchParams params = new SearchParams(r.getNprobe(), r.getEf(), r.getQuick(), r.getRerankFactor(), r.getExact());
    List<FilterSpec> filters = new ArrayList<>(r.getFiltersCount());
    for (Filter f : r.getFiltersList()) {
      filters.add(filter(f));
    }
    List<String> fields = r.getAllFields_() || r.getFieldsCount() == 0 ? null : r.getFieldsList();
    return new SearchPlan.Draft(r.getPartitionsList(), sum, r.getK(), params, filters, fields, r.getVectorValue(),
        r.getL2Sqrt(), sum.size() > 1 || bounds).check(v);
  }

  /** One entry as sent; an empty field means the version's first vector field, weight 0 means 1. */
  private static SearchPlan.FieldQuery fieldQuery(String field, int dimension, List<Float> queries, float weight) {
    float[] vectors = new float[queries.size()];
    for (int j = 0; j < vectors.length; j++) {
      vectors[j] = queries.get(j);
    }
    return new SearchPlan.FieldQuery(field.isEmpty() ? null : field, dimension, vectors, weight == 0f ? 1f : weight);
  }

  static FilterSpec filter(Filter f) {
    return switch (f.getKindCase()) {
      case RANGE -> {
        RangeFilter r = f.getRange();
        yield new FilterSpec.RangeFilter(r.getField(), r.hasGt() ? r.getGt() : null, r.hasGte() ? r.getGte() : null,
            r.hasLt() ? r.getLt() : null, r.hasLte() ? r.getLte() : null);
      }
      case TERM -> {
        TermFilter t = f.getTerm();
        TermOperator op = t.getOperator().isEmpty() ? TermOperator.OR : TermOperator.parse(t.getOperator());
        yield new FilterSpec.TermFilter(t.getField(), t.getValuesList(), op);
      }
      case KIND_NOT_SET -> throw new IllegalArgumentException("a filter must be a range or a term");
    };
  }

  /**
   * The proto of a hit. For a request of an older gateway ({@code legacy}: no
   * {@code vector_queries}, so a space of one vector field) the vector also goes where such a
   * gateway reads it, {@code Hit.vector}.
   */
  static Hit hit(DocHit d, boolean legacy) {
    Hit.Builder b = Hit.newBuilder().setSeq(d.seq()).setScore(d.score()).setId(d.id()).setSourceJson(d.sourceJson());
    if (legacy && !d.vectors().isEmpty()) {
      for (float x : d.vectors().values().iterator().next()) {
        b.addVector(x);
      }
    }
    d.vectors().forEach((field, values) -> {
      FieldVector.Builder fv = FieldVector.newBuilder().setField(field);
      for (float x : values) {
        fv.addValues(x);
      }
      b.addVectors(fv);
    });
    if (d.fieldScores() != null) {
      for (float x : d.fieldScores()) {
        b.addFieldScores(x);
      }
    }
    return b.build();
  }

  /** @param legacy see {@link #hit} */
  static QueryHits queryHits(List<DocHit> hits, boolean legacy) {
    QueryHits.Builder b = QueryHits.newBuilder();
    hits.forEach(h -> b.addHits(hit(h, legacy)));
    return b.build();
  }
}
