package io.vecgate.writer.wal;

import io.vecgate.files.AtomicFiles;
import java.io.IOException;
import java.lang.System.Logger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The write-ahead log of one space: files {@code wal-{firstSeq}.log} in one directory, each a
 * header and a sequence of records (the layout is in {@link WalFormat}). {@link #append} writes
 * a batch of records with one write and one {@code force}, so a request is acknowledged only
 * once its records are durable. Opening checks each file's header (a damaged one refuses the
 * open, naming the file: the records after it are acknowledged writes), replays the files in
 * order and stops at the first record that is incomplete or fails its checksum (the tail a
 * crash in the middle of a write leaves), truncating the file there. A new file starts at each
 * {@link #rotate} (every seal); {@link #deleteUpTo} removes files that a published version fully
 * contains.
 *
 * <p>Not thread-safe: one space's lane uses it.
 */
public final class WriteAheadLog implements AutoCloseable {

  private static final Logger LOG = System.getLogger(WriteAheadLog.class.getName());

  private final Path dir;
  /** First sequence number of each file, ascending; the last is the file being appended. */
  private final List<Long> files = new ArrayList<>();
  private FileChannel channel;
  private long lastSeq;

  private WriteAheadLog(Path dir) {
    this.dir = dir;
  }

  /**
   * Opens (creating when needed) the log in {@code dir}, handing every intact record with a
   * sequence number above {@code afterSeq} to {@code replay}, in order.
   *
   * @throws io.vecgate.files.CorruptFileException naming a file whose header fails its check
   */
  public static WriteAheadLog open(Path dir, long afterSeq, Consumer<WalRecord> replay) throws IOException {
    Files.createDirectories(dir);
    WriteAheadLog log = new WriteAheadLog(dir);
    log.lastSeq = afterSeq;
    List<Long> found = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("wal-") && n.endsWith(".log"))
          .forEach(n -> found.add(Long.parseLong(n.substring(4, n.length() - 4))));
    }
    found.sort(null);
    int lastVersion = WalFormat.CURRENT;
    for (long first : found) {
      log.files.add(first);
      Path file = log.file(first);
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
      lastVersion = WalFormat.versionOf(b, file, first);
      log.lastSeq = Math.max(log.lastSeq, log.replayFile(file, b, WalFormat.recordsStart(lastVersion), afterSeq, replay));
    }
    if (log.files.isEmpty()) {
      log.files.add(log.lastSeq + 1);
      log.channel = log.startFile(log.files.getLast());
    } else if (lastVersion == WalFormat.VERSION_1) {
      // Appends go to a file of the current version: an empty version-1 file is replaced, after
      // one with records a new file starts (its records were all replayed, so lastSeq >= its first).
      if (Files.size(log.file(log.files.getLast())) > 0) {
        log.files.add(log.lastSeq + 1);
      }
      log.channel = log.startFile(log.files.getLast());
    } else {
      log.channel = FileChannel.open(log.file(log.files.getLast()), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }
    return log;
  }

  /** The highest sequence number in the log (or given to {@link #open} when higher). */
  public long lastSeq() {
    return lastSeq;
  }

  /** Appends {@code records} (ascending sequence numbers above {@link #lastSeq}) and forces them to disk. */
  public void append(List<WalRecord> records) throws IOException {
    if (records.isEmpty()) {
      return;
    }
    int size = 0;
    for (WalRecord r : records) {
      size += WalFormat.RECORD_HEADER_BYTES + r.payload().length;
    }
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    CRC32C crc = new CRC32C();
    long prev = lastSeq;
    for (WalRecord r : records) {
      if (r.seq() <= prev) {
        throw new IllegalArgumentException("WAL sequence numbers must increase: " + r.seq() + " after " + prev);
      }
      prev = r.seq();
      int start = b.position();
      b.putInt(r.payload().length).putInt(0).putLong(r.seq()).put(r.type()).put(r.payload());
      crc.reset();
      crc.update(b.array(), start + 8, WalFormat.RECORD_HEADER_BYTES - 8 + r.payload().length);
      b.putInt(start + 4, (int) crc.getValue());
    }
    b.flip();
    while (b.hasRemaining()) {
      channel.write(b);
    }
    // fdatasync: the data and the file length, which is all a replay needs.
    channel.force(false);
    lastSeq = prev;
  }

  /** Starts a new file for records after {@link #lastSeq} (called when a seal took everything before). */
  public void rotate() throws IOException {
    long first = lastSeq + 1;
    if (first == files.getLast()) {
      return;
    }
    channel.close();
    files.add(first);
    channel = startFile(first);
  }

  /** Deletes every file whose records all have sequence numbers up to {@code seq}; never the current file. */
  public void deleteUpTo(long seq) throws IOException {
    while (files.size() > 1 && files.get(1) <= seq + 1) {
      Files.deleteIfExists(file(files.removeFirst()));
    }
  }

  /** Number of log files (for tests and stats). */
  public int fileCount() {
    return files.size();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private Path file(long first) {
    return dir.resolve(String.format("wal-%020d.log", first));
  }

  /** Creates (or replaces) the file starting at {@code first} with its header, atomically; opens it for appends. */
  private FileChannel startFile(long first) throws IOException {
    byte[] header = WalFormat.header(first);
    AtomicFiles.write(file(first), ch -> ch.write(ByteBuffer.wrap(header)));
    return FileChannel.open(file(first), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  /**
   * Replays the records of one file (its bytes {@code b}, records from {@code from}); truncates
   * it at the first torn or corrupt record. Returns its highest sequence number.
   */
  private long replayFile(Path file, ByteBuffer b, int from, long afterSeq, Consumer<WalRecord> replay)
      throws IOException {
    b.position(from);
    CRC32C crc = new CRC32C();
    long max = 0;
    long prev = Long.MIN_VALUE;
    while (b.remaining() > 0) {
      int start = b.position();
      String problem = null;
      if (b.remaining() < WalFormat.RECORD_HEADER_BYTES) {
        problem = "incomplete header";
      } else {
        int len = b.getInt(start);
        if (len < 0 || len > WalFormat.MAX_PAYLOAD || b.remaining() < WalFormat.RECORD_HEADER_BYTES + len) {
          problem = "incomplete record of " + len + " bytes";
        } else {
          crc.reset();
          crc.update(b.array(), start + 8, WalFormat.RECORD_HEADER_BYTES - 8 + len);
          long seq = b.getLong(start + 8);
          if ((int) crc.getValue() != b.getInt(start + 4)) {
            problem = "checksum mismatch";
          } else if (seq <= prev) {
            problem = "sequence " + seq + " after " + prev;
          } else {
            byte type = b.get(start + 16);
            byte[] payload = new byte[len];
            b.get(start + WalFormat.RECORD_HEADER_BYTES, payload);
            b.position(start + WalFormat.RECORD_HEADER_BYTES + len);
            prev = seq;
            max = seq;
            if (seq > afterSeq) {
              replay.accept(new WalRecord(seq, type, payload));
            }
          }
        }
      }
      if (problem != null) {
        LOG.log(Logger.Level.WARNING, "{0}: {1} at byte {2}; truncating the {3} bytes from there (a write cut short)",
            file, problem, start, b.limit() - start);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(start);
          ch.force(true);
        }
        break;
      }
    }
    return max;
  }
}
