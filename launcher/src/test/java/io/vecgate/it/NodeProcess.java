package io.vecgate.it;

import io.vecgate.coordination.alias.testkit.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One vecgate role started from the packaged jar as a separate JVM (as {@code bin/vecgate} runs
 * it), its output in a log file of the test's. {@link #kill()} is kill -9; {@link #stop()} the
 * graceful SIGTERM.
 */
public final class NodeProcess implements AutoCloseable {

  public final String role;
  public final Path log;
  private final List<String> command;
  private Process process;

  private NodeProcess(String role, Path log, List<String> command) {
    this.role = role;
    this.log = log;
    this.command = command;
  }

  public static NodeProcess start(String role, Path logDir, String... args) throws IOException {
    return start(role, logDir, List.of(), args);
  }

  /** As {@link #start(String, Path, String...)}, with extra JVM options (e.g. a test-only {@code -D}). */
  public static NodeProcess start(String role, Path logDir, List<String> jvmOptions, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-XX:+UseSerialGC"));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", System.getProperty("vecgate.jar"), role));
    cmd.addAll(List.of(args));
    NodeProcess p = new NodeProcess(role, logDir.resolve(role + "-" + System.nanoTime() + ".log"), cmd);
    p.launch();
    return p;
  }

  private void launch() throws IOException {
    process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Starts the same command again (after a kill or stop). */
  public void restart() throws IOException {
    launch();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** The process id (for signals the test sends itself, e.g. SIGSTOP). */
  public long pid() {
    return process.pid();
  }

  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      kill();
    }
  }

  /** A free loopback port (see {@link FreePorts}: not one of the kernel's ephemeral ports). */
  public static int freePort() {
    return FreePorts.tcp();
  }

  /** The first of the 20 free ports a Hazelcast member tries ({@code --cluster-port}). */
  public static int freeClusterPort() {
    return FreePorts.range(20);
  }

  /** Why the process is gone: its exit code and the end of its log, for a test's failure message. */
  public String death() {
    String tail;
    try {
      List<String> lines = Files.readAllLines(log);
      tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      tail = "(log unreadable: " + e.getMessage() + ")";
    }
    String code = process.isAlive() ? "still running" : "exit code " + process.exitValue();
    return role + " died (" + code + "); the end of " + log + ":\n" + tail;
  }
}
