package io.vecgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DescribeCollectionReq;
import io.milvus.v2.service.collection.request.DropCollectionReq;
import io.milvus.v2.service.collection.request.GetLoadStateReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.collection.response.DescribeCollectionResp;
import io.milvus.v2.service.index.request.CreateIndexReq;
import io.milvus.v2.service.index.request.DescribeIndexReq;
import io.milvus.v2.service.utility.request.AlterAliasReq;
import io.milvus.v2.service.utility.request.CreateAliasReq;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.GetReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.QueryResp;
import io.milvus.v2.service.vector.response.SearchResp;
import io.milvus.pool.MilvusClientV2Pool;
import io.milvus.pool.PoolConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Milvus Java SDK ({@code io.milvus:milvus-sdk-java} 2.6.13, {@link MilvusClientV2}) against a
 * standalone process's Milvus API: the SDK's quick-start flow unchanged, its answers checked against brute force
 * computed here; an alias switched with {@code alterAlias} during a search loop; a {@link MilvusClientV2Pool}
 * with keepalive that carries on by itself after the standalone is restarted under it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MilvusSdkIT {

  private static final int DIM = 8;
  private static final String[] COLORS = {"red", "green", "blue", "black"};

  @TempDir static Path tmp;
  private static NodeProcess standalone;
  private static int milvusPort;
  private static MilvusClientV2 client;
  private static Http read;

  @BeforeAll
  static void start() throws Exception {
    int readPort = NodeProcess.freePort();
    milvusPort = NodeProcess.freePort();
    standalone = NodeProcess.start("standalone", Files.createDirectories(tmp.resolve("logs")), "--data-dir",
        tmp.resolve("data").toString(), "--read-port", String.valueOf(readPort), "--write-port",
        String.valueOf(NodeProcess.freePort()), "--milvus-port", String.valueOf(milvusPort),
        "--cluster-name", "it-milvus-" + UUID.randomUUID(), "--cluster-port", String.valueOf(NodeProcess.freeClusterPort()),
        "--cluster-members", "127.0.0.1");
    read = new Http("http://127.0.0.1:" + readPort);
    waitReady();
    client = new MilvusClientV2(ConnectConfig.builder().uri("http://127.0.0.1:" + milvusPort).build());
  }

  private static void waitReady() throws InterruptedException {
    Standalone.waitFor("standalone to be ready", Duration.ofSeconds(90), () -> {
      assertTrue(standalone.alive(), standalone::death);
      try {
        return read.get("/health/ready").status() == 200;
      } catch (RuntimeException notYet) {
        return false;
      }
    });
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (standalone != null) {
      standalone.close();
    }
  }

  /** One row as the test keeps it for brute force. */
  record Row(long id, float[] vector, String color, double price, int stock, boolean sale) {}

  private static List<Row> rows(int n, long seed) {
    Random r = new Random(seed);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = new float[DIM];
      for (int j = 0; j < DIM; j++) {
        v[j] = r.nextFloat();
      }
      out.add(new Row(i, v, COLORS[r.nextInt(COLORS.length)], Math.round(r.nextDouble() * 10000) / 100.0,
          r.nextInt(100), r.nextBoolean()));
    }
    return out;
  }

  private static JsonObject json(Row row) {
    JsonObject o = new JsonObject();
    o.addProperty("id", row.id());
    com.google.gson.JsonArray v = new com.google.gson.JsonArray();
    for (float f : row.vector()) {
      v.add(f);
    }
    o.add("vector", v);
    o.addProperty("color", row.color());
    o.addProperty("price", row.price());
    o.addProperty("stock", row.stock());
    o.addProperty("sale", row.sale());
    return o;
  }

  private static float l2(float[] a, float[] b) {
    float s = 0;
    for (int i = 0; i < a.length; i++) {
      float d = a[i] - b[i];
      s += d * d;
    }
    return s;
  }

  /** The exact top-k ids by squared L2 among the rows {@code filter} keeps (ties by id). */
  private static List<Long> bruteForce(List<Row> rows, float[] q, int k, Predicate<Row> filter) {
    return rows.stream().filter(filter)
        .sorted(Comparator.<Row>comparingDouble(r -> l2(r.vector(), q)).thenComparingLong(Row::id))
        .limit(k).map(Row::id).toList();
  }

  private static CreateCollectionReq.CollectionSchema schema() {
    CreateCollectionReq.CollectionSchema schema = MilvusClientV2.CreateSchema();
    schema.addField(AddFieldReq.builder().fieldName("id").dataType(DataType.Int64).isPrimaryKey(true).autoID(false)
        .build());
    schema.addField(AddFieldReq.builder().fieldName("vector").dataType(DataType.FloatVector).dimension(DIM).build());
    schema.addField(AddFieldReq.builder().fieldName("color").dataType(DataType.VarChar).maxLength(16).build());
    schema.addField(AddFieldReq.builder().fieldName("price").dataType(DataType.Double).build());
    schema.addField(AddFieldReq.builder().fieldName("stock").dataType(DataType.Int32).build());
    schema.addField(AddFieldReq.builder().fieldName("sale").dataType(DataType.Bool).build());
    return schema;
  }

  @Test
  @Order(1)
  void theQuickStartFlowAnswersAsBruteForce() {
    String name = "quick_start";
    client.createCollection(CreateCollectionReq.builder().collectionName(name).collectionSchema(schema())
        .consistencyLevel(ConsistencyLevel.STRONG).build());
    assertTrue(client.hasCollection(HasCollectionReq.builder().collectionName(name).build()));
    DescribeCollectionResp desc = client.describeCollection(DescribeCollectionReq.builder().collectionName(name).build());
    assertEquals(List.of("id", "vector", "color", "price", "stock", "sale"), desc.getFieldNames());
    assertEquals("id", desc.getPrimaryFieldName());

    client.createIndex(CreateIndexReq.builder().collectionName(name).indexParams(List.of(IndexParam.builder()
        .fieldName("vector").indexType(IndexParam.IndexType.HNSW).metricType(IndexParam.MetricType.L2)
        .extraParams(Map.of("M", 16, "efConstruction", 200)).build())).build());
    assertEquals("HNSW", client.describeIndex(DescribeIndexReq.builder().collectionName(name).fieldName("vector")
        .build()).getIndexDescByFieldName("vector").getIndexType().name());

    List<Row> rows = rows(600, 42);
    long inserted = client.insert(InsertReq.builder().collectionName(name)
        .data(rows.stream().map(MilvusSdkIT::json).toList()).build()).getInsertCnt();
    assertEquals(600, inserted);
    // Upsert replaces rows by primary key: five rows get stock 99.
    for (int i = 0; i < 5; i++) {
      Row x = rows.get(i);
      rows.set(i, new Row(x.id(), x.vector(), x.color(), x.price(), 99, x.sale()));
    }
    assertEquals(5, client.upsert(io.milvus.v2.service.vector.request.UpsertReq.builder().collectionName(name)
        .data(rows.subList(0, 5).stream().map(MilvusSdkIT::json).toList()).build()).getUpsertCnt());
    client.flush(io.milvus.v2.service.utility.request.FlushReq.builder().collectionNames(List.of(name)).build());
    assertEquals(600L, client.getCollectionStats(io.milvus.v2.service.collection.request.GetCollectionStatsReq.builder()
        .collectionName(name).build()).getNumOfEntities());
    assertTrue(client.listCollections().getCollectionNames().contains(name));
    assertTrue(client.listDatabases().getDatabaseNames().contains("default"));
    client.loadCollection(LoadCollectionReq.builder().collectionName(name).build());
    assertTrue(client.getLoadState(GetLoadStateReq.builder().collectionName(name).build()));

    // Search: several query vectors, a filter, output fields.
    Random r = new Random(7);
    List<float[]> queries = IntStream.range(0, 4).mapToObj(i -> {
      float[] q = new float[DIM];
      for (int j = 0; j < DIM; j++) {
        q[j] = r.nextFloat();
      }
      return q;
    }).toList();
    Predicate<Row> filter = row -> (row.color().equals("red") || row.color().equals("blue")) && row.price() < 60;
    SearchResp found = client.search(SearchReq.builder().collectionName(name).annsField("vector")
        .data(queries.stream().map(q -> (io.milvus.v2.service.vector.request.data.BaseVector) new FloatVec(q)).toList())
        .topK(10).filter("color in [\"red\", \"blue\"] and price < 60").outputFields(List.of("color", "price"))
        .searchParams(Map.of("ef", 600)).build());
    assertEquals(4, found.getSearchResults().size());
    for (int i = 0; i < queries.size(); i++) {
      List<SearchResp.SearchResult> hits = found.getSearchResults().get(i);
      List<Long> expected = bruteForce(rows, queries.get(i), 10, filter);
      assertEquals(expected, hits.stream().map(h -> (Long) h.getId()).toList(), "query " + i);
      for (SearchResp.SearchResult h : hits) {
        Row row = rows.get(((Long) h.getId()).intValue());
        assertEquals(l2(row.vector(), queries.get(i)), h.getScore(), 1e-4, "the score is the squared L2 distance");
        assertEquals(row.color(), h.getEntity().get("color"));
        assertEquals(row.price(), (Double) h.getEntity().get("price"), 1e-9);
      }
    }

    // offset pages through the same ranking; the vector field comes back when asked for.
    SearchResp paged = client.search(SearchReq.builder().collectionName(name).annsField("vector")
        .data(List.of(new FloatVec(queries.getFirst()))).topK(5).offset(5).filter("color in [\"red\", \"blue\"] and price < 60")
        .outputFields(List.of("vector")).searchParams(Map.of("ef", 600)).build());
    List<Long> top10 = bruteForce(rows, queries.getFirst(), 10, filter);
    assertEquals(top10.subList(5, 10), paged.getSearchResults().getFirst().stream().map(h -> (Long) h.getId()).toList());
    for (SearchResp.SearchResult h : paged.getSearchResults().getFirst()) {
      float[] v = rows.get(((Long) h.getId()).intValue()).vector();
      @SuppressWarnings("unchecked")
      List<Float> got = (List<Float>) h.getEntity().get("vector");
      assertEquals(DIM, got.size());
      for (int j = 0; j < DIM; j++) {
        assertEquals(v[j], got.get(j), 0f);
      }
    }

    // The same search through the Milvus API and through the HTTP read endpoint: same ids, and the time each takes.
    float[] q0 = queries.getFirst();
    StringBuilder feature = new StringBuilder();
    for (float f : q0) {
      feature.append(feature.isEmpty() ? "" : ",").append(f);
    }
    String httpBody = "{\"query\": {\"sum\": [{\"field\": \"vector\", \"feature\": [" + feature + "]}]}, \"size\": 10,"
        + " \"fields\": [\"color\"], \"retrieval_param\": {\"ef\": 600}}";
    SearchReq sdkSearch = SearchReq.builder().collectionName(name).annsField("vector").data(List.of(new FloatVec(q0)))
        .topK(10).outputFields(List.of("color")).searchParams(Map.of("ef", 600))
        .consistencyLevel(ConsistencyLevel.EVENTUALLY).build();
    List<Long> viaHttp = new ArrayList<>();
    read.post("/default/" + name + "/_search", httpBody).json().path("hits").path("hits")
        .forEach(h -> viaHttp.add(Long.parseLong(h.path("_id").asText())));
    assertEquals(viaHttp, client.search(sdkSearch).getSearchResults().getFirst().stream().map(h -> (Long) h.getId())
        .toList());
    long[] sdkNanos = new long[200];
    long[] httpNanos = new long[200];
    for (int i = 0; i < 200; i++) {
      long t0 = System.nanoTime();
      client.search(sdkSearch);
      long t1 = System.nanoTime();
      read.post("/default/" + name + "/_search", httpBody);
      httpNanos[i] = System.nanoTime() - t1;
      sdkNanos[i] = t1 - t0;
    }
    java.util.Arrays.sort(sdkNanos);
    java.util.Arrays.sort(httpNanos);
    System.out.printf("MilvusSdkIT latency, 200 sequential searches (nq 1, k 10, 600 docs): Milvus SDK p50 %.2f ms "
        + "p99 %.2f ms; HTTP p50 %.2f ms p99 %.2f ms%n", sdkNanos[100] / 1e6, sdkNanos[197] / 1e6, httpNanos[100] / 1e6,
        httpNanos[197] / 1e6);

    // Query: a filter with a bool field, output fields, count(*), get by ids.
    QueryResp q = client.query(QueryReq.builder().collectionName(name).filter("stock >= 50 and sale == true")
        .outputFields(List.of("stock", "sale")).limit(1000).build());
    Set<Long> expectedIds = rows.stream().filter(x -> x.stock() >= 50 && x.sale()).map(Row::id)
        .collect(Collectors.toSet());
    assertEquals(expectedIds, q.getQueryResults().stream().map(x -> (Long) x.getEntity().get("id"))
        .collect(Collectors.toSet()));
    q.getQueryResults().forEach(x -> {
      assertEquals(Boolean.TRUE, x.getEntity().get("sale"));
      assertTrue((Integer) x.getEntity().get("stock") >= 50);
    });
    assertEquals((long) rows.size(), count(name, ""));
    assertEquals(rows.stream().filter(x -> !x.color().equals("green")).count(), count(name, "not (color == \"green\")"));
    assertEquals(List.of(3L, 5L), client.get(GetReq.builder().collectionName(name).ids(List.of(3L, 5L))
        .outputFields(List.of("color")).build()).getGetResults().stream().map(x -> (Long) x.getEntity().get("id"))
        .sorted().toList());

    // Delete by ids and by filter; the deleted rows are gone from searches and queries.
    assertEquals(10, client.delete(DeleteReq.builder().collectionName(name)
        .ids(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L)).build()).getDeleteCnt());
    client.delete(DeleteReq.builder().collectionName(name).filter("color == \"green\" and price > 50").build());
    List<Row> left = rows.stream().filter(x -> x.id() >= 10 && !(x.color().equals("green") && x.price() > 50)).toList();
    assertEquals(left.size(), count(name, ""));
    SearchResp after = client.search(SearchReq.builder().collectionName(name).annsField("vector")
        .data(List.of(new FloatVec(queries.getFirst()))).topK(20).searchParams(Map.of("ef", 600)).build());
    assertEquals(bruteForce(left, queries.getFirst(), 20, x -> true),
        after.getSearchResults().getFirst().stream().map(h -> (Long) h.getId()).toList());

    client.dropCollection(DropCollectionReq.builder().collectionName(name).build());
    assertFalse(client.hasCollection(HasCollectionReq.builder().collectionName(name).build()));
    // Dropping what does not exist succeeds, as in Milvus.
    client.dropCollection(DropCollectionReq.builder().collectionName(name).build());
  }

  private static long count(String name, String filter) {
    QueryResp r = client.query(QueryReq.builder().collectionName(name).filter(filter)
        .outputFields(List.of("count(*)")).build());
    return (Long) r.getQueryResults().getFirst().getEntity().get("count(*)");
  }

  @Test
  @Order(2)
  void anAliasSwitchedDuringSearchesGivesNoFailedOrMixedAnswer() throws Exception {
    List<Row> rows = rows(200, 1);
    for (String v : List.of("shop_v1", "shop_v2")) {
      client.createCollection(CreateCollectionReq.builder().collectionName(v).collectionSchema(schema())
          .indexParams(List.of(IndexParam.builder().fieldName("vector").indexType(IndexParam.IndexType.FLAT)
              .metricType(IndexParam.MetricType.L2).build()))
          .consistencyLevel(ConsistencyLevel.STRONG).build());
      // Each version's rows carry its own color, so an answer says which version it came from.
      String tag = v.endsWith("1") ? "red" : "blue";
      client.insert(InsertReq.builder().collectionName(v).data(rows.stream()
          .map(x -> json(new Row(x.id(), x.vector(), tag, x.price(), x.stock(), x.sale()))).toList()).build());
      assertEquals(200L, count(v, ""));
    }
    // Creating the index a collection already has, after the inserts, is accepted (and waited for by the SDK);
    // a second index of another name on the field is refused, as in Milvus.
    client.createIndex(CreateIndexReq.builder().collectionName("shop_v1").indexParams(List.of(IndexParam.builder()
        .fieldName("vector").indexType(IndexParam.IndexType.FLAT).metricType(IndexParam.MetricType.L2).build()))
        .build());
    org.junit.jupiter.api.Assertions.assertThrows(io.milvus.v2.exception.MilvusClientException.class,
        () -> client.createIndex(CreateIndexReq.builder().collectionName("shop_v1").indexParams(List.of(
            IndexParam.builder().fieldName("vector").indexName("other").indexType(IndexParam.IndexType.HNSW)
                .metricType(IndexParam.MetricType.L2).build())).build()));
    client.createAlias(CreateAliasReq.builder().collectionName("shop_v1").alias("shop").build());
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicInteger answers = new AtomicInteger();
    Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Thread loop = Thread.ofPlatform().start(() -> {
      Random r = new Random(3);
      while (!done.get() && failure.get() == null) {
        try {
          float[] q = new float[DIM];
          for (int j = 0; j < DIM; j++) {
            q[j] = r.nextFloat();
          }
          SearchResp resp = client.search(SearchReq.builder().collectionName("shop").annsField("vector")
              .data(List.of(new FloatVec(q))).topK(10).outputFields(List.of("color"))
              .consistencyLevel(ConsistencyLevel.EVENTUALLY).build());
          List<SearchResp.SearchResult> hits = resp.getSearchResults().getFirst();
          Set<Object> colors = new HashSet<>();
          hits.forEach(h -> colors.add(h.getEntity().get("color")));
          if (hits.size() != 10 || colors.size() != 1) {
            throw new AssertionError("a mixed or short answer: " + hits.size() + " hits of colors " + colors);
          }
          seen.add((String) colors.iterator().next());
          answers.incrementAndGet();
        } catch (Throwable e) {
          failure.set(e);
        }
      }
    });
    for (int i = 0; i < 6; i++) {
      Thread.sleep(300);
      client.alterAlias(AlterAliasReq.builder().collectionName(i % 2 == 0 ? "shop_v2" : "shop_v1").alias("shop")
          .build());
    }
    Thread.sleep(300);
    done.set(true);
    loop.join();
    if (failure.get() != null) {
      throw new AssertionError("a search failed during the switches", failure.get());
    }
    assertTrue(answers.get() > 20, "searches answered: " + answers.get());
    assertEquals(Set.of("red", "blue"), seen, "answers from both versions");
    assertEquals("shop_v1", client.describeAlias(io.milvus.v2.service.utility.request.DescribeAliasReq.builder()
        .alias("shop").build()).getCollectionName());
    assertEquals(List.of("shop"), client.listAliases(io.milvus.v2.service.utility.request.ListAliasesReq.builder()
        .collectionName("shop_v1").build()).getAlias());
    client.dropAlias(io.milvus.v2.service.utility.request.DropAliasReq.builder().alias("shop").build());
    org.junit.jupiter.api.Assertions.assertThrows(io.milvus.v2.exception.MilvusClientException.class,
        () -> client.describeAlias(io.milvus.v2.service.utility.request.DescribeAliasReq.builder().alias("shop")
            .build()));
  }

  @Test
  @Order(3)
  void aPooledClientWithKeepaliveRecoversAfterARestart() throws Exception {
    String name = "pooled";
    List<Row> rows = rows(100, 5);
    client.createCollection(CreateCollectionReq.builder().collectionName(name).collectionSchema(schema())
        .indexParams(List.of(IndexParam.builder().fieldName("vector").indexType(IndexParam.IndexType.FLAT)
            .metricType(IndexParam.MetricType.L2).build()))
        .consistencyLevel(ConsistencyLevel.STRONG).build());
    client.insert(InsertReq.builder().collectionName(name).data(rows.stream().map(MilvusSdkIT::json).toList()).build());
    assertEquals(100L, count(name, ""));

    ConnectConfig cc = ConnectConfig.builder().uri("http://127.0.0.1:" + milvusPort).keepAliveTimeMs(10_000)
        .keepAliveTimeoutMs(2_000).keepAliveWithoutCalls(true).rpcDeadlineMs(5_000).build();
    MilvusClientV2Pool pool = new MilvusClientV2Pool(PoolConfig.builder().maxIdlePerKey(2).maxTotalPerKey(2)
        .maxBlockWaitDuration(Duration.ofSeconds(5)).build(), cc);
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger wrong = new AtomicInteger();
    Thread loop = Thread.ofPlatform().start(() -> {
      float[] q = rows.get(17).vector();
      while (!done.get()) {
        MilvusClientV2 c = pool.getClient("it");
        try {
          SearchResp resp = c.search(SearchReq.builder().collectionName(name).annsField("vector")
              .data(List.of(new FloatVec(q))).topK(3).consistencyLevel(ConsistencyLevel.EVENTUALLY).build());
          if (!Long.valueOf(17).equals(resp.getSearchResults().getFirst().getFirst().getId())) {
            wrong.incrementAndGet();
          }
          ok.incrementAndGet();
        } catch (RuntimeException e) {
          failed.incrementAndGet();
          try {
            Thread.sleep(100);
          } catch (InterruptedException stop) {
            return;
          }
        } finally {
          pool.returnClient("it", c);
        }
      }
    });
    try {
      Standalone.waitFor("searches through the pool", Duration.ofSeconds(30), () -> ok.get() > 10);
      assertTrue(List.of(0, 143).contains(standalone.stop()), "a graceful stop (SIGTERM)");
      int before = ok.get();
      standalone.restart();
      waitReady();
      Standalone.waitFor("the pooled clients to search again after the restart", Duration.ofSeconds(60),
          () -> ok.get() > before + 10);
    } finally {
      done.set(true);
      loop.join();
      pool.close();
    }
    System.out.println("MilvusSdkIT pool: " + ok.get() + " searches answered, " + failed.get()
        + " failed while the standalone was down");
    assertEquals(0, wrong.get(), "every answer found the query's own row first");
  }
}
