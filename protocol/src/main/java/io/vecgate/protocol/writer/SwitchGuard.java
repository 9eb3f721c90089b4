package io.vecgate.protocol.writer;

import io.vecgate.protocol.api.ApiException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a manual alias switch or rollback treats readers that do not serve its target yet: the
 * writer refuses it (409, naming them) unless {@code wait} lets it wait for them or {@code force}
 * makes it switch anyway. Sent as the URL parameters {@code ?wait=30s} and {@code ?force=true}
 * (headers {@code q.wait}, {@code q.force} on {@code vecgate.writer}, as every URL parameter).
 *
 * @param waitFor how long to wait for the readers (zero: refuse at once)
 * @param force switch even though readers have not loaded and warmed the target
 */
public record SwitchGuard(Duration waitFor, boolean force) {

  public static final String WAIT = "wait";
  public static final String FORCE = "force";
  /** The longest wait taken: a switch is an operator's action, not a job. */
  public static final Duration MAX_WAIT = Duration.ofMinutes(30);
  public static final SwitchGuard STRICT = new SwitchGuard(Duration.ZERO, false);

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)?");

  /**
   * The guard a request's headers ask for.
   *
   * @throws ApiException 400 naming {@code wait} or {@code force} when a value does not parse
   */
  public static SwitchGuard fromHeaders(Map<String, String> headers) {
    String w = headers.get(WriterHeaders.QUERY_PREFIX + WAIT);
    String f = headers.get(WriterHeaders.QUERY_PREFIX + FORCE);
    return new SwitchGuard(w == null ? Duration.ZERO : parseWait(w), parseForce(f));
  }

  /**
   * {@code 500ms}, {@code 30s}, {@code 2m} or a number of seconds, at most {@link #MAX_WAIT}.
   *
   * @throws ApiException 400 naming {@code wait}
   */
  public static Duration parseWait(String value) {
    Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw ApiException.badRequest(WAIT + ": expected a duration such as 500ms, 30s or 2m, got '" + value + "'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    Duration d = switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
    if (d.compareTo(MAX_WAIT) > 0) {
      throw ApiException.badRequest(WAIT + ": expected at most " + MAX_WAIT.toMinutes() + "m, got '" + value + "'");
    }
    return d;
  }

  private static boolean parseForce(String value) {
    if (value == null || value.equals("false")) {
      return false;
    }
    if (value.isEmpty() || value.equals("true")) {
      return true;
    }
    throw ApiException.badRequest(FORCE + ": expected true or false, got '" + value + "'");
  }
}
