package io.vecgate.engine.column;

import java.util.Locale;

/** The value types of scalar columns. Ids are part of the segment format and never change meaning. */
public enum ColumnType {
  INT(1, Integer.BYTES),
  LONG(2, Long.BYTES),
  FLOAT(3, Float.BYTES),
  DOUBLE(4, Double.BYTES),
  /** UTF-8 strings (Vearch's {@code keyword}/{@code string}); variable width. */
  KEYWORD(5, 0);

  private final int id;
  private final int width;

  ColumnType(int id, int width) {
    this.id = id;
    this.width = width;
  }

  public int id() {
    return id;
  }

  /** Bytes per value for fixed-width types, 0 for {@link #KEYWORD}. */
  public int width() {
    return width;
  }

  public boolean isIntegral() {
    return this == INT || this == LONG;
  }

  public boolean isNumeric() {
    return this != KEYWORD;
  }

  /** The type of an id, or {@code null} when unknown. */
  public static ColumnType byId(int id) {
    for (ColumnType t : values()) {
      if (t.id == id) {
        return t;
      }
    }
    return null;
  }

  /** Parses int/integer, long, float, double, keyword/string (any case). */
  public static ColumnType parse(String name) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "int", "integer" -> INT;
      case "long" -> LONG;
      case "float" -> FLOAT;
      case "double" -> DOUBLE;
      case "keyword", "string" -> KEYWORD;
      default -> throw new IllegalArgumentException(
          "column type must be one of int, long, float, double, keyword, string; got '" + name + "'");
    };
  }
}
