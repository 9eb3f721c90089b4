package io.vecgate.writer.service;

import static io.vecgate.writer.service.Replies.json;
import static io.vecgate.writer.service.Replies.ok;
import static io.vecgate.writer.service.Replies.payload;
import static io.vecgate.writer.service.Replies.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.alias.AliasStores;
import io.vecgate.coordination.alias.AliasTarget;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.store.DataLayout;
import io.vecgate.writer.TestSpaces;
import io.vecgate.writer.store.StoreConfig;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.Random;
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
    ok(service.createDb("db"));
    ok(service.createSpace("db", space("s")));
  }

  DefaultWriterService openService() throws Exception {
    return DefaultWriterService.open(new DataLayout(dir),
        new ServiceSettings(StoreConfig.DEFAULTS, 100_000, 1 << 20), WriterNotices.NONE, aliases);
  }

  @AfterEach
  void close() throws Exception {
    service.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static ObjectNode space(String name) {
    return json(TestSpaces.body(name, 4));
  }

  JsonNode bulk(String body) throws Exception {
    return ok(service.bulk("db", "s", payload(body), false));
  }

  String doc() {
    return TestSpaces.docJson(TestSpaces.vector(random, 4), 1.5f);
  }

  long docNum() throws Exception {
    return ok(service.getSpace("db", "s")).at("/data/doc_num").asLong();
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
    JsonNode r = bulk(body);
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
    JsonNode r = bulk("this is not json\nneither is this");
    assertTrue(r.get("errors").asBoolean());
    assertTrue(r.get("items").size() >= 1);
    assertEquals(400, r.at("/items/0/index/status").asInt());
    assertEquals(0, docNum());
  }

  @Test
  void refreshTrueSealsBeforeAnswering() throws Exception {
    WriterReply r = service.bulk("db", "s", payload("{\"index\":{\"_id\":\"1\"}}\n" + doc() + "\n"), true)
        .get(30, TimeUnit.SECONDS);
    assertEquals(OptionalLong.of(1), r.version(), "the reply names the version that holds the write");
    JsonNode d = ok(service.getSpace("db", "s")).get("data");
    assertEquals(1, d.get("version").asLong());
    assertEquals(0, d.get("buffered").asInt());
    assertEquals(1, d.get("doc_num").asLong());
  }

  @Test
  void indexDeleteAndRefusalsThatChangeNothing() throws Exception {
    JsonNode r = ok(service.index("db", "s", "x", payload(doc()), false));
    assertEquals("created", r.get("result").asText());
    assertEquals("db", r.get("_index").asText());
    assertEquals("s", r.get("_type").asText());
    assertEquals("updated", ok(service.index("db", "s", "x", payload(doc()), false)).get("result").asText());
    JsonNode gen = ok(service.index("db", "s", null, payload(doc()), false));
    assertEquals(201, gen.get("status").asInt());
    ApiException e = refused(service.index("db", "s", "y", payload("{\"vec\":{\"feature\":[1,2,3,4]},\"color\":1}"), false));
    assertEquals(400, e.status());
    assertTrue(e.reason().contains("color"), e.reason());
    assertEquals(400, refused(service.index("db", "s", "y",
        payload("{\"price\":\"cheap\",\"vec\":{\"feature\":[1,2,3,4]}}"), false)).status());
    assertEquals(400, refused(service.index("db", "s", null, payload(""), false)).status());
    assertEquals(404, refused(service.index("db", "nope", null, payload(doc()), false)).status());
    assertEquals(404, refused(service.index("nodb", "s", null, payload(doc()), false)).status());
    assertEquals(2, docNum());
    assertEquals("deleted", ok(service.delete("db", "s", "x", false)).get("result").asText());
    assertEquals("not_found", ok(service.delete("db", "s", "x", false)).get("result").asText());
    assertEquals(1, docNum());
  }

  @Test
  void spaceAndDbManagement() throws Exception {
    assertEquals(409, refused(service.createSpace("db", space("s"))).status());
    ApiException bad = refused(service.createSpace("db",
        json("{\"name\":\"t\",\"engine\":{\"retrieval_type\":\"NOPE\"},\"properties\":{}}")));
    assertEquals(400, bad.status());
    assertEquals(409, refused(service.dropDb("db")).status());
    assertEquals("s", ok(service.getDb("db")).at("/data/spaces/0").asText());
    assertEquals(1, ok(service.listSpaces("db")).get("data").size());
    JsonNode d = ok(service.getSpace("db", "s")).get("data");
    for (String f : new String[] {"name", "db", "partition_num", "replica_num", "partitioner", "engine", "properties",
        "doc_num", "buffered", "version", "versions", "partitions", "index_state"}) {
      assertTrue(d.has(f), f + " in " + d);
    }
    ok(service.createAlias("live", "db", "s"));
    assertEquals("created", ok(service.index("db", "live", "1", payload(doc()), false)).get("result").asText());
    assertEquals("s", ok(service.getAlias("live")).at("/data/space").asText());
    JsonNode dropped = ok(service.dropSpace("db", "s"));
    assertEquals("live", dropped.at("/data/aliases_deleted/0").asText(), dropped.toString());
    assertEquals(404, refused(service.getSpace("db", "s")).status());
    assertEquals(404, refused(service.getAlias("live")).status());
    ok(service.dropDb("db"));
    assertEquals(0, ok(service.listDbs()).get("data").size());
    assertFalse(java.nio.file.Files.exists(new DataLayout(dir).spaceDir("db", "s")));
  }

  @Test
  void aliasChangesAreCheckedThenMadeInTheStore() throws Exception {
    ok(service.createSpace("db", space("t")));
    WriterReply created = service.createAlias("live", "db", "s").get(30, TimeUnit.SECONDS);
    assertEquals(OptionalLong.of(aliases.local().get("live").orElseThrow().revision()), created.aliasRevision());
    assertEquals(new AliasTarget("db", "s"), aliases.local().resolve("live"));
    // The target must exist; the name must be a name; refusals change nothing.
    ApiException noSpace = refused(service.switchAlias("live", "db", "nope"));
    assertEquals(404, noSpace.status());
    assertTrue(noSpace.reason().contains("nope"), noSpace.reason());
    assertEquals(404, refused(service.createAlias("x", "nodb", "s")).status());
    assertEquals(400, refused(service.createAlias("9bad", "db", "s")).status());
    assertEquals(409, refused(service.createAlias("live", "db", "t")).status());
    assertEquals(404, refused(service.switchAlias("other", "db", "t")).status());
    assertEquals(409, refused(service.rollbackAlias("live")).status());
    assertEquals(new AliasTarget("db", "s"), aliases.local().resolve("live"));

    JsonNode switched = ok(service.switchAlias("live", "db", "t"));
    assertEquals("t", switched.at("/data/space").asText());
    assertEquals("s", switched.at("/data/history/0/space").asText());
    assertEquals("t", ok(service.listAliases()).at("/data/0/space").asText());
    // Writes through the alias land in its new target.
    ok(service.index("db", "live", "9", payload(doc()), false));
    assertEquals(1, ok(service.getSpace("db", "t")).at("/data/doc_num").asLong());
    assertEquals(0, ok(service.getSpace("db", "s")).at("/data/doc_num").asLong());
    assertEquals("s", ok(service.rollbackAlias("live")).at("/data/space").asText());
    assertEquals("s", ok(service.deleteAlias("live")).at("/data/space").asText());
    assertEquals(0, ok(service.listAliases()).get("data").size());
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
