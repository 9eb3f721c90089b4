package io.vecgate.bench;

import io.vecgate.engine.index.IndexParams;
import io.vecgate.engine.search.SearchParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits the {@code --params} of a bench run into build-time {@link IndexParams} and query-time
 * {@link SearchParams}, and parses {@code --sweep}. The names are those of faiss and hnswlib;
 * {@code nprobe}, {@code ef}, {@code quick}, {@code rerank} (and {@code exact}) are query-time,
 * every other name is passed to the index builder, which rejects names it does not know.
 *
 * @param build  parameters for {@code Indexes.build}
 * @param search query-time defaults every sweep value starts from
 */
public record BenchParams(IndexParams build, SearchParams search) {

  /** Names that are applied per query batch, not at build time. */
  public static final Set<String> SEARCH_TIME = Set.of("nprobe", "ef", "quick", "rerank", "exact");

  /** Splits {@code "nlist=1024,nprobe=16"} into build and search parts. */
  public static BenchParams parse(String spec) {
    Map<String, String> build = new LinkedHashMap<>();
    SearchParams search = SearchParams.DEFAULTS;
    for (Map.Entry<String, String> e : IndexParams.parse(spec).asMap().entrySet()) {
      if (SEARCH_TIME.contains(e.getKey())) {
        search = apply(search, e.getKey(), e.getValue());
      } else {
        build.put(e.getKey(), e.getValue());
      }
    }
    return new BenchParams(new IndexParams(build), search);
  }

  /** {@code p} with the query-time parameter {@code name} set to {@code value}. */
  public static SearchParams apply(SearchParams p, String name, String value) {
    return switch (name) {
      case "nprobe" -> p.withNprobe(parseInt(name, value));
      case "ef" -> p.withEf(parseInt(name, value));
      case "rerank" -> p.withRerankFactor(parseInt(name, value));
      case "quick" -> p.withQuick(parseBoolean(name, value));
      case "exact" -> p.withExact(parseBoolean(name, value));
      default -> throw new IllegalArgumentException("'" + name + "' is not a query-time parameter; query-time are "
          + String.join(", ", SEARCH_TIME.stream().sorted().toList()));
    };
  }

  /**
   * One value of a sweep: its label for the CSV ({@code "nprobe=16"}, empty without a sweep)
   * and the query-time parameters it runs with.
   */
  public record SweepPoint(String label, SearchParams params) {}

  /**
   * The points of {@code --sweep name=v1,v2,...} over {@code base}; without a sweep, one point
   * with {@code base} itself. Only query-time names can be swept (one build per run).
   */
  public static List<SweepPoint> sweep(String spec, SearchParams base) {
    if (spec == null || spec.isBlank()) {
      return List.of(new SweepPoint("", base));
    }
    int eq = spec.indexOf('=');
    if (eq <= 0 || eq == spec.length() - 1) {
      throw new IllegalArgumentException("--sweep must look like name=v1,v2,...; got '" + spec + "'");
    }
    String name = spec.substring(0, eq).trim();
    if (!SEARCH_TIME.contains(name)) {
      throw new IllegalArgumentException("--sweep " + name + ": only query-time parameters can be swept ("
          + String.join(", ", SEARCH_TIME.stream().sorted().toList()) + "); run once per build-time value instead");
    }
    List<SweepPoint> points = new ArrayList<>();
    for (String v : spec.substring(eq + 1).split(",")) {
      String value = v.trim();
      points.add(new SweepPoint(name + "=" + value, apply(base, name, value)));
    }
    return points;
  }

  private static int parseInt(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
    }
  }

  private static boolean parseBoolean(String name, String value) {
    return switch (value.trim().toLowerCase()) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
    };
  }
}
