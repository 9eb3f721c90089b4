package io.vecgate.space;

import io.vecgate.protocol.api.ApiException;

/**
 * One field of a space.
 *
 * @param name field name ({@code [A-Za-z][A-Za-z0-9_]*}; names starting with {@code _} are ours)
 * @param type its type
 * @param dimension vector dimension, 0 for scalars
 * @param index vectors: indexed; scalars: filterable with {@code range}/{@code term}
 * @param normalized a vector field with {@code "format": "normalization"}: its vectors, stored and
 *     searched, are scaled to unit length
 */
public record FieldSpec(String name, FieldType type, int dimension, boolean index, boolean normalized) {

  /** A field without normalization. */
  public FieldSpec(String name, FieldType type, int dimension, boolean index) {
    this(name, type, dimension, index, false);
  }

  /**
   * Scales the {@link #dimension()} numbers of {@code v} from {@code off} to unit length, in place.
   *
   * @throws ApiException 400 naming {@code path} for a zero vector, which
   *     has no direction to keep
   */
  public void normalize(float[] v, int off, String path) {
    double sum = 0;
    for (int i = off; i < off + dimension; i++) {
      sum += (double) v[i] * v[i];
    }
    if (sum == 0) {
      throw ApiException.badRequest(path + ": a zero vector cannot be normalised (field '"
          + name + "' has \"format\": \"normalization\")");
    }
    double inv = 1 / Math.sqrt(sum);
    for (int i = off; i < off + dimension; i++) {
      v[i] = (float) (v[i] * inv);
    }
  }

  public boolean isVector() {
    return type == FieldType.VECTOR;
  }
}
