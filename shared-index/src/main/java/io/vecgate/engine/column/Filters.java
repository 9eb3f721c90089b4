package io.vecgate.engine.column;

import io.vecgate.engine.search.FixedBitSet;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds filters (sets of allowed ordinals) from column predicates, and combines them. Every
 * method returns a new set and leaves its arguments unchanged.
 */
public final class Filters {

  private Filters() {}

  /** The ordinals whose value lies in {@code range}; works on every numeric column. */
  public static FixedBitSet range(ColumnReader column, Range range) {
    int n = column.size();
    FixedBitSet out = new FixedBitSet(n);
    switch (column) {
      case ColumnReader.IntColumn c -> {
        long[] b = range.inclusiveLongBounds();
        for (int i = 0; i < n; i++) {
          int v = c.get(i);
          if (v >= b[0] && v <= b[1]) {
            out.set(i);
          }
        }
      }
      case ColumnReader.LongColumn c -> {
        long[] b = range.inclusiveLongBounds();
        for (int i = 0; i < n; i++) {
          long v = c.get(i);
          if (v >= b[0] && v <= b[1]) {
            out.set(i);
          }
        }
      }
      case ColumnReader.FloatColumn c -> {
        for (int i = 0; i < n; i++) {
          if (range.test(c.get(i))) {
            out.set(i);
          }
        }
      }
      case ColumnReader.DoubleColumn c -> {
        for (int i = 0; i < n; i++) {
          if (range.test(c.get(i))) {
            out.set(i);
          }
        }
      }
      case ColumnReader.KeywordColumn c -> throw new IllegalArgumentException(
          "range filters apply to int, long, float and double columns; '" + c.name() + "' is KEYWORD");
    }
    return out;
  }

  /**
   * The ordinals whose value matches {@code terms} under {@code op} (see {@link TermOperator}):
   * strings on a KEYWORD column; integral numbers (or strings holding one) on an INT or LONG
   * column. An INT column never equals a term outside the int range.
   *
   * @throws IllegalArgumentException for an empty term list, a FLOAT/DOUBLE column, or a term of the wrong kind
   */
  public static FixedBitSet term(ColumnReader column, Collection<?> terms, TermOperator op) {
    if (terms.isEmpty()) {
      throw new IllegalArgumentException("term filter on '" + column.name() + "' needs at least one value");
    }
    FixedBitSet matches = switch (column) {
      case ColumnReader.KeywordColumn c -> keywordMatches(c, keywordTerms(c, terms, op));
      case ColumnReader.IntColumn c -> {
        Set<Long> want = longTerms(c, terms, op);
        FixedBitSet out = new FixedBitSet(c.size());
        for (int i = 0; i < c.size(); i++) {
          if (want.contains((long) c.get(i))) {
            out.set(i);
          }
        }
        yield out;
      }
      case ColumnReader.LongColumn c -> {
        Set<Long> want = longTerms(c, terms, op);
        FixedBitSet out = new FixedBitSet(c.size());
        for (int i = 0; i < c.size(); i++) {
          if (want.contains(c.get(i))) {
            out.set(i);
          }
        }
        yield out;
      }
      case ColumnReader.FloatColumn c -> throw notTermable(c);
      case ColumnReader.DoubleColumn c -> throw notTermable(c);
    };
    return op == TermOperator.NOT ? not(matches) : matches;
  }

  /** Ordinals in every one of {@code sets} (all of the same length). */
  public static FixedBitSet and(FixedBitSet first, FixedBitSet... rest) {
    FixedBitSet out = copy(first);
    for (FixedBitSet s : rest) {
      out.and(s);
    }
    return out;
  }

  /** Ordinals in any one of {@code sets} (all of the same length). */
  public static FixedBitSet or(FixedBitSet first, FixedBitSet... rest) {
    FixedBitSet out = copy(first);
    for (FixedBitSet s : rest) {
      out.or(s);
    }
    return out;
  }

  /** Ordinals of {@code [0, length)} not in {@code set}. */
  public static FixedBitSet not(FixedBitSet set) {
    FixedBitSet out = FixedBitSet.all(set.length());
    out.andNot(set);
    return out;
  }

  public static FixedBitSet copy(FixedBitSet set) {
    FixedBitSet out = new FixedBitSet(set.length());
    out.or(set);
    return out;
  }

  private static IllegalArgumentException notTermable(ColumnReader c) {
    return new IllegalArgumentException(
        "term filters apply to keyword, int and long columns; '" + c.name() + "' is " + c.type());
  }

  /** The terms a value must be in: all of them for OR/NOT, and for AND the one value if all agree, else none. */
  private static <T> Set<T> effective(Set<T> distinct, TermOperator op) {
    return op == TermOperator.AND && distinct.size() > 1 ? Set.of() : distinct;
  }

  private static Set<Long> longTerms(ColumnReader c, Collection<?> terms, TermOperator op) {
    Set<Long> out = new HashSet<>();
    for (Object t : terms) {
      out.add(toLong(c, t));
    }
    return effective(out, op);
  }

  private static long toLong(ColumnReader c, Object t) {
    if (t instanceof Long || t instanceof Integer || t instanceof Short || t instanceof Byte) {
      return ((Number) t).longValue();
    }
    if (t instanceof Number num) {
      double d = num.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 0x1p63) {
        return (long) d;
      }
    } else if (t instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        // falls through to the error below
      }
    }
    throw new IllegalArgumentException("term on " + c.type() + " column '" + c.name()
        + "' must be an integer, got '" + t + "'");
  }

  private static Set<String> keywordTerms(ColumnReader c, Collection<?> terms, TermOperator op) {
    Set<String> out = new LinkedHashSet<>();
    for (Object t : terms) {
      if (!(t instanceof String s)) {
        throw new IllegalArgumentException("term on keyword column '" + c.name() + "' must be a string, got '" + t + "'");
      }
      out.add(s);
    }
    return effective(out, op);
  }

  /** Compares stored UTF-8 bytes with the terms' bytes, grouped by length, so no value is decoded. */
  private static FixedBitSet keywordMatches(ColumnReader.KeywordColumn c, Set<String> terms) {
    Map<Long, List<MemorySegment>> byLength = new HashMap<>();
    for (String t : terms) {
      byte[] b = t.getBytes(StandardCharsets.UTF_8);
      byLength.computeIfAbsent((long) b.length, x -> new ArrayList<>()).add(MemorySegment.ofArray(b));
    }
    FixedBitSet out = new FixedBitSet(c.size());
    for (int i = 0; i < c.size(); i++) {
      MemorySegment v = c.bytes(i);
      List<MemorySegment> candidates = byLength.get(v.byteSize());
      if (candidates != null) {
        for (MemorySegment t : candidates) {
          if (v.mismatch(t) == -1) {
            out.set(i);
            break;
          }
        }
      }
    }
    return out;
  }
}
