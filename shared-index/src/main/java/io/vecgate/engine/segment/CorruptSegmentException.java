package io.vecgate.engine.segment;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A segment file that cannot be trusted: wrong magic, unsupported version, truncated, a section
 * out of bounds or failing its checksum. The message names the file and the section, e.g.
 * {@code items-0001.seg: section SQ8_CODES: checksum mismatch (expected 0x…, got 0x…)}.
 */
public final class CorruptSegmentException extends IOException {

  private final transient Path file;
  private final String section;

  public CorruptSegmentException(Path file, String section, String problem) {
    super(describe(file, section, problem));
    this.file = file;
    this.section = section;
  }

  public CorruptSegmentException(Path file, String section, String problem, Throwable cause) {
    super(describe(file, section, problem), cause);
    this.file = file;
    this.section = section;
  }

  /** The file that was refused. */
  public Path file() {
    return file;
  }

  /** The section at fault ({@code "header"}, {@code "section table"}, a section name), or {@code null} for the whole file. */
  public String section() {
    return section;
  }

  private static String describe(Path file, String section, String problem) {
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    if (section == null) {
      return name + ": " + problem;
    }
    boolean isSection = !section.equals("header") && !section.equals("section table");
    return name + ": " + (isSection ? "section " : "") + section + ": " + problem;
  }
}
