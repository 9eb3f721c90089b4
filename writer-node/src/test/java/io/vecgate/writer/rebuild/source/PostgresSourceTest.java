package io.vecgate.writer.rebuild.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.protocol.api.ApiException;
import io.vecgate.space.Document;
import io.vecgate.space.SpaceSchema;
import io.vecgate.writer.TestSpaces;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link PostgresSource} against the local PostgreSQL server (127.0.0.1:5432, database test). */
class PostgresSourceTest {

  static final String URI = "postgresql://postgres@127.0.0.1:5432/test";
  static final int DIM = 4;

  Vertx vertx;
  Pool admin;
  String table;
  final SpaceSchema schema = TestSpaces.schema("shop", TestSpaces.body("items", DIM));

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    admin = PgBuilder.pool().connectingTo(URI).using(vertx).build();
    table = "vg_src_" + Long.toHexString(System.nanoTime());
  }

  @AfterEach
  void tearDown() throws Exception {
    await(admin.query("DROP TABLE IF EXISTS " + table).execute());
    await(admin.close());
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** Rows i = 1..n: vec [i, i+1, i+2, i+3], price i/2 (NULL for multiples of 7), brand b{i%3}, plus a column no field has. */
  void createRealArrayTable(int n) throws Exception {
    await(admin.query("CREATE TABLE " + table + " (id bigint PRIMARY KEY, vec real[], price real, brand text, updated_at int)")
        .execute());
    await(admin.query("INSERT INTO " + table + " SELECT i, ARRAY[i, i+1, i+2, i+3]::real[], "
        + "CASE WHEN i % 7 = 0 THEN NULL ELSE i / 2.0 END, 'b' || (i % 3), 0 FROM generate_series(1, " + n + ") i")
        .execute());
  }

  List<List<Document>> streamAll(DocumentSource source, int batch) throws Exception {
    List<List<Document>> batches = new ArrayList<>();
    long n = await(source.stream(batch, b -> {
      batches.add(b);
      return Future.succeededFuture();
    }));
    assertEquals(batches.stream().mapToInt(List::size).sum(), n);
    return batches;
  }

  @Test
  void streamsATableInBatchesWithItsFieldColumns() throws Exception {
    createRealArrayTable(2500);
    try (DocumentSource source = DocumentSources.open(vertx, schema, new SourceSpec.PostgresTable(URI, table))) {
      assertEquals(2500L, await(source.count()));
      List<List<Document>> batches = streamAll(source, 1000);
      assertEquals(List.of(1000, 1000, 500), batches.stream().map(List::size).toList());
      boolean[] seen = new boolean[2501];
      for (List<Document> b : batches) {
        for (Document d : b) {
          int i = Integer.parseInt(d.id());
          assertFalse(seen[i], "id " + i + " twice");
          seen[i] = true;
          assertArrayEquals(new float[] {i, i + 1, i + 2, i + 3}, d.vector());
          assertEquals("b" + (i % 3), d.scalars().get("brand"));
          if (i % 7 == 0) {
            assertFalse(d.scalars().containsKey("price"), "NULL is not set");
          } else {
            assertEquals(i / 2f, d.scalars().get("price"));
          }
        }
      }
    }
  }

  @Test
  void streamsAQueryWithTextIdsAndByteaOrDoubleVectors() throws Exception {
    await(admin.query("CREATE TABLE " + table + " (key text, emb bytea, emb8 double precision[], brand varchar(10))").execute());
    List<Tuple> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Buffer b = Buffer.buffer();
      for (int j = 0; j < DIM; j++) {
        b.appendFloatLE(i * 10 + j + 0.25f);
      }
      rows.add(Tuple.of("k" + i, b, new Double[] {i + 0.5, 1.0, 2.0, 3.0}, "x"));
    }
    await(admin.preparedQuery("INSERT INTO " + table + " VALUES ($1, $2, $3, $4)").executeBatch(rows));

    SourceSpec bytea = new SourceSpec.PostgresQuery(URI,
        "SELECT key AS _id, emb AS vec, brand FROM " + table + " WHERE key <> 'k3'");
    try (DocumentSource source = DocumentSources.open(vertx, schema, bytea)) {
      assertEquals(49L, await(source.count()));
      List<Document> docs = streamAll(source, 16).stream().flatMap(List::stream).toList();
      assertEquals(49, docs.size());
      Document k7 = docs.stream().filter(d -> d.id().equals("k7")).findFirst().orElseThrow();
      assertArrayEquals(new float[] {70.25f, 71.25f, 72.25f, 73.25f}, k7.vector());
      assertEquals("x", k7.scalars().get("brand"));
    }
    SourceSpec doubles = new SourceSpec.PostgresQuery(URI, "SELECT key AS id, emb8 AS vec FROM " + table);
    try (DocumentSource source = DocumentSources.open(vertx, schema, doubles)) {
      Document first = streamAll(source, 100).get(0).stream().filter(d -> d.id().equals("k2")).findFirst().orElseThrow();
      assertArrayEquals(new float[] {2.5f, 1, 2, 3}, first.vector());
    }
  }

  @Test
  void aSpaceWithSeveralVectorFieldsTakesOneColumnEach() throws Exception {
    SpaceSchema two = TestSpaces.schema("shop", "{\"name\": \"looks\", \"engine\": {\"retrieval_type\": \"FLAT\", "
        + "\"retrieval_param\": {\"metric_type\": \"L2\"}}, \"properties\": {\"title\": {\"type\": \"vector\", "
        + "\"dimension\": 3}, \"image\": {\"type\": \"vector\", \"dimension\": 2}}}");
    await(admin.query("CREATE TABLE " + table + " (id bigint, image real[], title real[])").execute());
    await(admin.query("INSERT INTO " + table + " VALUES (1, ARRAY[8, 9], ARRAY[1, 2, 3])").execute());
    try (DocumentSource source = DocumentSources.open(vertx, two, new SourceSpec.PostgresTable(URI, table))) {
      Document d = streamAll(source, 10).get(0).get(0);
      assertArrayEquals(new float[] {1, 2, 3, 8, 9}, d.vector(), "title then image, in schema order");
    }
    SourceSpec noImage = new SourceSpec.PostgresQuery(URI, "SELECT id, title FROM " + table);
    try (DocumentSource source = DocumentSources.open(vertx, two, noImage)) {
      ApiException e = (ApiException) assertThrows(ExecutionException.class,
          () -> await(source.stream(10, b -> Future.succeededFuture()))).getCause();
      assertTrue(e.reason().contains("no column for the vector field 'image'"), e.reason());
    }
  }

  @Test
  void aBadRowFailsTheStreamNamingRowColumnAndValues() throws Exception {
    createRealArrayTable(300);
    await(admin.query("UPDATE " + table + " SET vec = ARRAY[1, 2, 3]::real[] WHERE id = 250").execute());
    SourceSpec ordered = new SourceSpec.PostgresQuery(URI, "SELECT id, vec FROM " + table + " ORDER BY id");
    List<Integer> taken = new ArrayList<>();
    try (DocumentSource source = DocumentSources.open(vertx, schema, ordered)) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> await(source.stream(100, b -> {
        taken.add(b.size());
        return Future.succeededFuture();
      })));
      ApiException api = (ApiException) e.getCause();
      assertEquals(400, api.status());
      assertTrue(api.reason().contains("source row 250 (id 250): column 'vec': expected 4 floats"), api.reason());
      assertTrue(api.reason().contains("got 3"), api.reason());
      assertEquals(List.of(100, 100), taken, "the batches before the bad one, nothing after");
    }
    await(admin.query("UPDATE " + table + " SET vec = ARRAY[1, 'NaN', 3, 4]::real[] WHERE id = 250").execute());
    try (DocumentSource source = DocumentSources.open(vertx, schema, ordered)) {
      ApiException api = (ApiException) assertThrows(ExecutionException.class,
          () -> await(source.stream(100, b -> Future.succeededFuture()))).getCause();
      assertTrue(api.reason().contains("column 'vec'[1]: expected a finite float, got NaN"), api.reason());
    }
  }

  @Test
  void aFailingSinkStopsTheStreamWithItsCause() throws Exception {
    createRealArrayTable(1000);
    IllegalStateException cancelled = new IllegalStateException("cancelled");
    List<Integer> taken = new ArrayList<>();
    try (DocumentSource source = DocumentSources.open(vertx, schema, new SourceSpec.PostgresTable(URI, table))) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> await(source.stream(100, b -> {
        taken.add(b.size());
        return taken.size() == 3 ? Future.failedFuture(cancelled) : Future.succeededFuture();
      })));
      assertEquals(cancelled, e.getCause());
      assertEquals(3, taken.size());
    }
  }

  @Test
  void refusalsNameWhatIsWrong() throws Exception {
    createRealArrayTable(10);
    String reason = refusal(new SourceSpec.PostgresQuery(URI, "SELECT id, vec, updated_at FROM " + table), 400);
    assertTrue(reason.contains("column 'updated_at' is not a field of space items"), reason);
    reason = refusal(new SourceSpec.PostgresQuery(URI, "SELECT vec FROM " + table), 400);
    assertTrue(reason.contains("no id column"), reason);
    reason = refusal(new SourceSpec.PostgresQuery(URI, "SELECT id, price FROM " + table), 400);
    assertTrue(reason.contains("no column for the vector field 'vec'"), reason);
    reason = refusal(new SourceSpec.PostgresTable(URI, "no_such_table_here"), 400);
    assertTrue(reason.contains("no table \"no_such_table_here\""), reason);
    reason = refusal(new SourceSpec.PostgresQuery(URI, "SELEKT 1"), 400);
    assertTrue(reason.contains("source.query: PostgreSQL refused it") && reason.contains("SQLSTATE 42601"), reason);
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    reason = refusal(new SourceSpec.PostgresTable("postgresql://postgres:secret@127.0.0.1:" + closed + "/test", table), 503);
    assertTrue(reason.contains("cannot read from postgresql://postgres:***@127.0.0.1:" + closed), reason);
    assertFalse(reason.contains("secret"), reason);
  }

  private String refusal(SourceSpec spec, int status) throws Exception {
    try (DocumentSource source = DocumentSources.open(vertx, schema, spec)) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> await(
          source.count().compose(n -> source.stream(10, b -> Future.succeededFuture()))));
      ApiException api = (ApiException) e.getCause();
      assertEquals(status, api.status(), api.reason());
      return api.reason();
    }
  }
}
