package io.vecgate.engine.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.column.ColumnValues;
import io.vecgate.engine.flat.FlatIndex;
import io.vecgate.engine.index.BuiltIndex;
import io.vecgate.engine.index.IndexParams;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.segment.SegmentWriter;
import io.vecgate.engine.segment.WrittenSegment;
import io.vecgate.engine.testkit.TestVectors;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import io.vecgate.files.CorruptFileException;
import io.vecgate.files.JsonFileFormat;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code manifest.json}: its round trip, its checks, every released format version still opening, and verify. */
class ManifestTest {

  @TempDir
  Path versionDir;

  private Manifest manifest;

  @BeforeEach
  void publishTwoPartitions() throws IOException {
    Manifest.Partition[] parts = new Manifest.Partition[2];
    try (Arena arena = Arena.ofConfined()) {
      for (int p = 0; p < 2; p++) {
        int n = 10 + p;
        FloatVectors v = FloatVectors.copyOf(TestVectors.uniform(n, 4, p), arena);
        BuiltIndex built = new BuiltIndex(new FlatIndex(Metric.L2, v, IndexParams.empty()), BuiltIndex.identity(n));
        long[] ids = new long[n];
        String[] colors = new String[n];
        for (int i = 0; i < n; i++) {
          ids[i] = 2L * i + p;
          colors[i] = "c" + i % 3;
        }
        WrittenSegment w = SegmentWriter.write(versionDir.resolve("p" + p + "-000001.seg"), built, ids,
            List.of(ColumnValues.ofKeywords("color", colors)));
        parts[p] = new Manifest.Partition(p, List.of(Manifest.SegmentFile.of(w)));
      }
    }
    Manifest.Schema schema = new Manifest.Schema(List.of(
        new Manifest.Field("embedding", "vector", 4, true), new Manifest.Field("color", "keyword", 0, true)));
    manifest = Manifest.of("items", 3, schema, Metric.L2, IndexType.FLAT, Map.of(), List.of(parts));
    Manifests.write(versionDir, manifest);
  }

  private static void assertMessage(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
    }
  }

  private ManifestException refused(String json) {
    return assertThrows(ManifestException.class, () -> Manifests.fromJson(json, "manifest.json"));
  }

  private String json() {
    return Manifests.toJson(manifest);
  }

  @Test
  void roundTripAndVerify() throws IOException {
    assertEquals(21, manifest.totalCount());
    Manifest back = Manifests.readVerified(versionDir, true);
    assertEquals(manifest, back);
    assertTrue(json().contains("\"space\" : \"items\""), json());
    assertTrue(json().contains("\"indexType\" : \"FLAT\""), json());
    try (Stream<Path> files = Files.list(versionDir)) {
      assertEquals(List.of("manifest.json", "p0-000001.seg", "p1-000001.seg"),
          files.map(f -> f.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void writtenWithTheHeaderOfFormatVersion2() throws IOException {
    String file = Files.readString(versionDir.resolve(Manifest.FILE_NAME));
    assertTrue(file.startsWith("{\"format\":\"vecgate.manifest\",\"format_version\":2,\"crc32c\":\"0x"), file);
    assertTrue(file.contains("\"body\":\n" + json() + "\n}\n"), file);
  }

  /** What the fixtures of {@code src/test/resources/datafiles} hold. */
  private static Manifest fixtureManifest() {
    Manifest.Schema schema = new Manifest.Schema(List.of(
        new Manifest.Field("embedding", "vector", 4, true), new Manifest.Field("color", "keyword", 0, true)));
    return new Manifest(1, "items", 3, "2026-12-01T10:00:00Z", schema, Metric.L2, IndexType.IVF_FLAT,
        Map.of("nlist", "2"), List.of(
            new Manifest.Partition(0, List.of(new Manifest.SegmentFile("p0-00000001.seg", 1234, 2864434397L, 10))),
            new Manifest.Partition(1, List.of(new Manifest.SegmentFile("p1-00000001.seg", 1300, 17L, 11)))), 21);
  }

  /** A version directory whose {@code manifest.json} is the fixture {@code name}. */
  private Path fixture(String name, Path dir) throws IOException {
    Files.createDirectories(dir);
    try (InputStream in = getClass().getResourceAsStream("/datafiles/" + name)) {
      Files.copy(in, dir.resolve(Manifest.FILE_NAME));
    }
    return dir;
  }

  @Test
  void everyReleasedVersionOpens() throws IOException {
    Path v1 = fixture("manifest-v1.json", versionDir.resolve("v1"));
    assertTrue(Files.readString(v1.resolve(Manifest.FILE_NAME)).startsWith("{\n  \"formatVersion\" : 1"),
        "the v1 fixture is the bare JSON of every release before issue 11");
    assertEquals(fixtureManifest(), Manifests.read(v1));
    assertEquals(fixtureManifest(), Manifests.read(fixture("manifest-v2.json", versionDir.resolve("v2"))));
  }

  @Test
  void aDamagedByteIsRefusedNamingTheFile() throws IOException {
    Path file = versionDir.resolve(Manifest.FILE_NAME);
    String text = Files.readString(file);
    // A digit of a segment size changes: still valid JSON and a consistent manifest, only the checksum tells.
    int at = text.indexOf("\"sizeBytes\" : ") + "\"sizeBytes\" : ".length();
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    b[at] = (byte) (b[at] == '9' ? '8' : b[at] + 1);
    Files.write(file, b);
    CorruptFileException e = assertThrows(CorruptFileException.class, () -> Manifests.read(versionDir));
    assertEquals(file, e.file());
    assertTrue(e.getMessage().startsWith(file + ": checksum mismatch"), e.getMessage());
  }

  @Test
  void aDamagedHeaderATruncatedFileAndANewerVersionAreRefused() throws IOException {
    Path file = versionDir.resolve(Manifest.FILE_NAME);
    byte[] good = Files.readAllBytes(file);
    byte[] b = good.clone();
    b[3] ^= 0x01; // "format" of the header line
    Files.write(file, b);
    assertMessage(assertThrows(CorruptFileException.class, () -> Manifests.read(versionDir)),
        file + ": damaged header");
    Files.write(file, java.util.Arrays.copyOf(good, good.length / 2));
    assertMessage(assertThrows(CorruptFileException.class, () -> Manifests.read(versionDir)), file + ": truncated");
    Files.write(file, JsonFileFormat.encode(new JsonFileFormat.Kind(JsonFileFormat.MANIFEST.name(), 3),
        json().getBytes(StandardCharsets.UTF_8)));
    assertMessage(assertThrows(CorruptFileException.class, () -> Manifests.read(versionDir)), "format version 3",
        "a newer vecgate wrote it");
    Files.write(file, JsonFileFormat.encode(JsonFileFormat.VERSION_STATE, json().getBytes(StandardCharsets.UTF_8)));
    assertMessage(assertThrows(CorruptFileException.class, () -> Manifests.read(versionDir)),
        "holds a vecgate.version_state file, expected vecgate.manifest");
  }

  @Test
  void aBodyThatIsNoManifestIsRefusedNamingTheFileAndTheField() throws IOException {
    Path file = versionDir.resolve(Manifest.FILE_NAME);
    Files.write(file, JsonFileFormat.encode(JsonFileFormat.MANIFEST,
        json().replaceFirst("\\{", "{\"extra\": 1,").getBytes(StandardCharsets.UTF_8)));
    assertMessage(assertThrows(CorruptFileException.class, () -> Manifests.read(versionDir)), file + ": ",
        "unknown field 'extra'");
    // Version 1 files get the same checks of their content.
    Files.writeString(file, json().replace("\"totalCount\" : 21", "\"totalCount\" : 20"));
    assertMessage(assertThrows(CorruptFileException.class, () -> Manifests.read(versionDir)), file + ": ",
        "format version 1", "totalCount is 20 but the segments hold 21 documents");
  }

  @Test
  void unknownFieldsAreRefusedNamingWhere() {
    assertMessage(refused(json().replaceFirst("\\{", "{\"extra\": 1,")), "manifest.json: unknown field 'extra'", "known fields");
    assertMessage(refused(json().replaceFirst("\"docCount\"", "\"shards\": 2, \"docCount\"")),
        "unknown field 'shards' at partitions[0].segments[0]");
  }

  @Test
  void missingNullAndMistypedFieldsAreRefused() {
    assertMessage(refused(json().replaceFirst(",\\s*\"totalCount\" : 21", "")), "totalCount");
    assertMessage(refused(json().replaceFirst("\"items\"", "null")), "space");
    assertMessage(refused(json().replaceFirst("\"L2\"", "\"L3\"")), "L3", "metric");
    assertMessage(refused(json().replaceFirst("\"sizeBytes\" : \\d+", "\"sizeBytes\" : \"big\"")),
        "partitions[0].segments[0].sizeBytes");
    assertMessage(refused("{"), "manifest.json");
    assertMessage(refused(json() + " {}"), "manifest.json");
  }

  @Test
  void inconsistentContentIsRefused() {
    assertMessage(refused(json().replace("\"totalCount\" : 21", "\"totalCount\" : 20")),
        "totalCount is 20 but the segments hold 21 documents");
    assertMessage(refused(json().replace("\"formatVersion\" : 1", "\"formatVersion\" : 2")),
        "manifest format version 2 is not supported");
    assertMessage(refused(json().replace("\"p1-000001.seg\"", "\"../p1.seg\"")), "plain file name");
    assertMessage(refused(json().replace("\"id\" : 1", "\"id\" : 5")), "ids must be 0..P-1");
    assertMessage(refused(json().replace("\"dimension\" : 4", "\"dimension\" : 0")), "needs dimension >= 1");
    assertMessage(refused(json().replaceFirst("\"createdAt\" : \"[^\"]+\"", "\"createdAt\" : \"yesterday\"")),
        "ISO-8601");
  }

  @Test
  void verifyFindsMissingResizedAndChangedFiles() throws IOException {
    Path p0 = versionDir.resolve("p0-000001.seg");
    byte[] bytes = Files.readAllBytes(p0);
    bytes[bytes.length - 1] ^= 1;
    Files.write(p0, bytes);
    Manifests.verify(versionDir, manifest, false); // sizes still match
    var e = assertThrows(ManifestException.class, () -> Manifests.verify(versionDir, manifest, true));
    assertMessage(e, "p0-000001.seg has CRC32C 0x", "version 3 of space items");
    Files.write(versionDir.resolve("p1-000001.seg"), new byte[3]);
    e = assertThrows(ManifestException.class, () -> Manifests.verify(versionDir, manifest, false));
    assertMessage(e, "p1-000001.seg is 3 bytes, manifest says ");
    Files.delete(p0);
    e = assertThrows(ManifestException.class, () -> Manifests.verify(versionDir, manifest, false));
    assertMessage(e, "p0-000001.seg (partition 0) is missing", "p1-000001.seg is 3 bytes");
  }

  @Test
  void anUnpublishedVersionHasNoManifest() throws IOException {
    Files.delete(versionDir.resolve(Manifest.FILE_NAME));
    assertMessage(assertThrows(ManifestException.class, () -> Manifests.read(versionDir)), "no manifest");
  }
}
