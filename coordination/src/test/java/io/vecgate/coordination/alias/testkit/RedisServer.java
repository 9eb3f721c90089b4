package io.vecgate.coordination.alias.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of the test's own on a free loopback port, so that a test may stop it (or kill
 * its clients) without disturbing the shared Redis on 6379. With {@code persistent}, it saves its
 * data in {@code dir} when stopped and loads it when started again, as a production Redis would;
 * without, a restart starts empty.
 */
public final class RedisServer implements AutoCloseable {

  public final int port;
  private final Path dir;
  private final boolean persistent;
  private Process process;

  private RedisServer(int port, Path dir, boolean persistent) {
    this.port = port;
    this.dir = dir;
    this.persistent = persistent;
  }

  public static RedisServer start(Path dir, boolean persistent) throws Exception {
    RedisServer s = new RedisServer(freePort(), dir, persistent);
    s.start();
    return s;
  }

  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts it (again, on the same port and directory). */
  public void start() throws Exception {
    List<String> cmd = List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--dir", dir.toString(), "--save", persistent ? "3600 1" : "", "--appendonly", "no",
        "--dbfilename", "dump.rdb", "--logfile", dir.resolve("redis.log").toString());
    process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis.out").toFile()).start();
    Await.until("redis-server on port " + port + " to answer PING", Duration.ofSeconds(20), this::answers);
  }

  /** Stops it as an operator would (SIGTERM: a persistent one saves its data first). */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Sends one command (inline protocol) and returns the raw reply. */
  public String command(String line) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[65536];
      int n = in.read(buf);
      return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
    }
  }

  private boolean answers() {
    try {
      return command("PING").startsWith("+PONG");
    } catch (IOException notYet) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** A free port for a server of the test's (see {@link FreePorts}: not one of the kernel's ephemeral ports). */
  public static int freePort() {
    return FreePorts.tcp();
  }
}
