package io.vecgate.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonFileFormatTest {

  static final JsonFileFormat.Kind KIND = new JsonFileFormat.Kind("vecgate.test", 2);
  static final byte[] BODY = "{\n  \"revision\" : 7,\n  \"names\" : [ \"a\", \"b\" ]\n}".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path dir;

  /** What a reader of the test kind gets: the version and the body. */
  record Read(int version, ObjectNode body) {}

  static Read decode(byte[] bytes, Path file) throws CorruptFileException {
    return JsonFileFormat.decode(bytes, file, KIND, Read::new);
  }

  static CorruptFileException refused(byte[] bytes, Path file) {
    CorruptFileException e = assertThrows(CorruptFileException.class, () -> decode(bytes, file));
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertEquals(file, e.file());
    return e;
  }

  @Test
  void aFileIsJsonWithTheHeaderAndTheBodyAsWritten() throws IOException {
    Path file = dir.resolve("test.json");
    JsonFileFormat.write(file, KIND, BODY);
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, StandardCharsets.UTF_8);
    assertTrue(text.startsWith("{\"format\":\"vecgate.test\",\"format_version\":2,\"crc32c\":\"0x"), text);
    assertTrue(text.endsWith(new String(BODY, StandardCharsets.UTF_8) + "\n}\n"), text);
    JsonNode whole = JsonFileFormat.MAPPER.readTree(bytes);
    assertEquals(JsonFileFormat.MAPPER.readTree(BODY), whole.get("body"), "jq .body shows the body");

    Read back = JsonFileFormat.read(file, KIND, Read::new);
    assertEquals(2, back.version());
    assertEquals(JsonFileFormat.MAPPER.readTree(BODY), back.body());
  }

  @Test
  void everyChangedByteIsRefusedNamingTheFile() {
    byte[] good = JsonFileFormat.encode(KIND, BODY);
    Path file = dir.resolve("test.json");
    for (int i = 0; i < good.length; i++) {
      for (int mask : new int[] {0x01, 0x02, 0x20, 0x80, 0xff}) {
        byte[] bad = good.clone();
        bad[i] ^= (byte) mask;
        refused(bad, file);
      }
    }
  }

  @Test
  void everyTruncationIsRefused() {
    byte[] good = JsonFileFormat.encode(KIND, BODY);
    Path file = dir.resolve("test.json");
    for (int n = 0; n < good.length; n++) {
      refused(Arrays.copyOf(good, n), file);
    }
    assertTrue(refused(Arrays.copyOf(good, good.length - 1), file).getMessage().contains("truncated"));
  }

  @Test
  void theChecksumMismatchIsNamed() {
    byte[] bad = JsonFileFormat.encode(KIND, BODY);
    bad[bad.length - 10] = '8';
    assertTrue(refused(bad, dir.resolve("test.json")).getMessage().contains("checksum mismatch"));
  }

  @Test
  void aFileWithoutHeaderIsVersionOne() throws IOException {
    Read legacy = decode(BODY, dir.resolve("test.json"));
    assertEquals(JsonFileFormat.VERSION_1, legacy.version());
    assertEquals(JsonFileFormat.MAPPER.readTree(BODY), legacy.body());
    // A version-2 file whose first bytes were damaged is not taken for a version-1 one.
    byte[] damaged = JsonFileFormat.encode(KIND, BODY);
    damaged[5] = 'X';
    assertTrue(refused(damaged, dir.resolve("test.json")).getMessage().contains("damaged header"));
    refused("[1, 2]".getBytes(StandardCharsets.UTF_8), dir.resolve("test.json"));
    refused(new byte[0], dir.resolve("test.json"));
  }

  @Test
  void aNewerVersionAndAnotherKindAreRefused() {
    Path file = dir.resolve("test.json");
    byte[] newer = JsonFileFormat.encode(new JsonFileFormat.Kind(KIND.name(), 3), BODY);
    String m = refused(newer, file).getMessage();
    assertTrue(m.contains("format version 3") && m.contains("newer vecgate"), m);
    byte[] other = JsonFileFormat.encode(new JsonFileFormat.Kind("vecgate.other", 2), BODY);
    assertTrue(refused(other, file).getMessage().contains("holds a vecgate.other file, expected vecgate.test"));
  }

  @Test
  void aBodyItsReaderRefusesIsRefusedNamingTheFile() {
    Path file = dir.resolve("test.json");
    CorruptFileException e = assertThrows(CorruptFileException.class, () -> JsonFileFormat.decode(
        JsonFileFormat.encode(KIND, BODY), file, KIND, (version, body) -> {
          throw new IllegalArgumentException("no field 'x'");
        }));
    assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().endsWith("no field 'x'"), e.getMessage());
  }
}
