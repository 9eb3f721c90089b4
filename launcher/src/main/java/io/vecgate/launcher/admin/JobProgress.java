package io.vecgate.launcher.admin;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * How a followed rebuild is shown: on a terminal one bar redrawn in place
 * ({@code load  [#######.......]  50.0%  500/1000 rows  1200 rows/s  eta 1s}), otherwise one line
 * per phase (logs and scripts read them); and the closing line with the outcome.
 */
final class JobProgress {

  private JobProgress() {}

  /** The bar of a running job, {@code width} characters between the brackets. */
  static String bar(JsonObject job, int width) {
    JsonObject p = job.getJsonObject("progress", new JsonObject());
    Double percent = p.getDouble("percent");
    int filled = percent == null ? 0 : (int) Math.round(Math.min(100, percent) / 100.0 * width);
    String pct = percent == null ? "    ?" : String.format(Locale.ROOT, "%5.1f%%", percent);
    return String.format(Locale.ROOT, "%-10s [%s%s] %s  %s", job.getString("phase"), "#".repeat(filled),
        ".".repeat(width - filled), pct, rows(job));
  }

  /** {@code 500/1000 rows  1200 rows/s  eta 1s} (what is known of them). */
  static String rows(JsonObject job) {
    JsonObject p = job.getJsonObject("progress", new JsonObject());
    StringBuilder sb = new StringBuilder();
    sb.append(p.getLong("rows", 0L));
    if (p.getValue("total") != null) {
      sb.append('/').append(p.getLong("total"));
    }
    sb.append(" rows");
    long rate = p.getLong("rate", 0L);
    if (rate > 0) {
      sb.append("  ").append(rate).append(" rows/s");
    }
    if (p.getValue("eta_seconds") != null) {
      sb.append("  eta ").append(p.getLong("eta_seconds")).append('s');
    }
    return sb.toString();
  }

  /**
   * The phases the job has entered that are not in {@code printed} yet, in order (its timings list
   * every phase it went through, the current one last); adds them to {@code printed}.
   */
  static java.util.List<String> newPhases(JsonObject job, java.util.Set<String> printed) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String p : job.getJsonObject("timings_ms", new JsonObject()).fieldNames()) {
      if (printed.add(p)) {
        out.add(p);
      }
    }
    String current = job.getString("phase");
    if (current != null && printed.add(current)) {
      out.add(current);
    }
    return out;
  }

  /** The line printed when a job enters a phase (not on a terminal). */
  static String phaseLine(JsonObject job) {
    return "phase " + job.getString("phase") + ": " + rows(job);
  }

  /** The last line: how the job ended. */
  static String outcome(JsonObject job) {
    String state = job.getString("state");
    String head = "job " + job.getString("job_id") + " " + state;
    return switch (state) {
      case "succeeded" -> head + ": alias " + job.getString("alias") + " -> " + job.getString("db") + "/"
          + job.getString("space") + " (version " + job.getValue("version") + ", "
          + job.getJsonObject("counts", new JsonObject()).getValue("new", "?") + " documents"
          + (job.getValue("readers") == null ? "" : ", warmed on " + job.getValue("readers") + " readers") + ")";
      default -> head + " in phase " + job.getString("phase") + ": " + job.getString("error");
    };
  }

  /** The exit code of a followed job: 0 succeeded, 1 failed, 3 cancelled. */
  static int exitCode(JsonObject job) {
    return switch (job.getString("state")) {
      case "succeeded" -> 0;
      case "cancelled" -> AdminFailure.CANCELLED;
      default -> AdminFailure.REFUSED;
    };
  }
}
