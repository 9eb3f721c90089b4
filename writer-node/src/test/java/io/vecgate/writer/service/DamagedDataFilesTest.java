package io.vecgate.writer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.manifest.Manifest;
import io.vecgate.files.CorruptFileException;
import io.vecgate.store.DataLayout;
import io.vecgate.writer.TestSpaces;
import io.vecgate.writer.store.StoreConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer does not start on a catalog, a write-ahead log or a published manifest it cannot
 * trust: the start fails naming the file, and the file is left as it was (nothing is dropped).
 */
class DamagedDataFilesTest {

  @TempDir
  Path dir;

  DataLayout layout;
  Path catalog;
  Path wal;

  @BeforeEach
  void dataDirectoryOfTheFixtures() throws IOException {
    layout = new DataLayout(dir);
    catalog = copy("catalog-v2.json", layout.catalog());
    wal = copy("wal-v2.log", layout.walDir("shop", "items").resolve("wal-00000000000000000001.log"));
  }

  private Path copy(String fixture, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try (InputStream in = getClass().getResourceAsStream("/datafiles/" + fixture)) {
      Files.copy(in, to);
    }
    return to;
  }

  private DefaultWriterService open() throws IOException {
    return DefaultWriterService.open(layout, new ServiceSettings(StoreConfig.DEFAULTS, 100_000, 1 << 20),
        WriterNotices.NONE);
  }

  private void assertRefusedNaming(Path file) throws IOException {
    byte[] before = Files.readAllBytes(file);
    CorruptFileException e = assertThrows(CorruptFileException.class, this::open);
    assertEquals(file, e.file());
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)), "the file is left as it was");
  }

  @Test
  void theFixturesOpen() throws IOException {
    DefaultWriterService s = open();
    s.close();
  }

  @Test
  void aDamagedCatalogRefusesTheStart() throws IOException {
    byte[] b = Files.readAllBytes(catalog);
    b[b.length / 2] ^= 0x01;
    Files.write(catalog, b);
    assertRefusedNaming(catalog);
  }

  @Test
  void aDamagedWalHeaderRefusesTheStart() throws IOException {
    byte[] b = Files.readAllBytes(wal);
    b[9] ^= 0x01;
    Files.write(wal, b);
    assertRefusedNaming(wal);
  }

  @Test
  void aDamagedManifestRefusesTheStart() throws Exception {
    DefaultWriterService s = open();
    s.index("shop", "items", "a", Replies.payload("{\"vec\":{\"feature\":[1,2,3,4]},\"price\":1.5}"), true)
        .get(30, TimeUnit.SECONDS);
    s.close();
    long v = TestSpaces.newestVersion(layout, "shop", "items");
    assertTrue(v > 0, "a version is published");
    // The manifest says which segment files the kept versions link: without it the writer could
    // delete a file a reader still maps, or lose the newest version.
    Path manifest = layout.versionDir("shop", "items", v).resolve(Manifest.FILE_NAME);
    byte[] b = Files.readAllBytes(manifest);
    b[b.length - 6] ^= 0x01;
    Files.write(manifest, b);
    assertRefusedNaming(manifest);
  }
}
