package io.vecgate.launcher.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/** One JSON object per log line: time, level, logger, thread, message and the error if any. */
public final class JsonLogFormatter extends Formatter {

  private final String node;

  public JsonLogFormatter(String node) {
    this.node = node;
  }

  @Override
  public String format(LogRecord r) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"ts\":\"").append(Instant.ofEpochMilli(r.getMillis())).append('"');
    field(sb, "level", r.getLevel().getName());
    field(sb, "node", node);
    field(sb, "logger", r.getLoggerName());
    field(sb, "thread", Thread.currentThread().getName());
    field(sb, "msg", formatMessage(r));
    if (r.getThrown() != null) {
      StringWriter w = new StringWriter();
      r.getThrown().printStackTrace(new PrintWriter(w));
      field(sb, "error", w.toString());
    }
    return sb.append("}\n").toString();
  }

  private static void field(StringBuilder sb, String name, String value) {
    sb.append(",\"").append(name).append("\":\"");
    if (value != null) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          default -> {
            if (c < 0x20) {
              sb.append(String.format("\\u%04x", (int) c));
            } else {
              sb.append(c);
            }
          }
        }
      }
    }
    sb.append('"');
  }
}
