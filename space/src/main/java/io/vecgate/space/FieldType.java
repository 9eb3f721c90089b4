package io.vecgate.space;

import io.vecgate.engine.column.ColumnType;
import java.util.Locale;

/** The field types of a space's {@code properties}, as the Vearch API spells them. */
public enum FieldType {
  VECTOR(null),
  INTEGER(ColumnType.INT),
  LONG(ColumnType.LONG),
  FLOAT(ColumnType.FLOAT),
  DOUBLE(ColumnType.DOUBLE),
  STRING(ColumnType.KEYWORD),
  KEYWORD(ColumnType.KEYWORD);

  private final ColumnType column;

  FieldType(ColumnType column) {
    this.column = column;
  }

  /** The engine column type of a scalar field; {@code null} for vectors. */
  public ColumnType column() {
    return column;
  }

  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses vector, integer (int), long, float, double, string, keyword; null when unknown. */
  public static FieldType parseOrNull(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "vector" -> VECTOR;
      case "integer", "int" -> INTEGER;
      case "long" -> LONG;
      case "float" -> FLOAT;
      case "double" -> DOUBLE;
      case "string", "text" -> STRING;
      case "keyword" -> KEYWORD;
      default -> null;
    };
  }
}
