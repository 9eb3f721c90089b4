package io.vecgate.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The jar under test as a {@code standalone} process on free loopback ports, returned once both
 * endpoints answer {@code /health/ready} (the read one only after the standalone's reader joined),
 * its log under {@code target/it-logs/{test}-{millis}}.
 */
record StandaloneProcess(NodeProcess process, Http read, Http write) implements AutoCloseable {

  /** @param options more options of {@code vecgate standalone} */
  static StandaloneProcess start(String test, Path data, String... options) throws Exception {
    Path logs = Files.createDirectories(Path.of("target", "it-logs", test + "-" + System.currentTimeMillis()));
    int readPort = NodeProcess.freePort();
    int writePort = NodeProcess.freePort();
    List<String> args = new ArrayList<>(List.of("--data-dir", data.toString(), "--read-port", String.valueOf(readPort),
        "--write-port", String.valueOf(writePort), "--log-format", "text"));
    args.addAll(List.of(options));
    NodeProcess process = NodeProcess.start("standalone", logs, args.toArray(String[]::new));
    Http read = new Http("http://127.0.0.1:" + readPort);
    Http write = new Http("http://127.0.0.1:" + writePort);
    Standalone.waitFor("the standalone service to be ready", Duration.ofSeconds(60), () -> {
      try {
        return write.get("/health/ready").status() == 200 && read.get("/health/ready").status() == 200;
      } catch (RuntimeException notYet) {
        return false;
      }
    });
    return new StandaloneProcess(process, read, write);
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
