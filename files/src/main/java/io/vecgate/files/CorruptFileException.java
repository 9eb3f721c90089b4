package io.vecgate.files;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file of the data directory that fails its check: damaged (checksum), truncated, malformed,
 * of another kind, or of a format version this build does not read. The message names the file
 * by its path and says what failed, e.g.
 * {@code /data/catalog.json: checksum mismatch (the header says 0x1a2b3c4d, the body has 0x5e6f7a8b)}.
 * Nothing of such a file is used: the writer refuses to start, a reader keeps the version it
 * serves.
 */
public final class CorruptFileException extends IOException {

  private final transient Path file;

  public CorruptFileException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public CorruptFileException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The file that was refused. */
  public Path file() {
    return file;
  }
}
