package io.vecgate.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Publishes a file so that a reader on the shared mount sees either nothing or all of it:
 * write under a temporary name in the same directory, fsync the file, rename atomically, fsync
 * the directory (so the rename itself survives a crash).
 */
public final class AtomicFiles {

  /** Writes the content of a file through its channel. */
  @FunctionalInterface
  public interface Body {
    void write(FileChannel channel) throws IOException;
  }

  private AtomicFiles() {}

  /** Writes {@code target} atomically; on failure the temporary file is removed and {@code target} untouched. */
  public static void write(Path target, Body body) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    // A hidden temporary name that a directory listing of published files never matches.
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    boolean done = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        body.write(ch);
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
    fsyncDirectory(dir);
  }

  /** Makes a rename or creation in {@code dir} durable. */
  public static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory for fsync; Linux (our deployment) can, so only Windows lands here.
      if (!System.getProperty("os.name", "").startsWith("Windows")) {
        throw e;
      }
    }
  }
}
