package io.vecgate.gateway.search;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.engine.topk.HitKey;
import io.vecgate.engine.topk.ScoreOrder;
import io.vecgate.engine.topk.TopKReduce;
import io.vecgate.engine.vector.Metric;
import io.vecgate.gateway.catalog.CatalogCache;
import io.vecgate.gateway.catalog.CatalogView.SpaceEntry;
import io.vecgate.gateway.readers.ReaderDirectory;
import io.vecgate.gateway.readers.ReaderMetrics;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.reader.GetRequest;
import io.vecgate.protocol.reader.GetResponse;
import io.vecgate.protocol.reader.Hit;
import io.vecgate.protocol.reader.SearchRequest;
import io.vecgate.protocol.reader.SearchResponse;
import io.vecgate.protocol.reader.VectorQuery;
import io.vecgate.space.SpaceSchema;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs a search: resolves the space (or alias) in the catalog, plans the readers of one version,
 * sends each its partitions in one gRPC call, and reduces their answers to each query's top-K.
 * Planning, the calls, the deadline and the one retry of a failed call are {@link Scatter}'s.
 */
public final class SearchCoordinator {

  private final CatalogCache catalog;
  private final ReaderDirectory readers;
  private final SearchQueryParser parser;
  private final Scatter scatter;

  public SearchCoordinator(CatalogCache catalog, ReaderDirectory readers, int maxSize, ReaderMetrics metrics) {
    this.catalog = catalog;
    this.readers = readers;
    this.parser = new SearchQueryParser(maxSize);
    this.scatter = new Scatter(readers, metrics);
  }

  /**
   * A finished search: the query and its global top-K hits per query vector.
   *
   * @param batches per reader answer, the engine batch the request ran in there: {@code [query vectors, requests]}
   *     (more than the request's own when the reader merged it with others; {@code [0, 0]} from older readers)
   */
  public record Outcome(SpaceSchema schema, SearchQuery query, long version, List<List<Hit>> hits, long engineMicros,
                        long readerMicros, int readersUsed, List<int[]> batches) {}

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
    return scatter.<SearchResponse>run(schema.db(), schema.name(), schema.partitionNum(), query.clientType(),
            deadline(),
            (a, version, timeout) -> a.search(request.toBuilder().setVersion(version).addAllPartitions(a.partitions())
                .build(), timeout))
        .map(g -> reduce(schema, query, g.version(), g.answers()));
  }

  /** When a request started now must have its answer ({@code search-timeout}, retries included). */
  private long deadline() {
    return System.nanoTime() + readers.routing().searchTimeout().toNanos();
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

  private static Outcome reduce(SpaceSchema schema, SearchQuery q, long version, List<SearchResponse> answers) {
    List<List<Hit>> perQuery = new ArrayList<>();
    long engine = 0;
    long total = 0;
    for (int i = 0; i < q.nq(); i++) {
      List<List<Hit>> lists = new ArrayList<>();
      for (SearchResponse r : answers) {
        lists.add(r.getResults(i).getHitsList());
      }
      perQuery.add(topK(lists, q.size(), schema.engine().metric()));
    }
    List<int[]> batches = new ArrayList<>(answers.size());
    for (SearchResponse r : answers) {
      engine = Math.max(engine, r.getEngineMicros());
      total = Math.max(total, r.getTotalMicros());
      batches.add(new int[] {r.getBatchQueries(), r.getBatchRequests()});
    }
    return new Outcome(schema, q, version, perQuery, engine, total, answers.size(), batches);
  }

  /** How the engine's top-K reduce reads a reader's hit: its {@code seq} and score. */
  private static final HitKey<Hit> READER_HIT = HitKey.of(Hit::getSeq, Hit::getScore);

  /**
   * The global top {@code k} of the readers' answers to one query, by the engine's rules
   * ({@link TopKReduce}): best score first, -0.0 as 0.0, ties by {@code seq}, a document seen twice
   * kept once; a NaN score (a reader's bug) fails the search.
   */
  static List<Hit> topK(List<List<Hit>> lists, int k, Metric metric) {
    return TopKReduce.reduce(lists, k, ScoreOrder.of(metric), READER_HIT);
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
    int partition;
    try {
      schema = catalog.resolve(db, spaceName).schema();
      partition = schema.newPartitioner().partition(id);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    } catch (IllegalArgumentException unplaceable) {
      // e.g. a non-numeric id in a modulo space: no document can have it.
      return Future.succeededFuture(null);
    }
    // Planned like a search (one version, admitted, retried once); only the partition's holder is asked.
    return scatter.<GetResponse>run(db, schema.name(), schema.partitionNum(), null, deadline(), (a, version, timeout) -> {
      if (!a.partitions().contains(partition)) {
        a.abandon();
        return Future.succeededFuture(GetResponse.getDefaultInstance());
      }
      return a.get(GetRequest.newBuilder().setDb(db).setSpace(schema.name()).setVersion(version)
          .addPartitions(partition).addIds(id).setVectorValue(vectorValue).build(), timeout);
    }).map(g -> g.answers().stream().filter(r -> r.getDocsCount() > 0).map(r -> r.getDocs(0)).findFirst().orElse(null));
  }
}
