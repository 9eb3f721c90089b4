package io.vecgate.engine.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.index.BuiltIndex;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.index.PartKind;
import io.vecgate.engine.vector.Metric;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of damage is refused at open, naming the file and the section (STYLE rule 5). */
class SegmentCorruptionTest {

  @TempDir
  Path dir;

  private byte[] good;

  @BeforeEach
  void writeGoodSegment() throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      SegmentTestData.Input in = SegmentTestData.random(new Random(42), 41, 5, Metric.L2, arena);
      Path file = dir.resolve("good.seg");
      SegmentWriter.write(file, in.built(), in.ids(), in.columns());
      good = Files.readAllBytes(file);
      SegmentReader.open(file).close();
    }
  }

  private CorruptSegmentException refused(byte[] bytes) throws IOException {
    Path p = SegmentTestData.writeBytes(dir, "items-0001.seg", bytes);
    return assertThrows(CorruptSegmentException.class, () -> SegmentReader.open(p).close());
  }

  private static void assertMessage(CorruptSegmentException e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
    }
  }

  @Test
  void aFlippedByteInAnySectionIsRefusedNamingThatSection() throws IOException {
    Map<Integer, String> names = Map.of(SegmentFormat.VECTOR_FIELDS, "VECTOR_FIELDS",
        SegmentFormat.fieldKind(0, PartKind.PARAMS.id()), "FIELD vector PARAMS",
        SegmentFormat.fieldKind(0, PartKind.VECTORS.id()), "FIELD vector VECTORS",
        SegmentFormat.IDS, "IDS", SegmentFormat.COLUMN_DIRECTORY, "COLUMNS", 1000, "COLUMN year", 1001, "COLUMN views",
        1002, "COLUMN price", 1003, "COLUMN rating", 1004, "COLUMN color");
    List<long[]> table = SegmentTestData.table(good);
    assertEquals(names.size(), table.size());
    for (long[] entry : table) {
      if (entry[2] == 0) {
        continue; // an empty section (PARAMS of FLAT) has no byte to flip; its CRC still covers "empty"
      }
      String name = names.get((int) entry[0]);
      byte[] bad = good.clone();
      bad[(int) (entry[1] + entry[2] / 2)] ^= 0x10;
      CorruptSegmentException e = refused(bad);
      assertMessage(e, "items-0001.seg: section " + name + ": checksum mismatch (expected 0x");
      assertEquals(name, e.section());
    }
  }

  @Test
  void everySingleFlippedBitOfASmallFileIsRefused() throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      SegmentTestData.Input in = SegmentTestData.random(new Random(7), 3, 2, Metric.COSINE, arena);
      Path file = dir.resolve("tiny.seg");
      SegmentWriter.write(file, in.built(), in.ids(), in.columns().subList(3, 5));
      byte[] tiny = Files.readAllBytes(file);
      Random rnd = new Random(7);
      for (int i = 0; i < tiny.length; i++) {
        byte[] bad = tiny.clone();
        bad[i] ^= (byte) (1 << rnd.nextInt(8));
        refused(bad);
      }
    }
  }

  @Test
  void headerTableAndPaddingDamageIsRefused() throws IOException {
    byte[] bad = good.clone();
    bad[8] ^= 1; // dimension
    assertMessage(refused(bad), "items-0001.seg: header: checksum mismatch");
    bad = good.clone();
    bad[50] ^= 1; // reserved
    assertMessage(refused(bad), "header: checksum mismatch");
    bad = good.clone();
    bad[64 + 8] ^= 1; // first section's offset
    assertMessage(refused(bad), "items-0001.seg: section table: checksum mismatch");
    long[] ids = SegmentTestData.table(good).stream().filter(t -> t[0] == SegmentFormat.IDS).findFirst().orElseThrow();
    long padAt = ids[1] + ids[2];
    assertTrue(padAt % 64 != 0, "test needs padding after IDS");
    bad = good.clone();
    bad[(int) padAt] = 1;
    assertMessage(refused(bad), "section IDS: padding byte at " + padAt + " after it is not zero");
  }

  @Test
  void truncatedFilesAreRefused() throws IOException {
    for (int len : new int[] {0, 1, 63}) {
      assertMessage(refused(Arrays.copyOf(good, len)), "items-0001.seg: truncated: file is " + len
          + " bytes, the header alone needs 64");
    }
    for (int len : new int[] {64, 100, good.length / 2, good.length - 1}) {
      assertMessage(refused(Arrays.copyOf(good, len)), "items-0001.seg: truncated: file is " + len
          + " bytes, header says " + good.length);
    }
    assertMessage(refused(Arrays.copyOf(good, good.length + 1)), "trailing bytes");
  }

  @Test
  void wrongMagicIsRefused() throws IOException {
    byte[] bad = good.clone();
    bad[0] = 'P';
    bad[1] = 'K';
    assertMessage(refused(bad), "items-0001.seg: header: not a vecgate segment: magic 0x4753", "expected 0x47534756");
  }

  @Test
  void unknownVersionsAreRefusedNamingTheVersion() throws IOException {
    for (int version : new int[] {0, SegmentFormat.CURRENT_VERSION + 1, -1}) {
      byte[] bad = good.clone();
      ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(4, version);
      SegmentTestData.fixChecksums(bad);
      assertMessage(refused(bad), "header: format version " + version + " is not supported (this build reads versions 1 to");
    }
  }

  @Test
  void offsetsAreReadAsSixtyFourBits() throws IOException {
    // An offset beyond 4 GiB must be reported as itself, not as a truncated 32-bit value.
    long far = (1L << 32) + 64;
    byte[] bad = good.clone();
    ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putLong(64 + 8, far);
    SegmentTestData.fixChecksums(bad);
    assertMessage(refused(bad), "section VECTOR_FIELDS: bytes [" + far + ", " + far + " + ");
    assertEquals((3L << 30) + 64, SegmentFormat.align((3L << 30) + 1));
    assertEquals(1L << 40, SegmentFormat.align(1L << 40));
  }

  @Test
  void crcIsTheSameWhateverTheChunkSize() {
    byte[] data = new byte[10_007];
    new Random(3).nextBytes(data);
    CRC32C oneShot = new CRC32C();
    oneShot.update(data);
    for (long chunk : new long[] {1, 7, 64, 4096, 1L << 30}) {
      CRC32C c = new CRC32C();
      Crc32c.update(c, MemorySegment.ofArray(data), chunk);
      assertEquals(oneShot.getValue(), c.getValue(), "chunk " + chunk);
    }
  }

  @Test
  void aMissingRequiredPartIsRefused() throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      SegmentTestData.Input in = SegmentTestData.random(new Random(5), 10, 3, Metric.L2, arena);
      var ivf = new SegmentTestData.Synthetic(in.built().index(), IndexType.IVF_FLAT, Map.of());
      Path file = dir.resolve("ivf.seg");
      SegmentWriter.write(file, new BuiltIndex(ivf, in.built().order()), in.ids(), in.columns());
      var e = assertThrows(CorruptSegmentException.class, () -> SegmentReader.open(file));
      assertMessage(e, "ivf.seg: section FIELD vector IVF_", "section is missing (a IVF_FLAT index needs");
    }
  }

  @Test
  void aRefusedFileIsUnmapped() throws IOException {
    Path maps = Path.of("/proc/self/maps");
    assertTrue(Files.isReadable(maps), "this test reads Linux /proc/self/maps");
    byte[] bad = good.clone();
    bad[bad.length - 1] ^= 1;
    Path p = SegmentTestData.writeBytes(dir, "unmapped-check.seg", bad);
    assertThrows(CorruptSegmentException.class, () -> SegmentReader.open(p));
    assertEquals(0, mappingsOf(maps, "unmapped-check.seg"), "a half-opened reader left its mapping");
    Path ok = SegmentTestData.writeBytes(dir, "mapped-check.seg", good);
    try (SegmentReader r = SegmentReader.open(ok)) {
      assertTrue(mappingsOf(maps, "mapped-check.seg") > 0, "control: an open reader is mapped");
    }
    assertEquals(0, mappingsOf(maps, "mapped-check.seg"), "close() unmaps");
  }

  private static long mappingsOf(Path maps, String name) throws IOException {
    return Files.readAllLines(maps).stream().filter(l -> l.endsWith(name)).count();
  }
}
