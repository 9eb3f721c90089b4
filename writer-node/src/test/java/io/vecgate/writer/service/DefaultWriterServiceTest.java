package io.vecgate.writer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgate.common.api.ApiException;
import io.vecgate.common.store.DataLayout;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.alias.AliasStores;
import io.vecgate.coordination.alias.AliasTarget;
import io.vertx.core.Vertx;
import io.vecgate.writer.TestSpaces;
import io.vecgate.writer.store.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultWriterServiceTest {

  @TempDir
  Path dir;

  DefaultWriterService service;
  Vertx vertx;
  AliasStore aliases;
  final Random random = new Random(7);

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    aliases = AliasStores.open(vertx, AliasStoreConfig.defaults()).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    service = openService();
    ok("db.create", Map.of(), "{\"name\":\"db\"}");
    ok("space.create", Map.of("db", "db"), TestSpaces.body("s", 4));
  }

  DefaultWriterService openService() throws Exception {
    return DefaultWriterService.open(new DataLayout(dir),
        new DefaultWriterService.Settings(StoreConfig.DEFAULTS, 100_000, 1 << 20), WriterNotices.NONE, aliases);
  }

  @AfterEach
  void close() throws Exception {
    service.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  JsonNode ok(String op, Map<String, String> headers, String body) throws Exception {
    WriterReply r = service.handle(op, headers, body.getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
    return TestSpaces.parse(r.body());
  }

  ApiException refused(String op, Map<String, String> headers, String body) throws Exception {
    try {
      service.handle(op, headers, body.getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (ApiException) e.getCause();
    }
    throw new AssertionError(op + " was accepted");
  }

  static Map<String, String> h(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  String doc() {
    return TestSpaces.docJson(TestSpaces.vector(random, 4), 1.5f);
  }

  long docNum() throws Exception {
    return ok("space.get", h("db", "db", "space", "s"), "").at("/data/doc_num").asLong();
  }

  @Test
  void bulkErrorsFailOnlyTheirItemAndNameTheLine() throws Exception {
    String body = "{\"index\":{\"_id\":\"a\"}}\n" + doc() + "\n"
        + "\n"
        + "{\"index\":{\"_id\":\"b\"}}\n{\"vec\":{\"feature\":[1,2]}}\n"
        + "{\"index\":{\"_id\":\"c\"}}\n{not json\n"
        + "{\"upsert\":{\"_id\":\"d\"}}\n" + doc() + "\n"
        + "{\"delete\":{\"_id\":\"zz\"}}\n"
        + "{\"index\":{}}\n" + doc() + "\n"
        + "{\"delete\":{\"_id\":\"a\"}}\n";
    JsonNode r = ok("doc.bulk", h("db", "db", "space", "s"), body);
    assertTrue(r.get("errors").asBoolean());
    JsonNode items = r.get("items");
    assertEquals(7, items.size(), r.toString());
    assertEquals("created", items.at("/0/index/result").asText());
    assertEquals(201, items.at("/0/index/status").asInt());
    assertEquals(400, items.at("/1/index/status").asInt());
    assertTrue(items.at("/1/index/error/reason").asText().contains("line 5"), items.get(1).toString());
    assertTrue(items.at("/1/index/error/reason").asText().contains("4"), "names the expected dimension");
    assertTrue(items.at("/2/index/error/reason").asText().startsWith("line 7"), items.get(2).toString());
    assertTrue(items.at("/3/upsert/error/reason").asText().contains("unknown action 'upsert'"), items.get(3).toString());
    assertEquals("not_found", items.at("/4/delete/result").asText());
    assertEquals(404, items.at("/4/delete/status").asInt());
    assertEquals("created", items.at("/5/index/result").asText());
    assertFalse(items.at("/5/index/_id").asText().isEmpty(), "generated id");
    assertEquals("deleted", items.at("/6/delete/result").asText());
    assertEquals(1, docNum());
  }

  @Test
  void notNdjsonAtAllStillAnswersWithItemErrors() throws Exception {
    JsonNode r = ok("doc.bulk", h("db", "db", "space", "s"), "this is not json\nneither is this");
    assertTrue(r.get("errors").asBoolean());
    assertTrue(r.get("items").size() >= 1);
    assertEquals(400, r.at("/items/0/index/status").asInt());
    assertEquals(0, docNum());
  }

  @Test
  void refreshTrueSealsBeforeAnswering() throws Exception {
    ok("doc.bulk", h("db", "db", "space", "s", "q.refresh", "true"), "{\"index\":{\"_id\":\"1\"}}\n" + doc() + "\n");
    JsonNode d = ok("space.get", h("db", "db", "space", "s"), "").get("data");
    assertEquals(1, d.get("version").asLong());
    assertEquals(0, d.get("buffered").asInt());
    assertEquals(1, d.get("doc_num").asLong());
  }

  @Test
  void indexDeleteAndRefusalsThatChangeNothing() throws Exception {
    JsonNode r = ok("doc.index", h("db", "db", "space", "s", "id", "x"), doc());
    assertEquals("created", r.get("result").asText());
    assertEquals("db", r.get("_index").asText());
    assertEquals("s", r.get("_type").asText());
    assertEquals("updated", ok("doc.index", h("db", "db", "space", "s", "id", "x"), doc()).get("result").asText());
    JsonNode gen = ok("doc.index", h("db", "db", "space", "s"), doc());
    assertEquals(201, gen.get("status").asInt());
    ApiException e = refused("doc.index", h("db", "db", "space", "s", "id", "y"), "{\"vec\":{\"feature\":[1,2,3,4]},\"color\":1}");
    assertEquals(400, e.status());
    assertTrue(e.reason().contains("color"), e.reason());
    assertEquals(400, refused("doc.index", h("db", "db", "space", "s", "id", "y"), "{\"price\":\"cheap\",\"vec\":{\"feature\":[1,2,3,4]}}").status());
    assertEquals(400, refused("doc.index", h("db", "db", "space", "s"), "").status());
    assertEquals(404, refused("doc.index", h("db", "db", "space", "nope"), doc()).status());
    assertEquals(404, refused("doc.index", h("db", "nodb", "space", "s"), doc()).status());
    assertEquals(413, refused("doc.bulk", h("db", "db", "space", "s"), "x".repeat((1 << 20) + 1)).status());
    assertEquals(2, docNum());
    assertEquals("deleted", ok("doc.delete", h("db", "db", "space", "s", "id", "x"), "").get("result").asText());
    assertEquals("not_found", ok("doc.delete", h("db", "db", "space", "s", "id", "x"), "").get("result").asText());
    assertEquals(1, docNum());
    assertEquals(400, refused("nope.op", h(), "").status());
  }

  @Test
  void spaceAndDbManagement() throws Exception {
    assertEquals(409, refused("space.create", h("db", "db"), TestSpaces.body("s", 4)).status());
    ApiException bad = refused("space.create", h("db", "db"), "{\"name\":\"t\",\"engine\":{\"retrieval_type\":\"NOPE\"},\"properties\":{}}");
    assertEquals(400, bad.status());
    assertEquals(409, refused("db.drop", h("db", "db"), "").status());
    assertEquals("s", ok("db.get", h("db", "db"), "").at("/data/spaces/0").asText());
    assertEquals(1, ok("space.list", h("db", "db"), "").get("data").size());
    JsonNode d = ok("space.get", h("db", "db", "space", "s"), "").get("data");
    for (String f : new String[] {"name", "db", "partition_num", "replica_num", "partitioner", "engine", "properties",
        "doc_num", "buffered", "version", "versions", "partitions", "index_state"}) {
      assertTrue(d.has(f), f + " in " + d);
    }
    ok("alias.create", h("alias", "live", "db", "db", "space", "s"), "");
    assertEquals("created", ok("doc.index", h("db", "db", "space", "live", "id", "1"), doc()).get("result").asText());
    assertEquals("s", ok("alias.get", h("alias", "live"), "").at("/data/space").asText());
    JsonNode dropped = ok("space.drop", h("db", "db", "space", "s"), "");
    assertEquals("live", dropped.at("/data/aliases_deleted/0").asText(), dropped.toString());
    assertEquals(404, refused("space.get", h("db", "db", "space", "s"), "").status());
    assertEquals(404, refused("alias.get", h("alias", "live"), "").status());
    ok("db.drop", h("db", "db"), "");
    assertEquals(0, ok("db.list", h(), "").get("data").size());
    assertFalse(java.nio.file.Files.exists(new DataLayout(dir).spaceDir("db", "s")));
  }

  @Test
  void aliasChangesAreCheckedThenMadeInTheStore() throws Exception {
    ok("space.create", h("db", "db"), TestSpaces.body("t", 4));
    WriterReply created = service.handle("alias.create", h("alias", "live", "db", "db", "space", "s"), new byte[0])
        .get(30, TimeUnit.SECONDS);
    assertEquals(String.valueOf(aliases.local().get("live").orElseThrow().revision()),
        created.headers().get(WriterReply.ALIAS_REVISION));
    assertEquals(new AliasTarget("db", "s"), aliases.local().resolve("live"));
    // The target must exist; the name must be a name; refusals change nothing.
    ApiException noSpace = refused("alias.switch", h("alias", "live", "db", "db", "space", "nope"), "");
    assertEquals(404, noSpace.status());
    assertTrue(noSpace.reason().contains("nope"), noSpace.reason());
    assertEquals(404, refused("alias.create", h("alias", "x", "db", "nodb", "space", "s"), "").status());
    assertEquals(400, refused("alias.create", h("alias", "9bad", "db", "db", "space", "s"), "").status());
    assertEquals(409, refused("alias.create", h("alias", "live", "db", "db", "space", "t"), "").status());
    assertEquals(404, refused("alias.switch", h("alias", "other", "db", "db", "space", "t"), "").status());
    assertEquals(409, refused("alias.rollback", h("alias", "live"), "").status());
    assertEquals(new AliasTarget("db", "s"), aliases.local().resolve("live"));

    JsonNode switched = ok("alias.switch", h("alias", "live", "db", "db", "space", "t"), "");
    assertEquals("t", switched.at("/data/space").asText());
    assertEquals("s", switched.at("/data/history/0/space").asText());
    assertEquals("t", ok("alias.list", h(), "").at("/data/0/space").asText());
    // Writes through the alias land in its new target.
    ok("doc.index", h("db", "db", "space", "live", "id", "9"), doc());
    assertEquals(1, ok("space.get", h("db", "db", "space", "t"), "").at("/data/doc_num").asLong());
    assertEquals(0, ok("space.get", h("db", "db", "space", "s"), "").at("/data/doc_num").asLong());
    assertEquals("s", ok("alias.rollback", h("alias", "live"), "").at("/data/space").asText());
    assertEquals("s", ok("alias.delete", h("alias", "live"), "").at("/data/space").asText());
    assertEquals(0, ok("alias.list", h(), "").get("data").size());
  }

  @Test
  void aliasesOfAnOlderCatalogMoveIntoTheStore() throws Exception {
    service.close();
    Path file = new DataLayout(dir).catalog();
    com.fasterxml.jackson.databind.node.ObjectNode old = (com.fasterxml.jackson.databind.node.ObjectNode)
        TestSpaces.parse(java.nio.file.Files.readAllBytes(file)).get("body");
    old.putArray("aliases").addObject().put("name", "legacy").put("db", "db").put("space", "s");
    java.nio.file.Files.writeString(file, old.toString());
    service = openService();
    assertEquals(new AliasTarget("db", "s"), aliases.local().resolve("legacy"));
    assertFalse(java.nio.file.Files.readString(file).contains("legacy"), "catalog.json no longer lists it");
  }
}
