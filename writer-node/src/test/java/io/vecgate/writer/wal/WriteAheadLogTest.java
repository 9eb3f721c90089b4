package io.vecgate.writer.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.files.CorruptFileException;
import io.vecgate.writer.TestSpaces;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {

  @TempDir
  Path dir;

  private static List<WalRecord> records(long from, int n) {
    List<WalRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new WalRecord(from + i, WalCodec.DELETE, ("id" + (from + i)).getBytes()));
    }
    return out;
  }

  private List<WalRecord> replay(long after) throws IOException {
    List<WalRecord> got = new ArrayList<>();
    try (WriteAheadLog log = WriteAheadLog.open(dir, after, got::add)) {
      assertEquals(got.isEmpty() ? Math.max(after, log.lastSeq()) : got.getLast().seq(), log.lastSeq());
    }
    return got;
  }

  private Path onlyFile() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("wal-")).sorted().toList().getLast();
    }
  }

  @Test
  void replaysWhatWasAppendedAfterTheGivenSeq() throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(dir, 0, r -> {})) {
      log.append(records(1, 5));
      log.append(records(6, 3));
    }
    List<WalRecord> got = replay(4);
    assertEquals(List.of(5L, 6L, 7L, 8L), got.stream().map(WalRecord::seq).toList());
    assertEquals("id5", new String(got.getFirst().payload()));
  }

  @Test
  void tornTailIsTruncatedAndLaterAppendsSurvive() throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(dir, 0, r -> {})) {
      log.append(records(1, 3));
    }
    Path f = onlyFile();
    long full = Files.size(f);
    // A crash in the middle of the last record's write.
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      ch.truncate(full - 3);
    }
    try (WriteAheadLog log = WriteAheadLog.open(dir, 0, r -> {})) {
      assertEquals(2, log.lastSeq());
      log.append(records(3, 2));
    }
    assertEquals(List.of(1L, 2L, 3L, 4L), replay(0).stream().map(WalRecord::seq).toList());
  }

  @Test
  void corruptRecordStopsTheReplay() throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(dir, 0, r -> {})) {
      log.append(records(1, 3));
    }
    Path f = onlyFile();
    byte[] b = Files.readAllBytes(f);
    int second = WalFormat.FILE_HEADER_BYTES + WalFormat.RECORD_HEADER_BYTES + 3;
    b[second + WalFormat.RECORD_HEADER_BYTES] ^= 0x55;
    Files.write(f, b);
    assertEquals(List.of(1L), replay(0).stream().map(WalRecord::seq).toList());
    assertEquals(second, Files.size(f));
  }

  @Test
  void garbageLengthIsATornTail() throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(dir, 0, r -> {})) {
      log.append(records(1, 1));
    }
    Path f = onlyFile();
    Files.write(f, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 1, 2, 3}, StandardOpenOption.APPEND);
    assertEquals(1, replay(0).size());
  }

  @Test
  void rotationAndDeletionKeepOnlyUnpublishedFiles() throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(dir, 0, r -> {})) {
      log.append(records(1, 2));
      log.rotate();
      log.append(records(3, 2));
      log.rotate();
      assertEquals(3, log.fileCount());
      log.deleteUpTo(2);
      assertEquals(2, log.fileCount());
      log.deleteUpTo(4);
      assertEquals(1, log.fileCount());
      log.append(records(5, 1));
    }
    assertEquals(List.of(5L), replay(4).stream().map(WalRecord::seq).toList());
  }

  @Test
  void sequenceNumbersMustIncrease() throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(dir, 10, r -> {})) {
      assertThrows(IllegalArgumentException.class, () -> log.append(records(5, 1)));
    }
  }
  /** Copies a fixture of {@code src/test/resources/datafiles} into the log directory as the file starting at 1. */
  private Path fixture(String name) throws IOException {
    Path file = dir.resolve("wal-00000000000000000001.log");
    try (InputStream in = getClass().getResourceAsStream("/datafiles/" + name)) {
      Files.copy(in, file);
    }
    return file;
  }

  /** What the fixtures hold: doc-1 indexed (seq 1), doc-0 deleted (seq 2). */
  private static void assertFixtureRecords(List<WalRecord> got) {
    assertEquals(List.of(1L, 2L), got.stream().map(WalRecord::seq).toList());
    WalCodec codec = new WalCodec(TestSpaces.schema("shop", TestSpaces.body("items", 4, 1, "FLAT", "", "murmur3")));
    assertEquals("doc-1", codec.decodeIndex(got.get(0).payload()).id());
    assertEquals("acme", codec.decodeIndex(got.get(0).payload()).scalars().get("brand"));
    assertEquals("doc-0", WalCodec.decodeDelete(got.get(1).payload()));
  }

  @Test
  void aNewFileStartsWithItsHeader() throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(dir, 6, r -> {})) {
      log.append(records(7, 1));
    }
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(onlyFile())).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(WalFormat.MAGIC, b.getInt(0));
    assertEquals(WalFormat.VERSION_2, b.getInt(4));
    assertEquals(7, b.getLong(8));
    assertEquals("wal-00000000000000000007.log", onlyFile().getFileName().toString());
  }

  @Test
  void aVersionOneFileIsReplayedAndAppendsGoToANewFile() throws IOException {
    Path old = fixture("wal-v1.log");
    long size = Files.size(old);
    List<WalRecord> got = new ArrayList<>();
    try (WriteAheadLog log = WriteAheadLog.open(dir, 0, got::add)) {
      assertFixtureRecords(got);
      log.append(records(3, 1));
      assertEquals(2, log.fileCount());
    }
    assertEquals(size, Files.size(old), "the version-1 file is only read");
    assertEquals(List.of(1L, 2L, 3L), replay(0).stream().map(WalRecord::seq).toList());
    assertEquals(WalFormat.MAGIC, ByteBuffer.wrap(Files.readAllBytes(onlyFile())).order(ByteOrder.LITTLE_ENDIAN).getInt());
  }

  @Test
  void anEmptyVersionOneFileIsReplacedByOneWithAHeader() throws IOException {
    Files.createFile(dir.resolve("wal-00000000000000000001.log"));
    try (WriteAheadLog log = WriteAheadLog.open(dir, 0, r -> {})) {
      log.append(records(1, 1));
      assertEquals(1, log.fileCount());
    }
    assertEquals(WalFormat.FILE_HEADER_BYTES + WalFormat.RECORD_HEADER_BYTES + 3, Files.size(onlyFile()));
  }

  @Test
  void aVersionTwoFileOpens() throws IOException {
    fixture("wal-v2.log");
    assertFixtureRecords(replay(0));
  }

  @Test
  void everyDamagedHeaderByteRefusesTheOpenNamingTheFileAndKeepsIt() throws IOException {
    Path file = fixture("wal-v2.log");
    byte[] good = Files.readAllBytes(file);
    for (int i = 0; i < WalFormat.FILE_HEADER_BYTES; i++) {
      for (int mask : new int[] {0x01, 0x80, 0xff}) {
        byte[] bad = good.clone();
        bad[i] ^= (byte) mask;
        Files.write(file, bad);
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> WriteAheadLog.open(dir, 0, r -> {}));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertArrayEquals(bad, Files.readAllBytes(file), "nothing truncated");
      }
    }
    Files.write(file, Arrays.copyOf(good, 10));
    assertTrue(assertThrows(CorruptFileException.class, () -> WriteAheadLog.open(dir, 0, r -> {})).getMessage()
        .contains("truncated header"));
  }

  @Test
  void aNewerVersionAndAnotherFilesHeaderAreRefused() throws IOException {
    Path file = fixture("wal-v2.log");
    byte[] b = Files.readAllBytes(file);
    ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 3);
    CRC32C crc = new CRC32C();
    crc.update(b, 0, 16);
    h.putInt(16, (int) crc.getValue());
    Files.write(file, b);
    String m = assertThrows(CorruptFileException.class, () -> WriteAheadLog.open(dir, 0, r -> {})).getMessage();
    assertTrue(m.contains("format version 3") && m.contains("newer vecgate"), m);
    Files.delete(file);
    Files.write(dir.resolve("wal-00000000000000000005.log"), Files.readAllBytes(fixture("wal-v2.log")));
    Files.delete(file);
    m = assertThrows(CorruptFileException.class, () -> WriteAheadLog.open(dir, 0, r -> {})).getMessage();
    assertTrue(m.contains("starts at sequence number 1, its name says 5"), m);
  }
}
