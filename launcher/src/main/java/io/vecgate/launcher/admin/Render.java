package io.vecgate.launcher.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The human-readable forms of the admin answers (the {@code --json} forms are the answers as they come). */
final class Render {

  private Render() {}

  /**
   * {@code spaces}: one row per space with its newest version, the versions kept, documents,
   * partitions, index state and the aliases that serve it.
   *
   * @param spaces space descriptions ({@code space.list}) of every db
   * @param aliases {@code alias.list}'s aliases
   * @param emptyDbs dbs without spaces (listed so that they are seen)
   */
  static String spaces(List<JsonObject> spaces, List<JsonObject> aliases, List<String> emptyDbs) {
    Map<String, List<String>> serving = new TreeMap<>();
    for (JsonObject a : aliases) {
      if (a.getString("space") != null) {
        serving.computeIfAbsent(a.getString("db") + "/" + a.getString("space"), k -> new ArrayList<>())
            .add(a.getString("name"));
      }
    }
    Table t = new Table("DB", "SPACE", "VERSION", "KEPT", "DOCS", "BUFFERED", "PARTITIONS", "INDEX", "STATE", "INDEXED",
        "FLAT", "BUILD", "ALIASES");
    for (JsonObject s : spaces) {
      JsonObject engine = s.getJsonObject("engine", new JsonObject());
      t.row(s.getString("db"), s.getString("name"), s.getValue("version"), join(s.getJsonArray("versions")),
          s.getValue("doc_num"), s.getValue("buffered"), s.getValue("partition_num"), engine.getString("retrieval_type"),
          s.getString("index_state"), s.getValue("indexed_docs"), s.getValue("flat_docs"), s.getString("index_build"),
          String.join(",", serving.getOrDefault(s.getString("db") + "/" + s.getString("name"), List.of())));
    }
    for (String db : emptyDbs) {
      t.row(db, "(no spaces)", null, null, null, null, null, null, null, null, null, null, null);
    }
    return t.isEmpty() ? "no dbs\n" : t.toString();
  }

  /** Aliases: name, serving target, building target (key2), history (newest first). */
  static String aliases(List<JsonObject> aliases) {
    Table t = new Table("ALIAS", "SERVING", "BUILDING", "HISTORY");
    for (JsonObject a : aliases) {
      String serving = a.getString("space") == null ? null : a.getString("db") + "/" + a.getString("space");
      JsonObject b = a.getValue("building") instanceof JsonObject o ? o : null;
      String building = b == null ? a.getValue("building") == null ? null : String.valueOf(a.getValue("building"))
          : b.getString("db") + "/" + b.getString("space");
      List<String> history = new ArrayList<>();
      for (Object h : a.getJsonArray("history", new JsonArray())) {
        JsonObject ho = (JsonObject) h;
        history.add(ho.getString("db") + "/" + ho.getString("space"));
      }
      t.row(a.getString("name"), serving, building, String.join(", ", history));
    }
    return t.isEmpty() ? "no aliases\n" : t.toString();
  }

  /** Rebuild jobs, newest first. */
  static String jobs(List<JsonObject> jobs) {
    Table t = new Table("JOB", "ALIAS", "STATE", "PHASE", "SPACE", "VERSION", "ROWS", "CREATED", "ERROR");
    for (JsonObject j : jobs) {
      JsonObject p = j.getJsonObject("progress", new JsonObject());
      t.row(j.getString("job_id"), j.getString("db") + "/" + j.getString("alias"), j.getString("state"),
          j.getString("phase"), j.getString("space"), j.getValue("version"), p.getValue("rows"), j.getString("created"),
          j.getString("error"));
    }
    return t.isEmpty() ? "no rebuild jobs\n" : t.toString();
  }

  /** One job in full: its state, progress, counts, timings, alarms and error. */
  static String job(JsonObject j) {
    StringBuilder sb = new StringBuilder();
    sb.append("job       ").append(j.getString("job_id")).append('\n');
    sb.append("alias     ").append(j.getString("db")).append('/').append(j.getString("alias")).append('\n');
    sb.append("state     ").append(j.getString("state")).append(" (phase ").append(j.getString("phase")).append(")\n");
    sb.append("space     ").append(or(j.getString("space"))).append(" (previous ").append(or(j.getString("previous")))
        .append(j.getValue("version") == null ? "" : ", version " + j.getValue("version")).append(")\n");
    sb.append("progress  ").append(JobProgress.rows(j)).append('\n');
    JsonObject counts = j.getJsonObject("counts", new JsonObject());
    if (!counts.isEmpty()) {
      List<String> c = new ArrayList<>();
      counts.forEach(e -> c.add(e.getKey() + " " + e.getValue()));
      sb.append("counts    ").append(String.join(", ", c)).append('\n');
    }
    JsonObject timings = j.getJsonObject("timings_ms", new JsonObject());
    if (!timings.isEmpty()) {
      List<String> c = new ArrayList<>();
      timings.forEach(e -> c.add(e.getKey() + " " + e.getValue() + " ms"));
      sb.append("timings   ").append(String.join(", ", c)).append('\n');
    }
    sb.append("created   ").append(j.getString("created")).append(j.getString("finished") == null ? ""
        : ", finished " + j.getString("finished")).append('\n');
    for (Object o : j.getJsonArray("alarms", new JsonArray())) {
      JsonObject a = (JsonObject) o;
      sb.append("ALARM     ").append(a.getString("check")).append(": ").append(a.getString("message")).append('\n');
    }
    if (j.getString("error") != null) {
      sb.append("error     ").append(j.getString("error")).append('\n');
    }
    return sb.toString();
  }

  /** {@code nodes}: every registered node with its endpoints, versions and load. */
  static String nodes(List<JsonObject> nodes) {
    Table t = new Table("NODE", "ROLE", "ENDPOINTS", "VERSIONS", "QPS", "HEAP", "MAPPED");
    for (JsonObject n : nodes) {
      if (n.getString("unreachable") != null) {
        t.row(n.getString("node_id"), n.getString("role"), "unreachable: " + n.getString("unreachable"), null, null, null,
            null);
        continue;
      }
      List<String> ep = new ArrayList<>();
      n.getJsonObject("endpoints", new JsonObject()).forEach(e -> ep.add(e.getKey() + " " + e.getValue()));
      JsonArray versions = n.getJsonArray("versions");
      t.row(n.getString("node_id"), n.getString("role"), String.join(", ", ep),
          versions == null ? null : versions.isEmpty() ? "none" : join(versions),
          String.format(Locale.ROOT, "%.1f", n.getDouble("qps", 0.0)),
          bytes(n.getLong("heap_used", 0L)) + "/" + bytes(n.getLong("heap_max", 0L)),
          n.getValue("mapped_bytes") == null ? null : bytes(n.getLong("mapped_bytes")));
    }
    return t.isEmpty() ? "no nodes registered\n" : t.toString();
  }

  /** {@code reader state}: what each reader serves and maps. */
  static String readerStates(List<JsonObject> states) {
    Table t = new Table("READER", "READY", "GRPC", "VERSIONS", "MAPPED", "FILES", "PARTITIONS");
    for (JsonObject s : states) {
      if (s.getString("unreachable") != null) {
        t.row(s.getString("node_id"), "unreachable: " + s.getString("unreachable"), null, null, null, null, null);
        continue;
      }
      List<String> versions = new ArrayList<>();
      for (Object o : s.getJsonArray("versions", new JsonArray())) {
        JsonObject v = (JsonObject) o;
        versions.add(v.getString("db") + "/" + v.getString("space") + "@" + v.getValue("version"));
      }
      JsonArray parts = s.getJsonArray("partitions");
      t.row(s.getString("node_id"), s.getValue("ready"), s.getString("grpc_host") + ":" + s.getValue("grpc_port"),
          versions.isEmpty() ? "none" : String.join(",", versions), bytes(s.getLong("mapped_bytes", 0L)),
          s.getValue("open_files"), parts == null ? "all" : join(parts));
    }
    return t.isEmpty() ? "no readers registered\n" : t.toString();
  }

  /** 1536 as {@code 1.5K}, binary units, one decimal from K on. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + "B";
    }
    String units = "KMGTP";
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length() - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f%c", v, units.charAt(u));
  }

  private static String join(JsonArray a) {
    if (a == null) {
      return null;
    }
    List<String> s = new ArrayList<>();
    a.forEach(o -> s.add(String.valueOf(o)));
    return String.join(",", s);
  }

  private static String or(String s) {
    return s == null ? "-" : s;
  }
}
