package io.vecgate.gateway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.gateway.readers.DirectoryKit;
import io.vecgate.gateway.readers.ReaderCallException;
import io.vecgate.gateway.readers.RetryLaterException;
import io.vecgate.gateway.readers.RoutingConfig;
import io.vecgate.gateway.search.Scatter.Gathered;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.reader.SearchRequest;
import io.vecgate.protocol.reader.SearchResponse;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Scatter/gather: one version per answer, one retry of a failed call, the deadline, and what fails how. */
class ScatterTest {

  static final long LONG_DEADLINE_NANOS = 10_000_000_000L;

  final DirectoryKit k = new DirectoryKit(RoutingConfig.defaults());
  final Scatter scatter = new Scatter(k.directory, k.metrics);

  Future<Gathered<SearchResponse>> search(String clientType) {
    return scatter.run("shop", "items", 3, clientType, System.nanoTime() + LONG_DEADLINE_NANOS, (a, version, timeout) ->
        a.search(SearchRequest.newBuilder().setVersion(version).addAllPartitions(a.partitions()).build(), timeout));
  }

  static Set<Long> partitionsAnswered(Gathered<SearchResponse> g) {
    Set<Long> out = new TreeSet<>();
    g.answers().forEach(r -> r.getResults(0).getHitsList().forEach(h -> out.add(h.getSeq())));
    return out;
  }

  static ReaderCallException lost(String node) {
    return ReaderCallException.connection(node, "connection reset", null);
  }

  @Test
  void aFailedCallIsRetriedOnAnotherReaderOfTheSameVersionAndTheOtherAnswersAreKept() {
    k.announce("r1", 1, List.of("shop/items@5"), List.of(0, 1));
    k.announce("r2", 2, List.of("shop/items@5"), List.of(2));
    k.announce("r3", 3, List.of("shop/items@5", "shop/items@6"), List.of(2));
    k.link("r2").failSearches(lost("r2"));
    Future<Gathered<SearchResponse>> f = search("leader"); // by id: r1 for 0 and 1, r2 for 2
    assertTrue(f.succeeded(), () -> String.valueOf(f.cause()));
    assertEquals(5, f.result().version());
    assertEquals(Set.of(0L, 1L, 2L), partitionsAnswered(f.result()));
    f.result().answers().forEach(r -> assertEquals(5, r.getVersion()));
    assertEquals(1, k.link("r1").searches.size(), "r1's answer was kept, not asked again");
    assertEquals(List.of(2), k.link("r3").searches.getFirst().getPartitionsList());
    assertEquals(1, k.metrics.count("retried:true"));
    assertEquals(1, k.queue("r2").getLong("dropped"));
    assertEquals(1, k.queue("r3").getLong("succeeded"));
    assertEquals(0, k.queue("r1").getInteger("outstanding") + k.queue("r2").getInteger("outstanding")
        + k.queue("r3").getInteger("outstanding"));
  }

  @Test
  void withNoOtherReaderOfThatVersionTheWholeSearchMovesToOneOtherVersion() {
    k.announce("r1", 1, List.of("shop/items@5"), null);
    k.announce("r2", 2, List.of("shop/items@4"), null);
    k.link("r1").failSearches(ReaderCallException.status("r1", GrpcStatus.UNAVAILABLE, "reader r1 is stopping"));
    Future<Gathered<SearchResponse>> f = search(null);
    assertTrue(f.succeeded(), () -> String.valueOf(f.cause()));
    assertEquals(4, f.result().version());
    assertEquals(1, f.result().answers().size(), "only the new plan's answers");
    assertEquals(Set.of(0L, 1L, 2L), partitionsAnswered(f.result()));
  }

  @Test
  void aRetryThatFailsToo503sWithRetryAfterNamingBothFailures() {
    k.announce("r1", 1, List.of("shop/items@5"), null);
    k.announce("r2", 2, List.of("shop/items@5"), null);
    k.link("r1").failSearches(lost("r1"));
    k.link("r2").failSearches(lost("r2"));
    Future<Gathered<SearchResponse>> f = search(null);
    RetryLaterException e = assertInstanceOf(RetryLaterException.class, f.cause());
    assertEquals(503, e.status());
    assertTrue(e.reason().contains("r1") && e.reason().contains("r2"), e.reason());
    assertEquals(1, k.metrics.count("retried:false"));
  }

  @Test
  void aFailedCallWithNoOtherReaderLeft503s() {
    k.announce("r1", 1, List.of("shop/items@5"), null);
    k.link("r1").failSearches(lost("r1"));
    RetryLaterException e = assertInstanceOf(RetryLaterException.class, search(null).cause());
    assertEquals(503, e.status());
    assertTrue(e.reason().contains("[r1] which just failed"), e.reason());
  }

  @Test
  void aRequestTheReaderCallsInvalidIs400AndNotRetried() {
    k.announce("r1", 1, List.of("shop/items@5"), null);
    k.announce("r2", 2, List.of("shop/items@5"), null);
    ReaderCallException invalid = ReaderCallException.status("rX", GrpcStatus.INVALID_ARGUMENT, "unknown field 'colour'");
    k.link("r1").failSearches(invalid);
    k.link("r2").failSearches(invalid);
    ApiException e = assertInstanceOf(ApiException.class, search(null).cause());
    assertEquals(400, e.status());
    assertTrue(e.reason().contains("unknown field 'colour'"), e.reason());
    assertEquals(1, k.link("r1").searches.size() + k.link("r2").searches.size());
    assertEquals(0, k.metrics.count("retried:true") + k.metrics.count("retried:false"));
  }

  @Test
  void aTimeoutIs504AndNotRetried() {
    k.announce("r1", 1, List.of("shop/items@5"), null);
    k.announce("r2", 2, List.of("shop/items@5"), null);
    k.link("r1").failSearches(ReaderCallException.timeout("r1", 5));
    k.link("r2").failSearches(ReaderCallException.timeout("r2", 5));
    Future<Gathered<SearchResponse>> f = scatter.run("shop", "items", 3, null, System.nanoTime() + 200_000_000L,
        (a, version, timeout) -> {
          Future<SearchResponse> r = a.search(SearchRequest.newBuilder().setVersion(version).build(), timeout);
          try {
            Thread.sleep(210); // the call used the whole deadline
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return r;
        });
    ApiException e = assertInstanceOf(ApiException.class, f.cause());
    assertEquals(504, e.status());
    assertTrue(e.reason().contains("search-timeout = 30000 ms"), e.reason());
    assertEquals(1, k.link("r1").searches.size() + k.link("r2").searches.size());
  }

  @Test
  void aDeadlineAlreadyPassedSendsNothingAndGivesTheQueuePlaceBack() {
    k.announce("r1", 1, List.of("shop/items@5"), null);
    Future<Gathered<SearchResponse>> f = scatter.run("shop", "items", 3, null, System.nanoTime() - 1, (a, v, t) -> {
      throw new AssertionError("nothing may be sent");
    });
    assertEquals(504, assertInstanceOf(ApiException.class, f.cause()).status());
    assertEquals(0, k.queue("r1").getInteger("outstanding"));
    assertEquals(1, k.queue("r1").getLong("ignored"));
  }

  @Test
  void aFailureOfOursIsPassedOnAsIs() {
    k.announce("r1", 1, List.of("shop/items@5"), null);
    k.announce("r2", 2, List.of("shop/items@5"), null);
    IllegalStateException bug = new IllegalStateException("bug");
    k.link("r1").onSearch = r -> Future.failedFuture(bug);
    k.link("r2").onSearch = r -> Future.failedFuture(bug);
    assertEquals(bug, search(null).cause());
  }
}
