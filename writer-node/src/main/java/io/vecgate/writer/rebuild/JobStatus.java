package io.vecgate.writer.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a rebuild job is doing and has done, as {@code GET /_jobs/{id}} shows it and as it is
 * kept on disk: state, phase, progress of the load (rows, percent, rate, ETA), the counts it
 * checked, the time each phase took, its alarms and, when it failed, why. Thread-safe: the job
 * updates it while requests read it.
 */
public final class JobStatus {

  /** A failed check: its name ({@code min_count}, {@code max_drop_percent}, {@code shortfall}) and what it saw. */
  public record Alarm(String check, String message, Instant at) {}

  private final String id;
  private final String db;
  private final String alias;
  private final Instant created;
  private JobState state = JobState.RUNNING;
  private Phase phase = Phase.PRECHECK;
  private String space;
  private String previous;
  private long version;
  private long sourceCount = -1;
  private long servingCount = -1;
  private long newCount = -1;
  private long rows;
  private long loadStartNanos;
  private double rate;
  private int readers;
  private Instant finished;
  private String error;
  private final Map<Phase, Long> phaseMillis = new EnumMap<>(Phase.class);
  private long phaseStartNanos = System.nanoTime();
  private final List<Alarm> alarms = new ArrayList<>();

  public JobStatus(String id, String db, String alias, Instant created) {
    this.id = id;
    this.db = db;
    this.alias = alias;
    this.created = created;
  }

  public String id() {
    return id;
  }

  public String db() {
    return db;
  }

  public String alias() {
    return alias;
  }

  public Instant created() {
    return created;
  }

  public synchronized JobState state() {
    return state;
  }

  public synchronized Phase phase() {
    return phase;
  }

  /** The versioned space this job builds, once named. */
  public synchronized String space() {
    return space;
  }

  synchronized void enter(Phase next) {
    long now = System.nanoTime();
    phaseMillis.merge(phase, (now - phaseStartNanos) / 1_000_000, Long::sum);
    phase = next;
    phaseStartNanos = now;
    if (next == Phase.LOAD) {
      loadStartNanos = now;
    }
  }

  /** The published version number of the new space (0 before the build). */
  public synchronized long version() {
    return version;
  }

  /** Rows loaded so far. */
  public synchronized long rows() {
    return rows;
  }

  /** Documents of the serving version at the pre-check (-1 before it). */
  public synchronized long servingCount() {
    return servingCount;
  }

  synchronized void target(String newSpace, String servingSpace) {
    space = newSpace;
    previous = servingSpace;
  }

  synchronized void counts(long source, long serving) {
    sourceCount = source;
    servingCount = serving;
  }

  synchronized void loaded(long totalRows) {
    rows = totalRows;
    double s = (System.nanoTime() - loadStartNanos) / 1e9;
    rate = s > 0 ? rows / s : 0;
  }

  synchronized void published(long v) {
    version = v;
  }

  synchronized void warmed(int readerCount) {
    readers = readerCount;
  }

  synchronized void newCount(long n) {
    newCount = n;
  }

  synchronized void alarm(String check, String message) {
    alarms.add(new Alarm(check, message, Instant.now()));
  }

  public synchronized List<Alarm> alarms() {
    return List.copyOf(alarms);
  }

  /** Ends the job; the current phase's time is counted. */
  synchronized void end(JobState end, String why) {
    enter(phase);
    state = end;
    error = why;
    finished = Instant.now();
  }

  public synchronized String error() {
    return error;
  }

  /** The JSON of {@code GET /_jobs/{id}}. */
  public synchronized ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("job_id", id).put("type", "rebuild").put("db", db).put("alias", alias).put("state", state.apiName())
        .put("phase", phase.apiName());
    putOrNull(o, "space", space);
    putOrNull(o, "previous", previous);
    if (version > 0) {
      o.put("version", version);
    }
    o.put("created", created.toString());
    putOrNull(o, "finished", finished == null ? null : finished.toString());
    ObjectNode progress = o.putObject("progress");
    progress.put("rows", rows);
    if (sourceCount >= 0) {
      progress.put("total", sourceCount);
      progress.put("percent", sourceCount == 0 ? 100.0 : Math.min(100.0, Math.round(1000.0 * rows / sourceCount) / 10.0));
    }
    progress.put("rate", Math.round(rate));
    if (phase == Phase.LOAD && state == JobState.RUNNING && rate > 0 && sourceCount >= rows) {
      progress.put("eta_seconds", Math.round((sourceCount - rows) / rate));
    }
    ObjectNode counts = o.putObject("counts");
    putCount(counts, "source", sourceCount);
    putCount(counts, "serving", servingCount);
    putCount(counts, "new", newCount);
    if (readers > 0) {
      o.put("readers", readers);
    }
    ObjectNode timings = o.putObject("timings_ms");
    Map<Phase, Long> shown = new EnumMap<>(phaseMillis);
    if (!state.ended()) {
      shown.merge(phase, (System.nanoTime() - phaseStartNanos) / 1_000_000, Long::sum);
    }
    shown.forEach((p, ms) -> timings.put(p.apiName(), ms));
    ArrayNode a = o.putArray("alarms");
    for (Alarm alarm : alarms) {
      a.addObject().put("check", alarm.check()).put("message", alarm.message()).put("at", alarm.at().toString());
    }
    putOrNull(o, "error", error);
    return o;
  }

  /**
   * A job read back from disk after the writer stopped. A job that was running is not resumed:
   * the caller fails it ({@link #end}) and cleans what it left.
   */
  static JobStatus fromJson(JsonNode o) {
    JobStatus s = new JobStatus(o.path("job_id").asText(), o.path("db").asText(), o.path("alias").asText(),
        Instant.parse(o.path("created").asText()));
    s.state = JobState.parse(o.path("state").asText());
    s.phase = Phase.valueOf(o.path("phase").asText().toUpperCase(java.util.Locale.ROOT));
    s.space = o.path("space").isTextual() ? o.path("space").asText() : null;
    s.previous = o.path("previous").isTextual() ? o.path("previous").asText() : null;
    s.version = o.path("version").asLong();
    s.rows = o.path("progress").path("rows").asLong();
    s.rate = o.path("progress").path("rate").asDouble();
    s.sourceCount = o.path("counts").path("source").asLong(-1);
    s.servingCount = o.path("counts").path("serving").asLong(-1);
    s.newCount = o.path("counts").path("new").asLong(-1);
    s.readers = o.path("readers").asInt();
    o.path("timings_ms").properties().forEach(e ->
        s.phaseMillis.put(Phase.valueOf(e.getKey().toUpperCase(java.util.Locale.ROOT)), e.getValue().asLong()));
    for (JsonNode a : o.path("alarms")) {
      s.alarms.add(new Alarm(a.path("check").asText(), a.path("message").asText(), Instant.parse(a.path("at").asText())));
    }
    s.finished = o.path("finished").isTextual() ? Instant.parse(o.path("finished").asText()) : null;
    s.error = o.path("error").isTextual() ? o.path("error").asText() : null;
    return s;
  }

  private static void putOrNull(ObjectNode o, String key, String value) {
    if (value == null) {
      o.putNull(key);
    } else {
      o.put(key, value);
    }
  }

  private static void putCount(ObjectNode o, String key, long n) {
    if (n >= 0) {
      o.put(key, n);
    }
  }
}
