package io.vecgate.common.space;

import java.util.Map;

/**
 * A validated document of a space: its {@code _id}, its vector and its scalar values
 * ({@code Integer}, {@code Long}, {@code Float}, {@code Double} or {@code String} by field type;
 * fields the document does not set are absent).
 */
public record Document(String id, float[] vector, Map<String, Object> scalars) {

  public Document {
    scalars = Map.copyOf(scalars);
  }
}
