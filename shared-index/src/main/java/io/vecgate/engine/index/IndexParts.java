package io.vecgate.engine.index;

import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The regions of memory an index is made of, by kind. A builder produces them in native
 * memory; the segment format writes them as sections and, when a file is opened, hands back
 * mapped slices, from which {@link Indexes#open} rebuilds a searcher without copying.
 */
public final class IndexParts {

  private final Map<PartKind, MemorySegment> parts;

  public IndexParts(Map<PartKind, MemorySegment> parts) {
    this.parts = Collections.unmodifiableMap(new EnumMap<>(parts));
  }

  public Map<PartKind, MemorySegment> asMap() {
    return parts;
  }

  public boolean has(PartKind kind) {
    return parts.containsKey(kind);
  }

  /** The part of this kind; fails with a message naming it when the index lacks it. */
  public MemorySegment require(PartKind kind) {
    MemorySegment s = parts.get(kind);
    if (s == null) {
      throw new IllegalArgumentException("index part " + kind + " is missing");
    }
    return s;
  }

  /** Total bytes of all parts: the size of the index on disk, before section alignment. */
  public long byteSize() {
    long total = 0;
    for (MemorySegment s : parts.values()) {
      total += s.byteSize();
    }
    return total;
  }
}
