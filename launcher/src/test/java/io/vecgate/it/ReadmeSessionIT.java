package io.vecgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "A session with curl", run as written against {@code bin/vecgate standalone}'s
 * jar: every {@code $ } command of the section's code blocks goes to bash (ports replaced by the
 * test's), and its output must be the README's answer. The README shortens with {@code " ... "}
 * (the answer starts with what stands before and ends with what stands after) and says the
 * {@code took} values vary (they are not compared). So the front door cannot drift from the
 * service.
 */
class ReadmeSessionIT {

  private static final Pattern TOOK = Pattern.compile("\"took\":\\d+");

  @TempDir Path tmp;

  /** One {@code $ } command and the answer the README shows for it. */
  record Step(String command, String expected) {}

  @Test
  void theCurlSessionAnswersAsWritten() throws Exception {
    List<Step> steps = steps(section(Files.readString(readme(), StandardCharsets.UTF_8), "## A session with curl", "\n## "));
    assertTrue(steps.size() >= 20, "the session's commands are found: " + steps.size());
    run(steps);
  }

  /** "Securing vecgate": the same, against a standalone service with the section's three tokens. */
  @Test
  void theSecuredSessionAnswersAsWritten() throws Exception {
    List<Step> steps = steps(section(Files.readString(readme(), StandardCharsets.UTF_8), "## Securing vecgate", "\n## "));
    assertTrue(steps.size() >= 10, "the session's commands are found: " + steps.size());
    run(steps, "--read-token", "rd-8f2c1e", "--write-token", "wr-51b7aa", "--admin-token", "ad-c09d3f");
  }

  /** Runs {@code steps} against a standalone service started with {@code options}, comparing every answer. */
  private void run(List<Step> steps, String... options) throws Exception {
    int readPort = NodeProcess.freePort();
    int writePort = NodeProcess.freePort();
    Path work = Files.createDirectories(tmp.resolve("work"));
    List<String> args = new ArrayList<>(List.of("--data-dir",
        tmp.resolve("data").toString(), "--read-port", String.valueOf(readPort), "--write-port", String.valueOf(writePort),
        "--cluster-name", "it-readme-" + UUID.randomUUID(), "--cluster-port", String.valueOf(NodeProcess.freeClusterPort()),
        "--cluster-members", "127.0.0.1"));
    args.addAll(List.of(options));
    NodeProcess p = NodeProcess.start("standalone", Files.createDirectories(tmp.resolve("logs")), args.toArray(String[]::new));
    try {
      Http read = new Http("http://127.0.0.1:" + readPort);
      Standalone.waitFor("standalone to be ready", Duration.ofSeconds(90), () -> {
        assertTrue(p.alive(), p::death);
        try {
          return read.get("/health/ready").status() == 200;
        } catch (RuntimeException notYet) {
          return false;
        }
      });
      for (Step s : steps) {
        String command = ports(s.command(), readPort, writePort);
        String out = bash(command, work);
        assertMatches(ports(s.expected(), readPort, writePort), out, s.command());
      }
    } finally {
      p.close();
    }
  }

  /** The project's README (the tests run in the launcher module's folder). */
  static Path readme() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("README.md"))) {
      dir = dir.getParent();
    }
    assertTrue(dir != null, "a README.md above " + Path.of("").toAbsolutePath());
    return dir.resolve("README.md");
  }

  /** The text from the heading {@code start} to the next heading ({@code end}). */
  static String section(String text, String start, String end) {
    int from = text.indexOf(start);
    assertTrue(from >= 0, "README has " + start);
    int to = text.indexOf(end, from + start.length());
    return to < 0 ? text.substring(from) : text.substring(from, to);
  }

  /**
   * The commands of the section's code blocks with their answers. A command runs on until its
   * quotes close (or, with a here-document, until its {@code EOF} line); the lines after it, to a
   * blank line or the next command, are its answer.
   */
  static List<Step> steps(String section) {
    List<Step> steps = new ArrayList<>();
    boolean inBlock = false;
    List<String> lines = section.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("```")) {
        inBlock = !inBlock;
        continue;
      }
      if (!inBlock || !line.startsWith("$ ")) {
        continue;
      }
      StringBuilder cmd = new StringBuilder(line.substring(2));
      if (line.contains("<<'EOF'")) {
        while (!lines.get(i).equals("EOF")) {
          cmd.append('\n').append(lines.get(++i));
        }
      } else {
        while (quotes(cmd) % 2 == 1) {
          cmd.append('\n').append(lines.get(++i));
        }
      }
      StringBuilder expected = new StringBuilder();
      while (i + 1 < lines.size() && !lines.get(i + 1).isBlank() && !lines.get(i + 1).startsWith("$ ")
          && !lines.get(i + 1).startsWith("```")) {
        expected.append(expected.isEmpty() ? "" : "\n").append(lines.get(++i));
      }
      steps.add(new Step(cmd.toString(), expected.toString()));
    }
    return steps;
  }

  private static long quotes(CharSequence s) {
    return s.chars().filter(c -> c == '\'').count();
  }

  static String ports(String s, int readPort, int writePort) {
    return s.replace("localhost:8080", "localhost:" + readPort).replace("localhost:8081", "localhost:" + writePort)
        .replace("127.0.0.1:8081", "127.0.0.1:" + writePort).replace("127.0.0.1:8080", "127.0.0.1:" + readPort);
  }

  static String bash(String command, Path dir) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash", "-c", command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the command ends: " + command);
    return new String(out, StandardCharsets.UTF_8).strip();
  }

  /** {@code actual} is {@code expected}, but for the {@code took} values and what {@code " ... "} leaves out. */
  static void assertMatches(String expected, String actual, String command) {
    String e = TOOK.matcher(expected).replaceAll("\"took\":0");
    String a = TOOK.matcher(actual).replaceAll("\"took\":0");
    int cut = e.indexOf(" ... ");
    if (cut < 0) {
      assertEquals(e, a, "the README's answer to: " + command);
      return;
    }
    String head = e.substring(0, cut);
    String tail = e.substring(cut + " ... ".length());
    assertTrue(a.startsWith(head) && a.endsWith(tail) && a.length() >= head.length() + tail.length(),
        "the README's answer to: " + command + "\nexpected: " + e + "\nactual:   " + a);
    assertFalse(head.isEmpty() && tail.isEmpty(), "a shortened answer keeps something to compare: " + command);
  }
}
