package io.vecgate.engine.search;

import java.util.Arrays;

/**
 * The answer to one query: document ordinals with their internal distances, closest first
 * (ties by smaller ordinal). Ordinals are positions in one index; the segment maps them to ids.
 */
public record Neighbors(int[] ordinals, float[] distances) {

  public Neighbors {
    if (ordinals.length != distances.length) {
      throw new IllegalArgumentException("ordinals and distances differ in length");
    }
  }

  public static final Neighbors EMPTY = new Neighbors(new int[0], new float[0]);

  public int size() {
    return ordinals.length;
  }

  public int ordinal(int i) {
    return ordinals[i];
  }

  public float distance(int i) {
    return distances[i];
  }

  @Override
  public String toString() {
    return "Neighbors" + Arrays.toString(ordinals) + Arrays.toString(distances);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Neighbors n && Arrays.equals(n.ordinals, ordinals) && Arrays.equals(n.distances, distances);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ordinals) * 31 + Arrays.hashCode(distances);
  }
}
