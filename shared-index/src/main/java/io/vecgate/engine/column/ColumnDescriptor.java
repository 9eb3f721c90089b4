package io.vecgate.engine.column;

/** The name and value type of a scalar column. */
public record ColumnDescriptor(String name, ColumnType type) {

  public ColumnDescriptor {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("column name must not be empty");
    }
    if (type == null) {
      throw new IllegalArgumentException("column '" + name + "' has no type");
    }
  }
}
