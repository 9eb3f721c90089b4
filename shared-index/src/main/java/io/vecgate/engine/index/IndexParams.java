package io.vecgate.engine.index;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * String parameters of an index ({@code nlist=1024}, {@code M=16}, …) with typed, validated
 * getters. Written into the {@link PartKind#PARAMS} part as UTF-8 {@code key=value} lines.
 */
public final class IndexParams {

  private final Map<String, String> values;

  public IndexParams(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public static IndexParams empty() {
    return new IndexParams(Map.of());
  }

  /** Parses {@code "nlist=1024,nprobe=16"}; an empty string gives no parameters. */
  public static IndexParams parse(String spec) {
    Map<String, String> m = new LinkedHashMap<>();
    if (spec != null && !spec.isBlank()) {
      for (String kv : spec.split(",")) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("parameter '" + kv + "' must look like name=value");
        }
        m.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
      }
    }
    return new IndexParams(m);
  }

  public static IndexParams decode(byte[] utf8) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : new String(utf8, StandardCharsets.UTF_8).split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        m.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return new IndexParams(m);
  }

  public byte[] encode() {
    StringBuilder sb = new StringBuilder();
    values.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  public Map<String, String> asMap() {
    return values;
  }

  public Set<String> names() {
    return values.keySet();
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public String get(String name, String dflt) {
    return values.getOrDefault(name, dflt);
  }

  /** An int parameter within {@code [min, max]}, or {@code dflt} when absent. */
  public int getInt(String name, int dflt, int min, int max) {
    String v = values.get(name);
    if (v == null) {
      return dflt;
    }
    int parsed;
    try {
      parsed = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("parameter " + name + " must be an integer, got '" + v + "'");
    }
    if (parsed < min || parsed > max) {
      throw new IllegalArgumentException("parameter " + name + " must be in [" + min + ", " + max + "], got " + parsed);
    }
    return parsed;
  }

  public boolean getBoolean(String name, boolean dflt) {
    String v = values.get(name);
    if (v == null) {
      return dflt;
    }
    return switch (v.toLowerCase()) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new IllegalArgumentException("parameter " + name + " must be true or false, got '" + v + "'");
    };
  }

  /** A copy with {@code name} set to {@code value}. */
  public IndexParams with(String name, Object value) {
    Map<String, String> m = new LinkedHashMap<>(values);
    m.put(name, String.valueOf(value));
    return new IndexParams(m);
  }

  /** Fails when a parameter outside {@code allowed} is present, so a misspelt one is never ignored. */
  public void requireOnly(String indexName, Set<String> allowed) {
    for (String name : values.keySet()) {
      if (!allowed.contains(name)) {
        throw new IllegalArgumentException("unknown parameter '" + name + "' for " + indexName
            + "; allowed: " + String.join(", ", allowed));
      }
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    values.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ",").append(k).append('=').append(v));
    return sb.toString();
  }
}
