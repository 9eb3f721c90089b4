package io.vecgate.reader.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.column.TermOperator;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.vector.Metric;
import io.vecgate.protocol.reader.Filter;
import io.vecgate.protocol.reader.SearchRequest;
import io.vecgate.protocol.reader.SearchResponse;
import io.vecgate.protocol.reader.TermFilter;
import io.vecgate.protocol.reader.VectorQuery;
import io.vecgate.reader.search.DocHit;
import io.vecgate.reader.search.FilterSpec;
import io.vecgate.reader.search.SearchPlan;
import io.vecgate.reader.search.VersionSearcher;
import io.vecgate.reader.testkit.Await;
import io.vecgate.reader.testkit.TestSpace;
import io.vecgate.reader.version.LoadedVersion;
import io.vecgate.reader.version.SharedSegments;
import io.vecgate.reader.version.VersionKey;
import io.vecgate.reader.version.VersionLoader;
import io.vecgate.reader.version.VersionRegistry;
import io.vecgate.store.DataLayout;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gRPC service without sockets: mapping, parallel partitions, statuses. */
class ReaderGrpcTest {

  private static final int DIM = 8;

  @TempDir
  Path tmp;

  ExecutorService executor = Executors.newFixedThreadPool(3);
  VersionRegistry registry = new VersionRegistry();
  ReaderGrpc service = new ReaderGrpc(registry, executor, "r1");
  LoadedVersion v;

  @BeforeEach
  void fixture() throws Exception {
    TestSpace s = new TestSpace(new DataLayout(tmp), "db", "sp", DIM, Metric.L2, IndexType.FLAT, Map.of());
    for (int p = 0; p < 4; p++) {
      s.segment("p" + p + "-1.seg", TestSpace.docs(p * 50L, 50, DIM, p));
    }
    Path dir = s.publish(3, Map.of(0, List.of("p0-1.seg"), 1, List.of("p1-1.seg"), 2, List.of("p2-1.seg"),
        3, List.of("p3-1.seg")), Map.of());
    v = new VersionLoader(new SharedSegments()).load(new VersionKey("db", "sp", 3), dir);
    assertTrue(registry.install(v, registry.epoch("db", "sp")).accepted());
  }

  @AfterEach
  void close() {
    registry.close();
    executor.shutdown();
  }

  static SearchRequest.Builder request(long version, float[] q, int k) {
    SearchRequest.Builder b = SearchRequest.newBuilder().setDb("db").setSpace("sp").setVersion(version).setK(k);
    for (float x : q) {
      b.addQueries(x);
    }
    return b;
  }

  @Test
  void partitionsSearchedInParallelAnswerAsTheSequentialSearch() throws Exception {
    SplittableRandom rnd = new SplittableRandom(5);
    float[] q = new float[3 * DIM];
    for (int i = 0; i < q.length; i++) {
      q[i] = (float) rnd.nextDouble();
    }
    SearchResponse r = Await.result(service.search(request(3, q, 7)
        .addFilters(Filter.newBuilder().setTerm(TermFilter.newBuilder().setField("color").addValues("red")
            .setOperator("not"))).build()));
    List<List<DocHit>> expected = VersionSearcher.search(SearchPlan.query(q, 7)
        .withFilters(List.of(new FilterSpec.TermFilter("color", List.of("red"), TermOperator.NOT))).check(v));
    assertEquals(3, r.getResultsCount());
    assertEquals(3, r.getBatchQueries(), "ran alone: the batch is its own three queries");
    assertEquals(1, r.getBatchRequests());
    for (int i = 0; i < 3; i++) {
      assertEquals(expected.get(i).stream().map(DocHit::seq).toList(),
          r.getResults(i).getHitsList().stream().map(h -> h.getSeq()).toList());
      assertEquals(expected.get(i).stream().map(DocHit::sourceJson).toList(),
          r.getResults(i).getHitsList().stream().map(h -> h.getSourceJson()).toList());
    }
    assertEquals(0, v.inFlight(), "the version is released after the search");
  }

  @Test
  void aMissingVersionIsNotFoundAndNamesTheVersionsHeld() throws Exception {
    StatusException e = assertInstanceOf(StatusException.class,
        Await.failure(service.search(request(4, new float[DIM], 1).build())));
    assertEquals(GrpcStatus.NOT_FOUND, e.status());
    assertTrue(e.message().contains("db/sp@4") && e.message().contains("[db/sp@3]"), e.message());
  }

  @Test
  void badArgumentsAreInvalidArgument() throws Exception {
    StatusException e = assertInstanceOf(StatusException.class,
        Await.failure(service.search(request(3, new float[DIM], 1).addFields("nope").build())));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, e.status());
    assertTrue(e.message().contains("nope"), e.message());
    e = assertInstanceOf(StatusException.class,
        Await.failure(service.search(request(3, new float[DIM], 1).setNprobe(-1).build())));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, e.status());
    e = assertInstanceOf(StatusException.class,
        Await.failure(service.search(request(3, new float[DIM], 1).setField("other").build())));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, e.status());
    assertEquals(0, v.inFlight());
  }

  /** The reader's one check of a search (its plan): the network's input refused with a reason that names it. */
  @Test
  void aWrongDimensionComponentOrKIsInvalidArgumentNamingIt() throws Exception {
    VectorQuery.Builder nine = VectorQuery.newBuilder().setField(TestSpace.VECTOR_FIELD).setDimension(DIM + 1);
    for (int i = 0; i < DIM + 1; i++) {
      nine.addQueries(0.5f);
    }
    assertInvalid(SearchRequest.newBuilder().setDb("db").setSpace("sp").setVersion(3).setK(1).addVectorQueries(nine),
        "dimension 9 does not match the 8 of " + TestSpace.VECTOR_FIELD);
    assertInvalid(request(3, new float[DIM + 1], 1),
        "queries of " + TestSpace.VECTOR_FIELD + " must be nq * 8 floats (its dimension), got 9");
    float[] nan = new float[DIM];
    nan[3] = Float.NaN;
    assertInvalid(request(3, nan, 1), "query 0 of " + TestSpace.VECTOR_FIELD + ": component 3 is NaN; must be finite");
    assertInvalid(request(3, new float[DIM], 0), "k must be >= 1, got 0");
    assertEquals(0, v.inFlight());
  }

  private void assertInvalid(SearchRequest.Builder r, String reason) throws Exception {
    StatusException e = assertInstanceOf(StatusException.class, Await.failure(service.search(r.build())));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, e.status());
    assertEquals(reason, e.message());
  }

  @Test
  void aStoppingReaderIsUnavailable() throws Exception {
    service.stopTaking();
    StatusException e = assertInstanceOf(StatusException.class,
        Await.failure(service.search(request(3, new float[DIM], 1).build())));
    assertEquals(GrpcStatus.UNAVAILABLE, e.status());
  }
}
