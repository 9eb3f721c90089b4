package io.vecgate.writer.wal;

import io.vecgate.files.CorruptFileException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The byte layout of a write-ahead-log file, {@code wal-{firstSeq}.log} ({@link WriteAheadLog}
 * reads and writes it). Little-endian.
 *
 * <h2>Format version 2</h2>
 * <h3>File header: {@link #FILE_HEADER_BYTES} (20) bytes at offset 0</h3>
 * <pre>
 * offset type    field
 *  0     uint32  magic, {@link #MAGIC} (the bytes "VGWL")
 *  4     int32   format version ({@link #VERSION_2})
 *  8     int64   the first sequence number of the file, the one in its name
 * 16     uint32  CRC32C of bytes [0, 16)
 * </pre>
 * A file is created with its header in one atomic step (temporary file, fsync, rename), so a
 * file of version 2 always has all of it.
 *
 * <h3>Records, from offset 20 to the end of the file</h3>
 * <pre>
 * offset type    field
 *  0     int32   length L of the payload (at most {@link #MAX_PAYLOAD})
 *  4     uint32  CRC32C of the record's bytes [8, 17 + L)
 *  8     int64   seq, increasing through the file
 * 16     int8    type ({@link WalCodec#INDEX}, {@link WalCodec#DELETE})
 * 17     L bytes payload ({@link WalCodec})
 * </pre>
 * A record that is incomplete or fails its checksum ends the file: it is the tail a crash in
 * the middle of an append leaves (never acknowledged), and the log truncates the file there.
 *
 * <h2>Version history</h2>
 * <ul>
 *   <li>1 (every release before issue 11): records from offset 0, no header. Still read; this
 *       build appends to a new file instead of to one of them.</li>
 *   <li>2: the file header.</li>
 * </ul>
 * <p>Which version a file is: it is version 2 or later when its first four bytes are the magic
 * <em>or</em> its header checksum, computed over the magic and bytes [4, 16), is right; a file
 * with neither is version 1 (a version-1 file starts with a record length, at most 256 MiB, which
 * is never the magic, and its bytes [16, 20) match that checksum by chance one time in 2^32).
 * So a damaged magic does not pass a version-2 file off as a version-1 file whose "first record"
 * would be cut away as a torn tail: each one-byte damage of a header is refused, naming the file.
 */
public final class WalFormat {

  /** "VGWL" read as a little-endian uint32. */
  public static final int MAGIC = 0x4c574756;
  /** Version 1: records only, no header. */
  public static final int VERSION_1 = 1;
  /** Version 2: the file header. */
  public static final int VERSION_2 = 2;
  /** The version this build writes. */
  public static final int CURRENT = VERSION_2;
  public static final int FILE_HEADER_BYTES = 20;
  public static final int RECORD_HEADER_BYTES = 17;
  /** Larger lengths can only be garbage: a request body is far smaller. */
  public static final int MAX_PAYLOAD = 256 << 20;

  private WalFormat() {}

  /** The header of a new file whose first record will have sequence number {@code firstSeq}. */
  static byte[] header(long firstSeq) {
    ByteBuffer b = ByteBuffer.allocate(FILE_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(MAGIC).putInt(CURRENT).putLong(firstSeq);
    b.putInt(headerCrc(b));
    return b.array();
  }

  /**
   * The format version of a log file from its bytes, with its header checked.
   *
   * @param firstSeq the first sequence number its name says
   * @throws CorruptFileException naming the file when its header is damaged, truncated, of another
   *     file, or of a version this build does not read
   */
  static int versionOf(ByteBuffer file, Path path, long firstSeq) throws CorruptFileException {
    boolean magic = file.limit() >= 4 && file.getInt(0) == MAGIC;
    boolean checksum = file.limit() >= FILE_HEADER_BYTES && headerCrc(file) == file.getInt(16);
    if (!magic && !checksum) {
      return VERSION_1;
    }
    if (!magic) {
      throw new CorruptFileException(path, "damaged header: the magic is " + String.format("0x%08x", file.getInt(0))
          + ", expected " + String.format("0x%08x", MAGIC) + " (\"VGWL\")");
    }
    if (!checksum) {
      throw new CorruptFileException(path, file.limit() < FILE_HEADER_BYTES
          ? "truncated header: " + file.limit() + " bytes, the header alone has " + FILE_HEADER_BYTES
          : "damaged header: checksum mismatch");
    }
    int version = file.getInt(4);
    if (version < VERSION_2 || version > CURRENT) {
      throw new CorruptFileException(path, "format version " + version + " is not one this build reads ("
          + VERSION_1 + " to " + CURRENT + ")" + (version > CURRENT ? "; a newer vecgate wrote it" : ""));
    }
    if (file.getLong(8) != firstSeq) {
      throw new CorruptFileException(path, "the header says the file starts at sequence number " + file.getLong(8)
          + ", its name says " + firstSeq);
    }
    return version;
  }

  /** Where the records of a file of {@code version} start. */
  static int recordsStart(int version) {
    return version == VERSION_1 ? 0 : FILE_HEADER_BYTES;
  }

  /** The CRC32C of the magic and bytes [4, 16) of {@code b}: what a sound header holds at 16. */
  private static int headerCrc(ByteBuffer b) {
    ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(MAGIC).put(b.slice(4, 12));
    CRC32C crc = new CRC32C();
    crc.update(h.array());
    return (int) crc.getValue();
  }
}
