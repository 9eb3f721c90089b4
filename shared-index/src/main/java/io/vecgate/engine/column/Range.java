package io.vecgate.engine.column;

/**
 * Bounds of a range filter ({@code gt}/{@code gte}/{@code lt}/{@code lte}); a {@code null} bound
 * is open. Bounds are numbers of any kind: on INT/LONG columns they compare exactly (a
 * fractional bound is rounded the right way, so {@code gt 1.5} keeps 2 and up); on FLOAT/DOUBLE
 * columns they compare as doubles and NaN values never match.
 */
public record Range(Number lower, boolean lowerInclusive, Number upper, boolean upperInclusive) {

  public Range {
    checkNotNaN(lower);
    checkNotNaN(upper);
  }

  /** The range with no bounds (every non-NaN value). */
  public static Range all() {
    return new Range(null, false, null, false);
  }

  public Range gt(Number v) {
    return new Range(v, false, upper, upperInclusive);
  }

  public Range gte(Number v) {
    return new Range(v, true, upper, upperInclusive);
  }

  public Range lt(Number v) {
    return new Range(lower, lowerInclusive, v, false);
  }

  public Range lte(Number v) {
    return new Range(lower, lowerInclusive, v, true);
  }

  /** Whether a double value is inside (the rule of FLOAT/DOUBLE columns). */
  public boolean test(double v) {
    if (Double.isNaN(v)) {
      return false;
    }
    if (lower != null) {
      double lo = lower.doubleValue();
      if (lowerInclusive ? v < lo : v <= lo) {
        return false;
      }
    }
    if (upper != null) {
      double hi = upper.doubleValue();
      return upperInclusive ? v <= hi : v < hi;
    }
    return true;
  }

  /**
   * The range as inclusive long bounds {@code [lo, hi]} for INT/LONG columns; {@code lo > hi}
   * when nothing can match.
   */
  public long[] inclusiveLongBounds() {
    if (lowerExcludesAll() || upperExcludesAll()) {
      return new long[] {1, 0};
    }
    long lo = lower == null ? Long.MIN_VALUE : lowerBound(lower, lowerInclusive);
    long hi = upper == null ? Long.MAX_VALUE : upperBound(upper, upperInclusive);
    return new long[] {lo, hi};
  }

  private static long lowerBound(Number n, boolean inclusive) {
    if (isIntegral(n)) {
      long v = n.longValue();
      if (inclusive) {
        return v;
      }
      return v + 1; // v < MAX here: gt MAX is caught by lowerExcludesAll
    }
    double d = n.doubleValue();
    double lo = inclusive ? Math.ceil(d) : Math.floor(d) + 1;
    // lo >= 2^63 is caught by lowerExcludesAll.
    return lo <= -0x1p63 ? Long.MIN_VALUE : (long) lo;
  }

  private static long upperBound(Number n, boolean inclusive) {
    if (isIntegral(n)) {
      long v = n.longValue();
      if (inclusive) {
        return v;
      }
      return v - 1; // v > MIN here: lt MIN is caught by upperExcludesAll
    }
    double d = n.doubleValue();
    double hi = inclusive ? Math.floor(d) : Math.ceil(d) - 1;
    // hi < -2^63 is caught by upperExcludesAll.
    return hi >= 0x1p63 ? Long.MAX_VALUE : (long) hi;
  }

  /** Whether the lower bound excludes every long (gt Long.MAX_VALUE or above 2^63). */
  boolean lowerExcludesAll() {
    if (lower == null) {
      return false;
    }
    if (isIntegral(lower)) {
      return !lowerInclusive && lower.longValue() == Long.MAX_VALUE;
    }
    double d = lower.doubleValue();
    return (lowerInclusive ? Math.ceil(d) : Math.floor(d) + 1) >= 0x1p63;
  }

  /** Whether the upper bound excludes every long (lt Long.MIN_VALUE or below -2^63). */
  boolean upperExcludesAll() {
    if (upper == null) {
      return false;
    }
    if (isIntegral(upper)) {
      return !upperInclusive && upper.longValue() == Long.MIN_VALUE;
    }
    double d = upper.doubleValue();
    return (upperInclusive ? Math.floor(d) : Math.ceil(d) - 1) < -0x1p63;
  }

  private static boolean isIntegral(Number n) {
    return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
  }

  private static void checkNotNaN(Number n) {
    if (n != null && !(n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte)
        && Double.isNaN(n.doubleValue())) {
      throw new IllegalArgumentException("range bound must be a number, got NaN");
    }
  }
}
