package io.vecgate.gateway.milvus;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.engine.topk.HitKey;
import io.vecgate.engine.topk.ScoreOrder;
import io.vecgate.engine.topk.TopKReduce;
import io.vecgate.gateway.milvus.MilvusCollections.Collection;
import io.vecgate.gateway.search.SearchCoordinator;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.protocol.reader.Filter;
import io.vecgate.protocol.reader.Hit;
import io.vecgate.protocol.reader.RangeFilter;
import io.vecgate.space.FieldSpec;
import io.vecgate.space.FieldType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vecgate.gateway.readers.RetryLaterException;
import io.vecgate.protocol.api.ApiException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Milvus searches and queries on vecgate's read path: each conjunction of the filter expression
 * ({@link MilvusExpr}) is one search through {@link SearchCoordinator} (so admission, routing, retries and the
 * readers' top-K are the HTTP API's), and the answers of several conjunctions are reduced by the engine's top-K
 * rules, a document found by two of them kept once. A query (no vector) is an exact search with a constant
 * vector: every matching document, up to the gateway's largest top-K.
 */
final class MilvusReads {

  private static final HitKey<Hit> HIT = HitKey.of(Hit::getSeq, Hit::getScore);

  private final SearchCoordinator searches;
  private final int maxTopK;
  private final MeterRegistry meters;

  /** @param meters where Milvus searches are counted with the HTTP API's ({@code vecgate.search{outcome}}) */
  MilvusReads(SearchCoordinator searches, int maxTopK, MeterRegistry meters) {
    this.searches = searches;
    this.maxTopK = maxTopK;
    this.meters = meters;
  }

  /**
   * Counts a finished Search as the read endpoint counts its searches: {@code vecgate_search_seconds{outcome=ok|shed|
   * rejected|failed}} and {@code vecgate_search_queries_total}, so the node's QPS includes the Milvus API.
   */
  void searched(long startNanos, Throwable failure, int queries) {
    String outcome = failure == null ? "ok" : failure instanceof RetryLaterException ? "shed"
        : failure instanceof ApiException a && a.status() < 500 ? "rejected" : "failed";
    Timer.builder("vecgate.search").description("searches at the gateway, by outcome").tag("outcome", outcome)
        .register(meters).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    if (failure == null && queries > 0) {
      meters.counter("vecgate.search.queries").increment(queries);
    }
  }

  int maxTopK() {
    return maxTopK;
  }

  /**
   * @param name the collection or alias as the caller named it
   * @param queries {@code nq * dim} floats
   * @param fields the projection (scalar and vector fields of the space)
   * @return per query vector, its best {@code k} hits
   */
  Future<List<List<Hit>>> search(Collection c, String db, String name, float[] queries, int nq, int k,
                                 List<List<Filter>> conjunctions, List<String> fields, int nprobe, int ef,
                                 boolean exact) {
    List<Future<SearchCoordinator.Outcome>> runs = new ArrayList<>();
    for (List<Filter> conj : conjunctions) {
      runs.add(searches.search(db, name, body(c, queries, k, conj, fields, nprobe, ef, exact), null));
    }
    return Future.all(runs).map(all -> {
      List<List<Hit>> out = new ArrayList<>(nq);
      ScoreOrder order = ScoreOrder.of(c.space().engine().metric());
      for (int q = 0; q < nq; q++) {
        List<List<Hit>> lists = new ArrayList<>();
        for (Future<SearchCoordinator.Outcome> f : runs) {
          lists.add(f.result().hits().get(q));
        }
        out.add(lists.size() == 1 ? lists.getFirst() : TopKReduce.reduce(lists, k, order, HIT));
      }
      return out;
    });
  }

  /** The documents matching the filter, up to {@code k} (an exact search with a constant vector). */
  Future<List<Hit>> query(Collection c, String db, String name, int k, List<List<Filter>> conjunctions,
                          List<String> fields) {
    float[] q = new float[c.dimension()];
    // A cosine search with the zero vector has no direction; any constant one matches every document the same.
    java.util.Arrays.fill(q, c.space().engine().metric() == io.vecgate.engine.vector.Metric.COSINE ? 1f : 0f);
    return search(c, db, name, q, 1, Math.min(k, maxTopK), conjunctions, fields, 0, 0, true).map(List::getFirst);
  }

  private static ObjectNode body(Collection c, float[] queries, int k, List<Filter> filters, List<String> fields,
                                 int nprobe, int ef, boolean exact) {
    ObjectNode b = StrictJson.MAPPER.createObjectNode();
    ObjectNode query = b.putObject("query");
    ObjectNode sum = query.putArray("sum").addObject().put("field", c.vectorField());
    ArrayNode feature = sum.putArray("feature");
    for (float f : queries) {
      feature.add(f);
    }
    if (!filters.isEmpty()) {
      ArrayNode fa = query.putArray("filter");
      for (Filter f : filters) {
        fa.add(filterJson(c, f));
      }
    }
    b.put("size", k);
    ArrayNode fa = b.putArray("fields");
    fields.forEach(fa::add);
    if (nprobe > 0 || ef > 0) {
      ObjectNode rp = b.putObject("retrieval_param");
      if (nprobe > 0) {
        rp.put("nprobe", nprobe);
      }
      if (ef > 0) {
        rp.put("ef", ef);
      }
    }
    if (exact) {
      b.put("is_brute_search", true);
    }
    return b;
  }

  /** A filter in the {@code _search} body's words ({@code range} / {@code term}). */
  private static ObjectNode filterJson(Collection c, Filter f) {
    ObjectNode o = StrictJson.MAPPER.createObjectNode();
    if (f.hasRange()) {
      RangeFilter r = f.getRange();
      ObjectNode bounds = o.putObject("range").putObject(r.getField());
      if (r.hasGt()) bounds.put("gt", r.getGt());
      if (r.hasGte()) bounds.put("gte", r.getGte());
      if (r.hasLt()) bounds.put("lt", r.getLt());
      if (r.hasLte()) bounds.put("lte", r.getLte());
      return o;
    }
    FieldSpec field = c.space().field(f.getTerm().getField());
    boolean integral = field.type() == FieldType.INTEGER || field.type() == FieldType.LONG;
    ObjectNode t = o.putObject("term");
    ArrayNode values = t.putArray(field.name());
    for (String v : f.getTerm().getValuesList()) {
      if (integral) {
        values.add(Long.parseLong(v));
      } else {
        values.add(v);
      }
    }
    t.put("operator", f.getTerm().getOperator());
    return o;
  }
}
