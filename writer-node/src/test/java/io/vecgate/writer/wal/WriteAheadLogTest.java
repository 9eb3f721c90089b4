package io.vecgate.writer.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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
    int second = WriteAheadLog.HEADER_BYTES + 3;
    b[second + WriteAheadLog.HEADER_BYTES] ^= 0x55;
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
}
