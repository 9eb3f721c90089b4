package io.vecgate.launcher.config;

import java.time.Duration;
import picocli.CommandLine;

/** Parses {@code 500ms}, {@code 1s}, {@code 2m}, or plain milliseconds. */
public final class Durations implements CommandLine.ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("s")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
      }
      if (v.endsWith("m")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
      }
      return Duration.ofMillis(Long.parseLong(v));
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException("expected a duration like 500ms, 1s or 2m, got '" + value + "'");
    }
  }
}
