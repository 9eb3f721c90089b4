package io.vecgate.gateway.search;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.common.api.ApiException;
import io.vecgate.common.rpc.GetRequest;
import io.vecgate.common.rpc.Hit;
import io.vecgate.common.rpc.SearchRequest;
import io.vecgate.common.rpc.SearchResponse;
import io.vecgate.common.rpc.VectorQuery;
import io.vecgate.common.space.SpaceSchema;
import io.vecgate.gateway.catalog.CatalogCache;
import io.vecgate.gateway.catalog.CatalogView.SpaceEntry;
import io.vecgate.gateway.readers.ReaderDirectory;
import io.vecgate.gateway.readers.ReaderDirectory.Assignment;
import io.vecgate.gateway.readers.ReaderDirectory.Plan;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs a search: resolves the space (or alias) in the catalog, plans the readers of one version,
 * sends each its partitions in one gRPC call, and merges their per-query top-K. A call that
 * fails is retried once on a plan without the failed reader (searches are idempotent).
 */
public final class SearchCoordinator {

  private final CatalogCache catalog;
  private final ReaderDirectory readers;
  private final SearchQueryParser parser;

  public SearchCoordinator(CatalogCache catalog, ReaderDirectory readers, int maxSize) {
    this.catalog = catalog;
    this.readers = readers;
    this.parser = new SearchQueryParser(maxSize);
  }

  /** A finished search: the query and its merged hits per query vector. */
  public record Outcome(SpaceSchema schema, SearchQuery query, long version, List<List<Hit>> hits, long engineMicros,
                        long readerMicros, int readersUsed) {}

  public Future<Outcome> search(String db, String spaceName, ObjectNode body, String urlSize) {
    SpaceEntry entry;
    SearchQuery query;
    try {
      entry = catalog.resolve(db, spaceName);
      query = parser.parse(entry.schema(), body, urlSize);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    SpaceSchema schema = entry.schema();
    SearchRequest request = request(schema, query);
    return attempt(schema, query, request, new HashSet<>(), true);
  }

  private Future<Outcome> attempt(SpaceSchema schema, SearchQuery query, SearchRequest base, Set<String> exclude,
                                  boolean mayRetry) {
    Plan plan;
    try {
      plan = readers.plan(schema.db(), schema.name(), schema.partitionNum(), exclude, query.clientType());
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    List<Future<SearchResponse>> calls = new ArrayList<>();
    for (Assignment a : plan.assignments()) {
      SearchRequest r = base.toBuilder().setVersion(plan.version()).addAllPartitions(a.partitions()).build();
      a.begin();
      calls.add(a.client().search(r).andThen(ar -> a.done()).recover(e -> {
        exclude.add(a.nodeId());
        return Future.failedFuture(e);
      }));
    }
    return Future.all(calls).map(all -> merge(schema, query, plan, calls)).recover(e -> {
      if (e instanceof ApiException || !mayRetry) {
        return Future.failedFuture(e instanceof ApiException ? e
            : ApiException.unavailable("search failed on the readers: " + e.getMessage()));
      }
      return attempt(schema, query, base, exclude, false);
    });
  }

  private static SearchRequest request(SpaceSchema schema, SearchQuery q) {
    SearchRequest.Builder b = SearchRequest.newBuilder()
        .setDb(schema.db()).setSpace(schema.name())
        .setK(q.size()).setNprobe(q.nprobe() > 0 ? q.nprobe() : schema.engine().nprobe())
        .setEf(q.ef() > 0 ? q.ef() : schema.engine().efSearch())
        .setQuick(q.quick()).setExact(q.exact()).setL2Sqrt(q.l2Sqrt())
        .addAllFilters(q.filters()).setVectorValue(q.vectorValue()).setDebug(q.debug());
    for (SearchQuery.SumEntry e : q.sum()) {
      VectorQuery.Builder v = VectorQuery.newBuilder().setField(e.field()).setDimension(e.dimension())
          .setWeight(e.boost());
      for (float f : e.queries()) {
        v.addQueries(f);
      }
      SearchQuery.ScoreBounds bounds = e.bounds();
      if (bounds.min() != null) {
        v.setMinScore(bounds.min()).setMinExclusive(!bounds.minInclusive());
      }
      if (bounds.max() != null) {
        v.setMaxScore(bounds.max()).setMaxExclusive(!bounds.maxInclusive());
      }
      b.addVectorQueries(v);
    }
    if (q.fields() == null) {
      b.setAllFields_(true);
    } else {
      // Sort keys must come back from the readers even when the projection leaves them out.
      Set<String> wanted = new LinkedHashSet<>(q.fields());
      q.sort().stream().map(SearchQuery.SortKey::field).filter(f -> !f.equals("_score")).forEach(wanted::add);
      b.setAllFields_(false).addAllFields(wanted);
    }
    return b.build();
  }

  private static Outcome merge(SpaceSchema schema, SearchQuery q, Plan plan, List<Future<SearchResponse>> calls) {
    List<List<Hit>> perQuery = new ArrayList<>();
    long engine = 0;
    long total = 0;
    for (int i = 0; i < q.nq(); i++) {
      List<List<Hit>> lists = new ArrayList<>();
      for (Future<SearchResponse> f : calls) {
        lists.add(f.result().getResults(i).getHitsList());
      }
      perQuery.add(HitMerge.merge(lists, q.size(), schema.engine().metric()));
    }
    for (Future<SearchResponse> f : calls) {
      engine = Math.max(engine, f.result().getEngineMicros());
      total = Math.max(total, f.result().getTotalMicros());
    }
    return new Outcome(schema, q, plan.version(), perQuery, engine, total, calls.size());
  }

  /** The {@code _source} of a fetched document: its scalars, and its vectors as {@code {"field": {"feature": [...]}}}. */
  public static com.fasterxml.jackson.databind.node.ObjectNode sourceWithVectors(Hit hit) {
    com.fasterxml.jackson.databind.node.ObjectNode src = SearchResponses.source(hit);
    SearchResponses.addVectors(src, hit);
    return src;
  }

  /**
   * Fetches one document by {@code _id} from the one partition the space's partitioner puts it
   * in (the writer placed it with the same function); completes with null when it does not exist.
   *
   * @param vectorValue whether the hit carries the vector of every vector field
   */
  public Future<Hit> get(String db, String spaceName, String id, boolean vectorValue) {
    SpaceSchema schema;
    Plan plan;
    int partition;
    try {
      schema = catalog.resolve(db, spaceName).schema();
      plan = readers.plan(db, schema.name(), schema.partitionNum(), Set.of(), null);
      partition = schema.newPartitioner().partition(id);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    } catch (IllegalArgumentException unplaceable) {
      // e.g. a non-numeric id in a modulo space: no document can have it.
      return Future.succeededFuture(null);
    }
    Assignment holder = plan.assignments().stream().filter(a -> a.partitions().contains(partition)).findFirst().orElseThrow();
    return holder.client().get(GetRequest.newBuilder().setDb(db).setSpace(schema.name()).setVersion(plan.version())
            .addPartitions(partition).addIds(id).setVectorValue(vectorValue).build())
        .map(r -> r.getDocsCount() > 0 ? r.getDocs(0) : null);
  }
}
