package io.vecgate.coordination.alias.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** redis-cli for tests: one command against 127.0.0.1:{port}, its raw output trimmed. */
public final class RedisCli {

  private RedisCli() {}

  public static String call(int port, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port), "--raw"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("redis-cli " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  /** Deletes the keys matching {@code pattern} (SCAN, never KEYS: the shared Redis serves others). */
  public static void deleteKeys(int port, String pattern) throws IOException, InterruptedException {
    String keys = call(port, "--scan", "--pattern", pattern);
    for (String k : keys.split("\n")) {
      if (!k.isBlank()) {
        call(port, "DEL", k.trim());
      }
    }
  }
}
