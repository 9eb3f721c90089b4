package io.vecgate.space;

import java.util.Map;

/**
 * A validated document of a space: its {@code _id}, its vectors and its scalar values
 * ({@code Integer}, {@code Long}, {@code Float}, {@code Double} or {@code String} by field type;
 * fields the document does not set are absent).
 *
 * @param vector the vector of every vector field of the space, one after the other in schema
 *     order ({@link SpaceSchema#vectorLength()} floats; field {@code f} at
 *     {@link SpaceSchema#vectorOffset}); with one vector field, just its vector
 */
public record Document(String id, float[] vector, Map<String, Object> scalars) {

  public Document {
    scalars = Map.copyOf(scalars);
  }
}
