package io.vecgate.engine.search;

/** A set of document ordinals, used as the filter of a search: only ordinals in the set may be returned. */
public interface Bits {

  /** Whether ordinal {@code index} is in the set. */
  boolean get(int index);

  /** The number of ordinals this set covers (the index size). */
  int length();
}
