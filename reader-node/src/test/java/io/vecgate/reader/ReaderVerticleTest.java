package io.vecgate.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.vector.Metric;
import io.vecgate.protocol.reader.Filter;
import io.vecgate.protocol.reader.GetRequest;
import io.vecgate.protocol.reader.GetResponse;
import io.vecgate.protocol.reader.PingRequest;
import io.vecgate.protocol.reader.RangeFilter;
import io.vecgate.protocol.reader.ReaderGrpcClient;
import io.vecgate.protocol.reader.SearchRequest;
import io.vecgate.protocol.reader.SearchResponse;
import io.vecgate.protocol.reader.VectorQuery;
import io.vecgate.reader.testkit.Await;
import io.vecgate.reader.testkit.Doc;
import io.vecgate.reader.testkit.StateWatcher;
import io.vecgate.reader.testkit.TestSpace;
import io.vecgate.reader.version.LoadedVersion;
import io.vecgate.reader.version.VersionKey;
import io.vecgate.store.DataLayout;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verticle on a plain Vert.x, called through the real gRPC client on 127.0.0.1. */
class ReaderVerticleTest {

  private static final int DIM = 8;

  @TempDir
  Path tmp;

  Vertx vertx;
  TestSpace items;
  TestSpace other;
  List<Doc> p0;
  List<Doc> p1;
  ReaderVerticle reader;
  GrpcClient grpc;
  ReaderGrpcClient client;
  StateWatcher states;

  @BeforeEach
  void start() throws Exception {
    DataLayout layout = new DataLayout(tmp);
    items = new TestSpace(layout, "shop", "items", DIM, Metric.L2, IndexType.FLAT, Map.of());
    p0 = TestSpace.docs(0, 60, DIM, 1);
    p1 = TestSpace.docs(60, 40, DIM, 2);
    items.segment("p0-1.seg", p0);
    items.segment("p1-1.seg", p1);
    items.publish(1, Map.of(0, List.of("p0-1.seg"), 1, List.of("p1-1.seg")), Map.of());

    other = new TestSpace(layout, "shop", "other", DIM, Metric.INNER_PRODUCT, IndexType.HNSW, Map.of());
    other.segment("p0-1.seg", TestSpace.docs(0, 30, DIM, 3));
    other.publish(1, Map.of(0, List.of("p0-1.seg")), Map.of());
    other.publish(2, Map.of(0, List.of("p0-1.seg")), Map.of("p0-1.seg", List.of("doc-0")));
    // An incomplete version (no manifest yet): the reader must not pick it.
    Files.createDirectories(layout.versionDir("shop", "other", 3));

    vertx = Vertx.vertx();
    states = new StateWatcher(vertx, ReaderVerticle.READERS_ADDRESS);
    reader = new ReaderVerticle(ReaderConfig.defaults(tmp, "reader-1").withWarmupQueries(10)
        .withReleaseGrace(Duration.ofMillis(200)).withSearchThreads(2));
    Await.result(vertx.deployVerticle(reader));
    Await.result(reader.ready());
    grpc = GrpcClient.client(vertx);
    client = ReaderGrpcClient.create(grpc, SocketAddress.inetSocketAddress(reader.grpcPort(), "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    states.close();
    Await.result(grpc.close());
    Await.result(vertx.close());
  }

  static SearchRequest.Builder search(long version, float[] q, int k) {
    SearchRequest.Builder b = SearchRequest.newBuilder().setDb("shop").setSpace("items").setVersion(version)
        .setField(TestSpace.VECTOR_FIELD).setDimension(DIM).setK(k);
    for (float x : q) {
      b.addQueries(x);
    }
    return b;
  }

  @Test
  void startsWithTheNewestCompleteVersionOfEachSpace() throws Exception {
    assertTrue(reader.isReady());
    assertEquals(List.of(new VersionKey("shop", "items", 1), new VersionKey("shop", "other", 2)),
        reader.loadedVersions());
    assertTrue(reader.grpcPort() > 0);
    var ping = Await.result(client.ping(PingRequest.getDefaultInstance()));
    assertEquals("reader-1", ping.getNodeId());
    assertEquals(List.of("shop/items@1", "shop/other@2"), ping.getVersionsList());
  }

  @Test
  void searchesAndGetsThroughGrpc() throws Exception {
    Doc d = p1.get(5);
    SearchResponse r = Await.result(client.search(search(1, d.vector(), 3).build()));
    assertEquals(1, r.getVersion());
    assertEquals(1, r.getResultsCount());
    assertEquals(3, r.getResults(0).getHitsCount());
    assertEquals(d.id(), r.getResults(0).getHits(0).getId());
    assertEquals(d.seq(), r.getResults(0).getHits(0).getSeq());
    assertEquals(0f, r.getResults(0).getHits(0).getScore(), 1e-6f);
    JsonObject src = new JsonObject(r.getResults(0).getHits(0).getSourceJson());
    assertEquals(d.color(), src.getString("color"));
    assertTrue(r.getTotalMicros() >= r.getEngineMicros());

    // Two queries, a filter, a projection, the vectors.
    SearchRequest.Builder b = search(1, d.vector(), 5).addAllFields(List.of("price")).setVectorValue(true)
        .addFilters(Filter.newBuilder().setRange(RangeFilter.newBuilder().setField("price").setGte(70)));
    for (float x : p0.get(0).vector()) {
      b.addQueries(x);
    }
    SearchResponse two = Await.result(client.search(b.build()));
    assertEquals(2, two.getResultsCount());
    for (var qh : two.getResultsList()) {
      assertEquals(5, qh.getHitsCount());
      for (var h : qh.getHitsList()) {
        JsonObject s = new JsonObject(h.getSourceJson());
        assertEquals(Set.of("price"), s.fieldNames());
        assertTrue(s.getInteger("price") >= 70);
        assertEquals(1, h.getVectorsCount());
        assertEquals(TestSpace.VECTOR_FIELD, h.getVectors(0).getField());
        assertEquals(DIM, h.getVectors(0).getValuesCount());
        assertEquals(0, h.getFieldScoresCount(), "one entry without bounds: no field scores");
        assertEquals(DIM, h.getVectorCount(), "a request of an older gateway also gets the vector where it reads it");
      }
    }

    GetResponse got = Await.result(client.get(GetRequest.newBuilder().setDb("shop").setSpace("items").setVersion(1)
        .addIds("doc-3").addIds("doc-61").addIds("missing").build()));
    assertEquals(List.of("doc-3", "doc-61"), got.getDocsList().stream().map(h -> h.getId()).toList());
  }

  @Test
  void vectorQueriesCarryTheWeightAndAskForFieldScores() throws Exception {
    Doc d = p1.get(7);
    SearchResponse plain = Await.result(client.search(search(1, d.vector(), 4).build()));
    VectorQuery.Builder vq = VectorQuery.newBuilder().setField(TestSpace.VECTOR_FIELD).setDimension(DIM).setWeight(3f)
        .setMaxScore(1e9);
    for (float x : d.vector()) {
      vq.addQueries(x);
    }
    SearchRequest.Builder b = SearchRequest.newBuilder().setDb("shop").setSpace("items").setVersion(1).setK(4)
        .addVectorQueries(vq).setVectorValue(true);
    SearchResponse weighted = Await.result(client.search(b.build()));
    var want = plain.getResults(0).getHitsList();
    var got = weighted.getResults(0).getHitsList();
    assertEquals(want.stream().map(h -> h.getSeq()).toList(), got.stream().map(h -> h.getSeq()).toList());
    for (int i = 0; i < got.size(); i++) {
      assertEquals(1, got.get(i).getFieldScoresCount(), "an entry with bounds gets its field score back");
      assertEquals(want.get(i).getScore(), got.get(i).getFieldScores(0));
      assertEquals((float) (3.0 * want.get(i).getScore()), got.get(i).getScore());
      assertEquals(0, got.get(i).getVectorCount(), "the new vectors only, for a new gateway");
      assertEquals(DIM, got.get(i).getVectors(0).getValuesCount());
    }
    Throwable unknown = Await.failure(client.search(b.setVectorQueries(0, vq.setField("nope")).build()));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, ((InvalidStatusException) unknown).actualStatus());
  }

  @Test
  void errorsComeBackAsGrpcStatuses() throws Exception {
    Throwable missing = Await.failure(client.search(search(9, p0.get(0).vector(), 3).build()));
    assertEquals(GrpcStatus.NOT_FOUND, assertInstanceOf(InvalidStatusException.class, missing).actualStatus());
    Throwable badField = Await.failure(client.search(search(1, p0.get(0).vector(), 3)
        .addFilters(Filter.newBuilder().setRange(RangeFilter.newBuilder().setField("nope").setGt(1))).build()));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, ((InvalidStatusException) badField).actualStatus());
    Throwable badDim = Await.failure(client.search(search(1, new float[DIM + 1], 3).build()));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, ((InvalidStatusException) badDim).actualStatus());
  }

  @Test
  void aNewVersionTakesOverAndTheOldOneIsReleased() throws Exception {
    LoadedVersion v1 = reader.registry().versions().getFirst();
    assertEquals(new VersionKey("shop", "items", 1), v1.key());
    // v2: partition 1 rewritten into a new segment without doc-60; partition 0 shared with v1.
    items.segment("p1-2.seg", p1.subList(1, p1.size()));
    Path dir = items.publish(2, Map.of(0, List.of("p0-1.seg"), 1, List.of("p1-2.seg")),
        Map.of("p0-1.seg", List.of("doc-0")));
    // Both versions are served only for the release grace (200 ms): wait for that state from before the announcement.
    var bothServed = states.next(s -> s.getJsonArray("versions").size() == 3);
    vertx.eventBus().publish(ReaderVerticle.VERSIONS_ADDRESS, new JsonObject().put("db", "shop").put("space", "items")
        .put("version", 2).put("dir", tmp.relativize(dir).toString()));

    JsonObject both = bothServed.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(Set.of("node_id", "grpc_host", "grpc_port", "ready", "versions"), both.fieldNames());
    assertEquals("reader-1", both.getString("node_id"));
    assertEquals("127.0.0.1", both.getString("grpc_host"));
    assertEquals(reader.grpcPort(), both.getInteger("grpc_port"));
    assertTrue(both.getBoolean("ready"));
    assertEquals(new JsonObject().put("db", "shop").put("space", "items").put("version", 2),
        both.getJsonArray("versions").getJsonObject(1));

    SearchResponse r = Await.result(client.search(search(2, p0.get(0).vector(), 100).build()));
    assertEquals(2, r.getVersion());
    assertEquals(98, r.getResults(0).getHitsCount(), "doc-0 deleted and doc-60 gone in v2");

    JsonObject after = states.awaitNext(s -> s.getJsonArray("versions").size() == 2);
    assertEquals(new JsonArray()
            .add(new JsonObject().put("db", "shop").put("space", "items").put("version", 2))
            .add(new JsonObject().put("db", "shop").put("space", "other").put("version", 2)),
        after.getJsonArray("versions"));
    Await.result(v1.closed());
    assertEquals(0, reader.segments().references("shop", "items", "p1-1.seg"), "v1-only segment unmapped");
    assertEquals(1, reader.segments().references("shop", "items", "p0-1.seg"), "shared segment kept for v2");
    Throwable gone = Await.failure(client.search(search(1, p0.get(0).vector(), 3).build()));
    assertEquals(GrpcStatus.NOT_FOUND, ((InvalidStatusException) gone).actualStatus());
  }

  @Test
  void onlyTheFirstVersionOfASpaceRunsWarmUpQueries() throws Exception {
    // At start: items@1 and other@2, 10 queries each.
    assertEquals(20, reader.warmupQueriesRun());
    // v2 shares no segment with v1 (as after an idle compaction): its pages are touched, no queries run.
    items.segment("p0-2.seg", p0);
    items.segment("p1-2.seg", p1);
    Path dir = items.publish(2, Map.of(0, List.of("p0-2.seg"), 1, List.of("p1-2.seg")), Map.of());
    vertx.eventBus().publish(ReaderVerticle.VERSIONS_ADDRESS, new JsonObject().put("db", "shop").put("space", "items")
        .put("version", 2).put("dir", tmp.relativize(dir).toString()));
    states.awaitNext(s -> s.getJsonArray("versions").stream()
        .anyMatch(x -> ((JsonObject) x).getString("space").equals("items") && ((JsonObject) x).getLong("version") == 2));
    assertEquals(20, reader.warmupQueriesRun());
    // A new space's first version is warmed with queries.
    TestSpace fresh = new TestSpace(new DataLayout(tmp), "shop", "fresh", DIM, Metric.L2, IndexType.FLAT, Map.of());
    fresh.segment("p0-1.seg", TestSpace.docs(0, 20, DIM, 4));
    Path freshDir = fresh.publish(1, Map.of(0, List.of("p0-1.seg")), Map.of());
    vertx.eventBus().publish(ReaderVerticle.VERSIONS_ADDRESS, new JsonObject().put("db", "shop").put("space", "fresh")
        .put("version", 1).put("dir", tmp.relativize(freshDir).toString()));
    states.awaitNext(s -> s.getJsonArray("versions").stream()
        .anyMatch(x -> ((JsonObject) x).getString("space").equals("fresh")));
    assertEquals(30, reader.warmupQueriesRun());
  }

  @Test
  void aDroppedSpaceIsReleasedAndStopUnmapsEverything() throws Exception {
    vertx.eventBus().publish(ReaderVerticle.VERSIONS_ADDRESS,
        new JsonObject().put("db", "shop").put("space", "other").put("dropped", true));
    JsonObject s = states.awaitNext(st -> st.getJsonArray("versions").size() == 1);
    assertEquals("items", s.getJsonArray("versions").getJsonObject(0).getString("space"));
    // The release follows the state message once in-flight work on the space ends: wait for it.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (reader.segments().references("shop", "other", "p0-1.seg") != 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(0, reader.segments().references("shop", "other", "p0-1.seg"));

    Await.result(vertx.undeploy(reader.deploymentID()));
    assertEquals(0, reader.segments().openFiles());
    assertEquals(List.of(), reader.loadedVersions());
  }

  @Test
  void theStateIsPublishedEverySecond() throws Exception {
    int before = states.received().size();
    JsonObject s = states.awaitNext(st -> true);
    assertTrue(states.received().size() > before);
    assertEquals(2, s.getJsonArray("versions").size());
  }
}
