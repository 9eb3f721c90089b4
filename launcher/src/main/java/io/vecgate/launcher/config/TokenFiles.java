package io.vecgate.launcher.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A token given on the command line (or its environment variable) or in a file (a mounted
 * Kubernetes Secret: the file's content, trimmed of the newline editors and {@code kubectl} leave).
 */
public final class TokenFiles {

  private TokenFiles() {}

  /**
   * The token of {@code option}: {@code value} or the content of {@code file}; empty when neither is given.
   *
   * @throws IllegalArgumentException naming the option when both are given, or the file cannot be
   *     read or holds nothing
   */
  public static String resolve(String option, String value, Path file) {
    boolean given = value != null && !value.isEmpty();
    if (file == null) {
      return given ? value : "";
    }
    if (given) {
      throw new IllegalArgumentException(option + " and " + option + "-file are both given: give one of them");
    }
    try {
      String token = Files.readString(file).strip();
      if (token.isEmpty()) {
        throw new IllegalArgumentException(option + "-file: " + file + " is empty");
      }
      return token;
    } catch (IOException e) {
      throw new IllegalArgumentException(option + "-file: cannot read " + file + " (" + e.getClass().getSimpleName()
          + ": " + e.getMessage() + ")", e);
    }
  }
}
