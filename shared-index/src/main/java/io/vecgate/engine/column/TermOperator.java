package io.vecgate.engine.column;

import java.util.Locale;

/**
 * How the values of a term filter combine, as Vearch's {@code operator}. Columns are
 * single-valued, so {@link #AND} of several different values matches nothing (a document
 * cannot equal two values); AND of one value, or of repeats of one value, is the same as OR.
 */
public enum TermOperator {
  /** The value is one of the terms. */
  OR,
  /** The value equals every term. */
  AND,
  /** The value is none of the terms. */
  NOT;

  /** Parses {@code or}, {@code and}, {@code not} (any case). */
  public static TermOperator parse(String name) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "or" -> OR;
      case "and" -> AND;
      case "not" -> NOT;
      default -> throw new IllegalArgumentException("term operator must be one of or, and, not; got '" + name + "'");
    };
  }
}
