package io.vecgate.reader.grpc;

import io.vecgate.common.rpc.Filter;
import io.vecgate.common.rpc.Hit;
import io.vecgate.common.rpc.QueryHits;
import io.vecgate.common.rpc.RangeFilter;
import io.vecgate.common.rpc.SearchRequest;
import io.vecgate.common.rpc.TermFilter;
import io.vecgate.engine.column.TermOperator;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.reader.search.DocHit;
import io.vecgate.reader.search.FilterSpec;
import io.vecgate.reader.search.SearchQuery;
import io.vecgate.reader.version.LoadedVersion;
import java.util.ArrayList;
import java.util.List;

/** Proto messages to and from the plain search layer. */
final class ProtoMapping {

  private ProtoMapping() {}

  /**
   * The plain query of a request on {@code v}.
   *
   * @throws IllegalArgumentException for a vector field or dimension that is not the version's, or a bad parameter
   */
  static SearchQuery query(SearchRequest r, LoadedVersion v) {
    if (!r.getField().isEmpty() && !r.getField().equals(v.vectorField())) {
      throw new IllegalArgumentException("field '" + r.getField() + "' is not the vector field of " + v.key()
          + " ('" + v.vectorField() + "')");
    }
    if (r.getDimension() != 0 && r.getDimension() != v.dimension()) {
      throw new IllegalArgumentException("dimension " + r.getDimension() + " does not match the " + v.dimension()
          + " of " + v.vectorField());
    }
    float[] vectors = new float[r.getQueriesCount()];
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = r.getQueries(i);
    }
    SearchParams params = new SearchParams(r.getNprobe(), r.getEf(), r.getQuick(), r.getRerankFactor(), r.getExact());
    List<FilterSpec> filters = new ArrayList<>(r.getFiltersCount());
    for (Filter f : r.getFiltersList()) {
      filters.add(filter(f));
    }
    List<String> fields = r.getAllFields_() || r.getFieldsCount() == 0 ? null : r.getFieldsList();
    return new SearchQuery(r.getPartitionsList(), vectors, r.getK(), params, filters, fields, r.getVectorValue(),
        r.getL2Sqrt());
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

  static Hit hit(DocHit d) {
    Hit.Builder b = Hit.newBuilder().setSeq(d.seq()).setScore(d.score()).setId(d.id()).setSourceJson(d.sourceJson());
    if (d.vector() != null) {
      for (float x : d.vector()) {
        b.addVector(x);
      }
    }
    return b.build();
  }

  static QueryHits queryHits(List<DocHit> hits) {
    QueryHits.Builder b = QueryHits.newBuilder();
    hits.forEach(h -> b.addHits(hit(h)));
    return b.build();
  }
}
