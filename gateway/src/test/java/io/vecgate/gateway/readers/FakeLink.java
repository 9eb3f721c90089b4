package io.vecgate.gateway.readers;

import io.vecgate.protocol.reader.GetRequest;
import io.vecgate.protocol.reader.GetResponse;
import io.vecgate.protocol.reader.Hit;
import io.vecgate.protocol.reader.QueryHits;
import io.vecgate.protocol.reader.SearchRequest;
import io.vecgate.protocol.reader.SearchResponse;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A {@link ReaderLink} whose answers the test decides. By default a search answers at once with
 * one hit per partition asked for (its {@code seq} is the partition), so a test sees which
 * partitions an answer covers.
 */
public final class FakeLink implements ReaderLink {

  public final String nodeId;
  public final ReaderHealth health;
  public boolean usable = true;
  public boolean started;
  public boolean closed;
  public final List<SearchRequest> searches = new ArrayList<>();
  public Function<SearchRequest, Future<SearchResponse>> onSearch = r -> Future.succeededFuture(answer(r));
  public Function<GetRequest, Future<GetResponse>> onGet = r -> Future.succeededFuture(
      GetResponse.newBuilder().setVersion(r.getVersion()).build());

  public FakeLink(String nodeId, ReaderHealth health) {
    this.nodeId = nodeId;
    this.health = health;
  }

  /** One hit per partition asked for, its seq the partition number. */
  public static SearchResponse answer(SearchRequest r) {
    QueryHits.Builder q = QueryHits.newBuilder();
    r.getPartitionsList().forEach(p -> q.addHits(Hit.newBuilder().setSeq(p).setScore(p)));
    return SearchResponse.newBuilder().setVersion(r.getVersion()).addResults(q).build();
  }

  public FakeLink failSearches(ReaderCallException e) {
    onSearch = r -> Future.failedFuture(e);
    return this;
  }

  @Override
  public Future<SearchResponse> search(SearchRequest request, long timeoutMillis) {
    searches.add(request);
    return onSearch.apply(request);
  }

  @Override
  public Future<GetResponse> get(GetRequest request, long timeoutMillis) {
    return onGet.apply(request);
  }

  @Override
  public boolean usable() {
    return usable && !closed;
  }

  @Override
  public boolean inProcess() {
    return false;
  }

  @Override
  public void start() {
    started = true;
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public JsonArray describe() {
    return new JsonArray();
  }
}
