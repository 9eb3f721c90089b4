package io.vecgate.bench;

import java.util.Locale;

/** Fixed-width rows of results for the terminal; "-" where a value could not be computed. */
final class ConsoleTable {

  static final String HEADER = String.format(Locale.ROOT, "%-16s %9s %9s %10s %10s %10s %9s %9s",
      "sweep", "recall@1", "recall@10", "recall@100", "qps_1t", "qps_all", "p50_ms", "p99_ms");

  private ConsoleTable() {}

  static String format(ResultRow r) {
    return String.format(Locale.ROOT, "%-16s %9s %9s %10s %10s %10s %9s %9s",
        r.sweep().isEmpty() ? "(none)" : r.sweep(), cell(r.recall1(), 4), cell(r.recall10(), 4),
        cell(r.recall100(), 4), cell(r.qps1(), 1), cell(r.qpsAll(), 1), cell(r.p50Ms(), 3), cell(r.p99Ms(), 3));
  }

  private static String cell(double v, int decimals) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
