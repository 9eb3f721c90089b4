package io.vecgate.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.alias.AliasStores;
import io.vecgate.coordination.alias.AliasTarget;
import io.vecgate.engine.manifest.Manifest;
import io.vecgate.engine.manifest.Manifests;
import io.vecgate.engine.segment.SegmentReader;
import io.vecgate.store.DataLayout;
import io.vecgate.store.VersionState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriterVerticleTest {

  @TempDir
  Path dir;

  Vertx vertx;
  final Random random = new Random(3);

  AliasStore aliases;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    aliases = await(AliasStores.open(vertx, AliasStoreConfig.defaults()));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  String deploy(WriterVerticle v) throws Exception {
    return await(vertx.deployVerticle(v));
  }

  WriterConfig config() {
    return WriterConfig.defaults(dir).withRefreshInterval(Duration.ofMillis(100));
  }

  Message<Buffer> send(String op, String body, String... headers) throws Exception {
    DeliveryOptions o = new DeliveryOptions().addHeader("op", op);
    for (int i = 0; i < headers.length; i += 2) {
      o.addHeader(headers[i], headers[i + 1]);
    }
    return await(vertx.eventBus().<Buffer>request(WriterVerticle.ADDRESS, Buffer.buffer(body), o));
  }

  JsonNode ok(String op, String body, String... headers) throws Exception {
    Message<Buffer> m = send(op, body, headers);
    assertTrue(m.headers().get("status").startsWith("2"), m.headers().get("status"));
    return TestSpaces.parse(m.body().getBytes());
  }

  ReplyException failed(String op, String body, String... headers) throws Exception {
    try {
      send(op, body, headers);
    } catch (ExecutionException e) {
      return (ReplyException) e.getCause();
    }
    throw new AssertionError(op + " succeeded");
  }

  /** A future completed by the first message on {@code address} that matches. */
  CompletableFuture<JsonObject> next(String address, Predicate<JsonObject> match) {
    CompletableFuture<JsonObject> f = new CompletableFuture<>();
    vertx.eventBus().<Object>consumer(address, m -> {
      // Version notices are JSON objects, catalog notices JSON text in a Buffer (docs/internals.md).
      JsonObject o = m.body() instanceof Buffer b ? b.toJsonObject() : (JsonObject) m.body();
      if (match.test(o)) {
        f.complete(o);
      }
    });
    return f;
  }

  String doc() {
    return TestSpaces.docJson(TestSpaces.vector(random, 4), 2f);
  }

  @Test
  void servesTheWriterOpsPublishesVersionsAndSurvivesARestart() throws Exception {
    CompletableFuture<JsonObject> firstCatalog = next(WriterVerticle.CATALOG, c -> true);
    // No periodic refresh: the test's own refresh publishes version 1 with every write in it.
    WriterConfig config = config().withRefreshInterval(Duration.ofHours(1));
    WriterVerticle v = new WriterVerticle(config, aliases);
    deploy(v);
    assertTrue(v.isReady());
    assertEquals(0, firstCatalog.get(10, TimeUnit.SECONDS).getLong("revision"));

    assertEquals("shop", ok("db.create", "{\"name\":\"shop\"}").at("/data/name").asText());
    ReplyException dup = failed("db.create", "{\"name\":\"shop\"}");
    assertEquals(409, dup.failureCode());
    JsonObject err = new JsonObject(dup.getMessage());
    assertTrue(err.getJsonObject("error").getString("reason").contains("shop"));
    assertEquals(404, failed("space.get", "", "db", "shop", "space", "nope").failureCode());
    assertEquals(400, failed("frobnicate", "").failureCode());

    CompletableFuture<JsonObject> catalogWithSpace = next(WriterVerticle.CATALOG,
        c -> c.getJsonArray("dbs").getJsonObject(0).getJsonArray("spaces").size() == 1);
    ok("space.create", TestSpaces.body("items", 4), "db", "shop");
    catalogWithSpace.get(10, TimeUnit.SECONDS);
    ok("alias.create", "", "alias", "live", "db", "shop", "space", "items");

    Message<Buffer> created = send("doc.index", doc(), "db", "shop", "space", "items", "id", "v1");
    assertEquals("201", created.headers().get("status"));
    assertNull(created.headers().get("version"), "only a refreshed write names a version");
    ok("doc.index", doc(), "db", "shop", "space", "live");
    JsonNode bulk = ok("doc.bulk", "{\"index\":{\"_id\":\"v2\"}}\n" + doc() + "\n{\"index\":{\"_id\":\"v3\"}}\n" + doc() + "\n",
        "db", "shop", "space", "items");
    assertEquals(false, bulk.get("errors").asBoolean());

    CompletableFuture<JsonObject> published = next(WriterVerticle.VERSIONS, n -> n.getLong("version", 0L) >= 1);
    Message<Buffer> refreshed = send("refresh", "", "db", "shop", "space", "items");
    long version = TestSpaces.parse(refreshed.body().getBytes()).at("/data/version").asLong();
    assertEquals(1, version);
    assertEquals("1", refreshed.headers().get("version"), "the version header the gateway waits on");
    JsonObject notice = published.get(10, TimeUnit.SECONDS);
    assertEquals("items", notice.getString("space"));
    Path vdir = Path.of(notice.getString("dir"));
    assertEquals(new DataLayout(dir).versionDir("shop", "items", 1), vdir);
    assertTrue(Files.exists(vdir.resolve(Manifest.FILE_NAME)));
    assertTrue(Files.exists(vdir.resolve(DataLayout.VERSION_STATE)));
    Manifest m = Manifests.readVerified(vdir, true);
    assertEquals(4, m.totalCount());
    for (VersionState.SegmentRef ref : VersionState.segments(m)) {
      try (SegmentReader r = SegmentReader.open(vdir.resolve(ref.file()))) {
        assertTrue(r.size() > 0);
      }
    }

    // Unsealed writes right before a stop must come back from the WAL.
    ok("doc.index", doc(), "db", "shop", "space", "items", "id", "v4");
    ok("doc.delete", "", "db", "shop", "space", "items", "id", "v1");
    await(vertx.undeploy(vertx.deploymentIDs().iterator().next()));

    // A restart of the whole node: a new Vert.x, so a new, empty alias table; the writer's copy restores it.
    await(vertx.close());
    vertx = Vertx.vertx();
    aliases = await(AliasStores.open(vertx, AliasStoreConfig.defaults()));
    assertEquals(null, aliases.local().resolve("live"));
    WriterVerticle again = new WriterVerticle(config, aliases);
    deploy(again);
    assertEquals(new AliasTarget("shop", "items"), aliases.local().resolve("live"));
    JsonNode catalog = ok("catalog.get", "");
    assertTrue(catalog.path("aliases").isMissingNode(), "aliases are not in the catalog: " + catalog);
    assertEquals("items", catalog.at("/dbs/0/spaces/0/name").asText());
    assertTrue(catalog.at("/dbs/0/spaces/0/version").asLong() >= 1);
    JsonNode desc = ok("space.get", "", "db", "shop", "space", "live").get("data");
    assertEquals(4, desc.get("doc_num").asLong(), desc.toString());
    Message<Buffer> gone = send("doc.delete", "", "db", "shop", "space", "items", "id", "v1");
    assertEquals("404", gone.headers().get("status"));
    assertEquals("not_found", TestSpaces.parse(gone.body().getBytes()).get("result").asText());
    assertEquals("updated", ok("doc.index", doc(), "db", "shop", "space", "items", "id", "v4").get("result").asText());
  }

  @Test
  void periodicRefreshPublishesBufferedWrites() throws Exception {
    deploy(new WriterVerticle(config(), aliases));
    ok("db.create", "{\"name\":\"d\"}");
    ok("space.create", TestSpaces.body("s", 4), "db", "d");
    CompletableFuture<JsonObject> published = next(WriterVerticle.VERSIONS, n -> "s".equals(n.getString("space")));
    ok("doc.index", doc(), "db", "d", "space", "s", "id", "1");
    assertEquals(1, published.get(10, TimeUnit.SECONDS).getLong("version"));
    CompletableFuture<JsonObject> dropped = next(WriterVerticle.VERSIONS, n -> n.getBoolean("dropped", false));
    ok("space.drop", "", "db", "d", "space", "s");
    assertEquals("s", dropped.get(10, TimeUnit.SECONDS).getString("space"));
  }

  @Test
  void sealDocsSealsWithoutWaitingForTheRefresh() throws Exception {
    deploy(new WriterVerticle(config().withRefreshInterval(Duration.ofHours(1)).withSealDocs(3), aliases));
    ok("db.create", "{\"name\":\"d\"}");
    ok("space.create", TestSpaces.body("s", 4), "db", "d");
    CompletableFuture<JsonObject> published = next(WriterVerticle.VERSIONS, n -> "s".equals(n.getString("space")));
    StringBuilder bulk = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      bulk.append("{\"index\":{\"_id\":\"").append(i).append("\"}}\n").append(doc()).append('\n');
    }
    ok("doc.bulk", bulk.toString(), "db", "d", "space", "s");
    assertEquals(1, published.get(10, TimeUnit.SECONDS).getLong("version"));
  }
}
