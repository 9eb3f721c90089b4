package io.vecgate.bench.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The token a bench command sends to a secured deployment, as {@code Authorization: Bearer}: the
 * read token for searches, the write token (or admin, with {@code --create}) for ingests.
 */
public final class BenchToken {

  @Option(names = "--token", defaultValue = "",
      description = "Sent as Authorization: Bearer (env VECGATE_TOKEN, which others cannot see in ps). Default: none")
  String token;

  @Option(names = "--token-file", description = "A file holding the token (trimmed).")
  Path tokenFile;

  /**
   * The {@code Authorization} header value; empty without a token.
   *
   * @throws IllegalArgumentException when both forms are given or the file holds nothing
   */
  public Optional<String> authorization() {
    String t = token == null ? "" : token;
    if (tokenFile != null) {
      if (!t.isEmpty()) {
        throw new IllegalArgumentException("--token and --token-file are both given: give one of them");
      }
      try {
        t = Files.readString(tokenFile).strip();
      } catch (IOException e) {
        throw new UncheckedIOException("--token-file: cannot read " + tokenFile, e);
      }
      if (t.isEmpty()) {
        throw new IllegalArgumentException("--token-file: " + tokenFile + " is empty");
      }
    }
    return t.isEmpty() ? Optional.empty() : Optional.of("Bearer " + t);
  }
}
