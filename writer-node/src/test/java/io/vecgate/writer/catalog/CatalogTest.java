package io.vecgate.writer.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.files.CorruptFileException;
import io.vecgate.files.JsonFileFormat;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.writer.TestSpaces;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

  /** Copies a fixture of {@code src/test/resources/datafiles} to {@code catalog.json}. */
  private Path fixture(String name) throws IOException {
    Path file = dir.resolve("catalog.json");
    try (InputStream in = getClass().getResourceAsStream("/datafiles/" + name)) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }

  @Test
  void everyReleasedFormatVersionOpens() throws IOException {
    for (String name : List.of("catalog-v1.json", "catalog-v2.json")) {
      Catalog c = Catalog.open(fixture(name));
      assertEquals(3, c.revision(), name);
      assertEquals(List.of("items"), c.spaceNames("shop"), name);
      assertEquals(3, c.space("shop", "items").version(), name);
      assertEquals(4, c.space("shop", "items").schema().vectorLength(), name);
    }
  }

  @Test
  void theFileIsCheckedAndADamagedOneIsRefusedNamingIt() throws IOException {
    Catalog c = Catalog.open(dir.resolve("catalog.json"));
    c.createDb("shop");
    c.createSpace("shop", space("items"));
    Path file = dir.resolve("catalog.json");
    assertTrue(Files.readString(file).startsWith("{\"format\":\"vecgate.catalog\",\"format_version\":2,"));
    byte[] b = Files.readAllBytes(file);
    int at = new String(b, StandardCharsets.UTF_8).indexOf("\"dimension\" : 4") + 14;
    b[at] = '5';
    Files.write(file, b);
    CorruptFileException e = assertThrows(CorruptFileException.class, () -> Catalog.open(file));
    assertTrue(e.getMessage().startsWith(file + ": checksum mismatch"), e.getMessage());

    Files.write(file, JsonFileFormat.encode(new JsonFileFormat.Kind(JsonFileFormat.CATALOG.name(), 3),
        c.toJson().toString().getBytes(StandardCharsets.UTF_8)));
    e = assertThrows(CorruptFileException.class, () -> Catalog.open(file));
    assertTrue(e.getMessage().contains("format version 3"), e.getMessage());
    Files.writeString(file, "{\"revision\": 1, \"dbs\": [{\"name\": \"shop\"");
    assertTrue(assertThrows(CorruptFileException.class, () -> Catalog.open(file)).getMessage().startsWith(file + ": "));
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
