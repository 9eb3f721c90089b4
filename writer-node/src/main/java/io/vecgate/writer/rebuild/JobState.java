package io.vecgate.writer.rebuild;

import java.util.Locale;

/** Where a job is: running, or one of the three ends. */
public enum JobState {
  RUNNING, SUCCEEDED, FAILED, CANCELLED;

  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean ended() {
    return this != RUNNING;
  }

  public static JobState parse(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
