package io.vecgate.launcher.admin;

import io.vecgate.protocol.writer.WriterOp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code admin rebuild start|status|list|cancel}: the writer's rebuild jobs. */
@Command(name = "rebuild", mixinStandardHelpOptions = true, description = "Start (and follow), show, list or cancel rebuilds.",
    subcommands = CommandLine.HelpCommand.class)
final class RebuildCommands extends CommandGroup {

  @Command(name = "start", description = "Start a rebuild from a job file (the body of POST /_jobs/rebuild) and follow "
      + "it until it ends: a progress bar on a terminal, one line per phase otherwise. The exit code says how it ended.")
  int start(@Parameters(paramLabel = "JOB_JSON", description = "The job file") Path file,
            @Option(names = "--no-follow", description = "Print the started job and return at once.") boolean noFollow,
            @Option(names = "--poll", defaultValue = "500", description = "Milliseconds between looks at the job. "
                + "Default: ${DEFAULT-VALUE}") long pollMillis) {
    byte[] body;
    try {
      body = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "JOB_JSON: cannot read " + file + ": " + e);
    }
    if (pollMillis < 50) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--poll: expected at least 50 ms, got " + pollMillis);
    }
    return startJob(admin, body, noFollow, pollMillis);
  }

  /**
   * Starts the rebuild {@code body} (a {@code POST /_jobs/rebuild} body) and, unless
   * {@code noFollow}, follows it until it ends; the exit code says how it ended.
   */
  static int startJob(AdminCommand admin, byte[] body, boolean noFollow, long pollMillis) {
    return admin.run(s -> {
      JsonObject job = s.writer(WriterOp.JOB_REBUILD, Map.of(), Buffer.buffer(body));
      if (noFollow) {
        admin.answer(job, () -> Render.job(job));
        return 0;
      }
      JsonObject last = follow(admin, s, job, pollMillis);
      admin.answer(last, () -> JobProgress.outcome(last) + "\n");
      return JobProgress.exitCode(last);
    });
  }

  /** Looks at the job every {@code pollMillis} until it ends, drawing its progress; the last status. */
  private static JsonObject follow(AdminCommand admin, AdminSession s, JsonObject job, long pollMillis)
      throws AdminFailure {
    java.io.Console console = System.console();
    boolean tty = !admin.json && console != null && console.isTerminal();
    PrintWriter out = admin.out();
    String id = job.getString("job_id");
    if (!admin.json) {
      out.println("rebuild " + id + " of alias " + job.getString("db") + "/" + job.getString("alias") + " started");
    }
    String phase = null;
    java.util.Set<String> printed = new java.util.HashSet<>();
    while (true) {
      if (!admin.json) {
        if (!tty) {
          // Phases shorter than a poll still get their line: the job's timings name every phase it went through.
          for (String p : JobProgress.newPhases(job, printed)) {
            out.println(p.equals(job.getString("phase")) ? JobProgress.phaseLine(job) : "phase " + p);
          }
        } else {
          if (phase != null && !job.getString("phase").equals(phase)) {
            out.println();
          }
          phase = job.getString("phase");
          out.print("\r" + JobProgress.bar(job, 30) + "\u001b[K");
        }
        out.flush();
      }
      if (!"running".equals(job.getString("state"))) {
        if (tty) {
          out.println();
        }
        return job;
      }
      s.pause(pollMillis);
      job = s.writer(WriterOp.JOB_GET, Map.of("id", id), Buffer.buffer());
    }
  }

  @Command(name = "status", description = "One job in full.")
  int status(@Parameters(paramLabel = "JOB_ID") String id) {
    return admin.run(s -> {
      JsonObject job = s.writer(WriterOp.JOB_GET, Map.of("id", id), Buffer.buffer());
      admin.answer(job, () -> Render.job(job));
      return 0;
    });
  }

  @Command(name = "list", description = "Every job the writer knows, newest first.")
  int list() {
    return admin.run(s -> {
      JsonObject r = s.writer(WriterOp.JOB_LIST, Map.of(), Buffer.buffer());
      List<JsonObject> jobs = new ArrayList<>();
      r.getJsonArray("jobs", new JsonArray()).forEach(o -> jobs.add((JsonObject) o));
      admin.answer(r, () -> Render.jobs(jobs));
      return 0;
    });
  }

  @Command(name = "cancel", description = "Cancel a running job (nothing users see changes: it stops before the switch).")
  int cancel(@Parameters(paramLabel = "JOB_ID") String id) {
    return admin.run(s -> {
      JsonObject job = s.writer(WriterOp.JOB_CANCEL, Map.of("id", id), Buffer.buffer());
      admin.answer(job, () -> "cancelling " + id + " (phase " + job.getString("phase")
          + "); `rebuild status " + id + "` shows when it has stopped\n");
      return 0;
    });
  }
}
