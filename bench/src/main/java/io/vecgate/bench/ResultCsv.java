package io.vecgate.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The CSV format shared by {@code bench ann} and {@code bench/peers/ann_peers.py}, so that both
 * can be tabulated together: the header {@link #HEADER}, fields quoted only when they hold a
 * comma or quote (as Python's {@code csv} module does), recall with 4 decimals, QPS with 1,
 * milliseconds and seconds with 3, and an empty field where a value could not be computed.
 */
public final class ResultCsv {

  /** The exact header line (without line terminator). */
  public static final String HEADER =
      "index,params,sweep,recall@1,recall@10,recall@100,qps_1t,qps_all,p50_ms,p99_ms,build_s,index_bytes";

  private ResultCsv() {}

  /** The CSV line of {@code r} (without line terminator). */
  public static String format(ResultRow r) {
    return String.join(",",
        quote(r.index()), quote(r.params()), quote(r.sweep()),
        num(r.recall1(), 4), num(r.recall10(), 4), num(r.recall100(), 4),
        num(r.qps1(), 1), num(r.qpsAll(), 1), num(r.p50Ms(), 3), num(r.p99Ms(), 3),
        num(r.buildS(), 3), Long.toString(r.indexBytes()));
  }

  /** Writes the header and {@code rows} to {@code file}, replacing it. */
  public static void write(Path file, List<ResultRow> rows) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(HEADER);
      w.write('\n');
      for (ResultRow r : rows) {
        w.write(format(r));
        w.write('\n');
      }
    }
  }

  /** {@code v} with {@code decimals} decimals, or an empty string for NaN. */
  static String num(double v, int decimals) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  static String quote(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
