package io.vecgate.engine.segment;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/** CRC32C of memory regions and files of any size, computed in chunks (a ByteBuffer stops at 2 GiB). */
public final class Crc32c {

  /** 1 GiB: well below the 2 GiB limit of one ByteBuffer. */
  static final long CHUNK = 1L << 30;

  private Crc32c() {}

  /** The CRC32C of every byte of {@code segment}, as an unsigned 32-bit value in an int. */
  public static int of(MemorySegment segment) {
    CRC32C crc = new CRC32C();
    update(crc, segment);
    return (int) crc.getValue();
  }

  /** Feeds every byte of {@code segment} to {@code crc}. */
  public static void update(CRC32C crc, MemorySegment segment) {
    update(crc, segment, CHUNK);
  }

  /** As {@link #update(CRC32C, MemorySegment)} with a chosen chunk size, so tests can cross chunk edges cheaply. */
  static void update(CRC32C crc, MemorySegment segment, long chunk) {
    long size = segment.byteSize();
    for (long off = 0; off < size; off += chunk) {
      crc.update(segment.asSlice(off, Math.min(chunk, size - off)).asByteBuffer());
    }
  }

  /** The CRC32C of a whole file (mapped, in chunks), as an unsigned value. */
  public static long ofFile(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
      long size = ch.size();
      if (size == 0) {
        return new CRC32C().getValue();
      }
      CRC32C crc = new CRC32C();
      update(crc, ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena));
      return crc.getValue();
    }
  }

  /** {@code value} as {@code 0x%08x}, for messages. */
  public static String hex(int value) {
    return String.format("0x%08x", value);
  }
}
