package io.vecgate.writer.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.common.api.ApiException;
import io.vecgate.writer.TestSpaces;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {

  @TempDir
  Path dir;

  private static ObjectNode space(String name) {
    return (ObjectNode) TestSpaces.parse(TestSpaces.body(name, 4));
  }

  private static int status(Runnable r) {
    return assertThrows(ApiException.class, r::run).status();
  }

  @Test
  void persistsDbsSpacesAndRevision() throws IOException {
    Catalog c = Catalog.open(dir.resolve("catalog.json"));
    c.createDb("shop");
    c.createSpace("shop", space("items"));
    c.setVersion("shop", "items", 3);
    long rev = c.revision();
    assertEquals(3, rev);

    Catalog back = Catalog.open(dir.resolve("catalog.json"));
    assertEquals(rev, back.revision());
    assertEquals(List.of("items"), back.spaceNames("shop"));
    assertEquals(3, back.space("shop", "items").version());
    assertEquals(back.toJson(), c.toJson());
    assertEquals("items", back.toJson().at("/dbs/0/spaces/0/schema/name").textValue());
    assertEquals("items", back.find("shop", "items").schema().name());
    assertEquals(null, back.find("shop", "live"));
    assertTrue(back.legacyAliases().isEmpty());
  }

  @Test
  void refusalsChangeNothing() throws IOException {
    Catalog c = Catalog.open(dir.resolve("catalog.json"));
    c.createDb("shop");
    c.createSpace("shop", space("items"));
    long rev = c.revision();
    assertEquals(409, status(() -> call(() -> c.createDb("shop"))));
    assertEquals(400, status(() -> call(() -> c.createDb("9bad"))));
    assertEquals(409, status(() -> call(() -> c.createSpace("shop", space("items")))));
    assertEquals(404, status(() -> call(() -> c.createSpace("nodb", space("x")))));
    assertEquals(409, status(() -> call(() -> c.dropDb("shop"))));
    assertEquals(404, status(() -> call(() -> c.dropDb("nodb"))));
    assertEquals(404, status(() -> c.space("shop", "nope")));
    assertEquals(404, status(() -> c.find("nodb", "x")));
    assertEquals(rev, c.revision());
    ApiException e = assertThrows(ApiException.class, () -> c.space("shop", "nope"));
    assertTrue(e.reason().contains("nope"), e.reason());
  }

  @Test
  void aliasesOfAnOlderCatalogAreReadForTheStoreAndLeaveTheFileOnTheNextWrite() throws IOException {
    Catalog c = Catalog.open(dir.resolve("catalog.json"));
    c.createDb("shop");
    c.createSpace("shop", space("items"));
    // As an older writer wrote it: aliases inside catalog.json.
    ObjectNode old = c.toJson();
    old.putArray("aliases").addObject().put("name", "live").put("db", "shop").put("space", "items");
    java.nio.file.Files.writeString(dir.resolve("catalog.json"), old.toString());
    Catalog back = Catalog.open(dir.resolve("catalog.json"));
    assertEquals(List.of(new Catalog.LegacyAlias("live", "shop", "items")), back.legacyAliases());
    back.rewrite();
    assertTrue(Catalog.open(dir.resolve("catalog.json")).legacyAliases().isEmpty());
    assertFalse(java.nio.file.Files.readString(dir.resolve("catalog.json")).contains("aliases"));
    back.dropSpace("shop", "items");
    back.dropDb("shop");
    assertTrue(Catalog.open(dir.resolve("catalog.json")).dbNames().isEmpty());
  }

  interface IoAction {
    void run() throws IOException;
  }

  private static void call(IoAction a) {
    try {
      a.run();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
