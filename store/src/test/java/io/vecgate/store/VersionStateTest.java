package io.vecgate.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.files.CorruptFileException;
import io.vecgate.files.JsonFileFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code version.json}: its round trip, its check, and every released format version still opening. */
class VersionStateTest {

  @TempDir
  Path dir;

  /** Copies a fixture of {@code src/test/resources/datafiles} into {@code dir} as {@code version.json}. */
  private Path fixture(String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/datafiles/" + name)) {
      Files.copy(in, dir.resolve(DataLayout.VERSION_STATE));
    }
    return dir;
  }

  private static void assertFixtureState(VersionState s) {
    assertEquals(42, s.lastWalSeq());
    assertEquals(101, s.nextDocSeq());
    assertArrayEquals(new int[] {1, 5}, s.deletedOf("p0-00000001.seg"));
    assertEquals(1, s.deleted().size());
  }

  @Test
  void roundTrip() throws IOException {
    new VersionState(42, 101, Map.of("p0-00000001.seg", new int[] {1, 5})).write(dir);
    assertFixtureState(VersionState.read(dir));
    assertTrue(Files.readString(dir.resolve(DataLayout.VERSION_STATE)).startsWith("{\"format\":\"vecgate.version_state\""));
  }

  @Test
  void everyReleasedVersionOpens() throws IOException {
    assertFixtureState(VersionState.read(fixture("version-v1.json")));
    Files.delete(dir.resolve(DataLayout.VERSION_STATE));
    assertFixtureState(VersionState.read(fixture("version-v2.json")));
  }

  @Test
  void aDamagedByteIsRefusedNamingTheFile() throws IOException {
    new VersionState(42, 101, Map.of("p0-00000001.seg", new int[] {1, 5})).write(dir);
    Path file = dir.resolve(DataLayout.VERSION_STATE);
    byte[] b = Files.readAllBytes(file);
    int at = new String(b, java.nio.charset.StandardCharsets.UTF_8).indexOf("[1,5]") + 1;
    b[at] = '2';
    Files.write(file, b);
    CorruptFileException e = assertThrows(CorruptFileException.class, () -> VersionState.read(dir));
    assertTrue(e.getMessage().startsWith(file + ": checksum mismatch"), e.getMessage());
  }

  @Test
  void aNewerVersionAndABodyThatIsNoVersionStateAreRefused() throws IOException {
    Path file = dir.resolve(DataLayout.VERSION_STATE);
    Files.write(file, JsonFileFormat.encode(new JsonFileFormat.Kind(JsonFileFormat.VERSION_STATE.name(), 3),
        "{\"lastWalSeq\":1,\"nextDocSeq\":2,\"deleted\":{}}".getBytes()));
    assertTrue(assertThrows(CorruptFileException.class, () -> VersionState.read(dir)).getMessage()
        .contains("format version 3"));
    Files.write(file, JsonFileFormat.encode(JsonFileFormat.VERSION_STATE,
        "{\"lastWalSeq\":1,\"nextDocSeq\":2,\"deleted\":{},\"extra\":2}".getBytes()));
    assertTrue(assertThrows(CorruptFileException.class, () -> VersionState.read(dir)).getMessage()
        .contains("\"extra\""));
  }
}
