package io.vecgate.space;

/**
 * One field of a space.
 *
 * @param name field name ({@code [A-Za-z][A-Za-z0-9_]*}; names starting with {@code _} are ours)
 * @param type its type
 * @param dimension vector dimension, 0 for scalars
 * @param index vectors: indexed; scalars: filterable with {@code range}/{@code term}
 */
public record FieldSpec(String name, FieldType type, int dimension, boolean index) {

  public boolean isVector() {
    return type == FieldType.VECTOR;
  }
}
