package io.vecgate.engine.search;

import java.util.Arrays;

/** A fixed-size bit set of document ordinals. */
public final class FixedBitSet implements Bits {

  private final long[] words;
  private final int length;

  public FixedBitSet(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0, got " + length);
    }
    this.length = length;
    this.words = new long[(length + 63) >>> 6];
  }

  /** A set holding every ordinal of {@code [0, length)}. */
  public static FixedBitSet all(int length) {
    FixedBitSet bits = new FixedBitSet(length);
    bits.setRange(0, length);
    return bits;
  }

  @Override
  public boolean get(int index) {
    assert index >= 0 && index < length : index;
    return (words[index >>> 6] & (1L << index)) != 0;
  }

  public void set(int index) {
    if (index < 0 || index >= length) {
      throw new IndexOutOfBoundsException("ordinal " + index + " outside [0, " + length + ")");
    }
    words[index >>> 6] |= 1L << index;
  }

  public void clear(int index) {
    if (index < 0 || index >= length) {
      throw new IndexOutOfBoundsException("ordinal " + index + " outside [0, " + length + ")");
    }
    words[index >>> 6] &= ~(1L << index);
  }

  /** Sets every ordinal of {@code [from, to)}. */
  public void setRange(int from, int to) {
    for (int i = from; i < to; i++) {
      words[i >>> 6] |= 1L << i;
    }
  }

  /** Keeps only ordinals also in {@code other}. */
  public void and(FixedBitSet other) {
    checkSameLength(other);
    for (int i = 0; i < words.length; i++) {
      words[i] &= other.words[i];
    }
  }

  /** Adds every ordinal of {@code other}. */
  public void or(FixedBitSet other) {
    checkSameLength(other);
    for (int i = 0; i < words.length; i++) {
      words[i] |= other.words[i];
    }
  }

  /** Removes every ordinal of {@code other}. */
  public void andNot(FixedBitSet other) {
    checkSameLength(other);
    for (int i = 0; i < words.length; i++) {
      words[i] &= ~other.words[i];
    }
  }

  /** The number of ordinals in the set. */
  public int cardinality() {
    int count = 0;
    for (long w : words) {
      count += Long.bitCount(w);
    }
    return count;
  }

  /** The first ordinal {@code >= from} in the set, or -1. */
  public int nextSetBit(int from) {
    if (from >= length) {
      return -1;
    }
    int w = from >>> 6;
    long word = words[w] & (-1L << from);
    while (true) {
      if (word != 0) {
        int bit = (w << 6) + Long.numberOfTrailingZeros(word);
        return bit < length ? bit : -1;
      }
      if (++w == words.length) {
        return -1;
      }
      word = words[w];
    }
  }

  @Override
  public int length() {
    return length;
  }

  private void checkSameLength(FixedBitSet other) {
    if (other.length != length) {
      throw new IllegalArgumentException("bit sets differ in length: " + length + " vs " + other.length);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FixedBitSet f && f.length == length && Arrays.equals(f.words, words);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(words) * 31 + length;
  }
}
