package io.vecgate.engine.hnsw;

import io.vecgate.engine.index.IndexParts;
import io.vecgate.engine.index.PartKind;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.Map;

/**
 * An HNSW graph read straight from four memory segments (native after a build, mapped after
 * {@code open}), never copied to the heap. Layout, all little-endian:
 * <ul>
 *   <li>{@link PartKind#HNSW_LEVELS}: int8 per node, its top level (0 for most nodes).
 *   <li>{@link PartKind#HNSW_LEVEL0}: per node a row of {@code 1 + 2M} int32: the neighbour count,
 *       then the neighbours; unused slots are 0.
 *   <li>{@link PartKind#HNSW_UPPER_INDEX}: int32 per node, the block number of its level-1 row in
 *       {@code HNSW_UPPER}, or -1 when the node lives on level 0 only. Level {@code l} of that
 *       node is block {@code index + l - 1}.
 *   <li>{@link PartKind#HNSW_UPPER}: blocks of {@code 1 + M} int32 (count, neighbours), in node
 *       order, one per node and level >= 1.
 * </ul>
 * M, the entry point and the top level are index parameters ({@link HnswConfig}).
 */
public final class HnswGraph {

  static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final int size;
  private final int m;
  private final int entryPoint;
  private final int maxLevel;
  private final MemorySegment levels;
  private final MemorySegment level0;
  private final MemorySegment upperIndex;
  private final MemorySegment upper;
  private final long level0Row;
  private final long upperRow;

  private HnswGraph(int size, int m, int entryPoint, int maxLevel, MemorySegment levels, MemorySegment level0,
                    MemorySegment upperIndex, MemorySegment upper) {
    this.size = size;
    this.m = m;
    this.entryPoint = entryPoint;
    this.maxLevel = maxLevel;
    this.levels = levels;
    this.level0 = level0;
    this.upperIndex = upperIndex;
    this.upper = upper;
    this.level0Row = (1L + 2L * m) * Integer.BYTES;
    this.upperRow = (1L + m) * Integer.BYTES;
  }

  /** Copies a graph built on the heap into native segments of {@code arena}. */
  static HnswGraph copyOf(int size, int m, int entryPoint, int maxLevel, byte[] levels, int[] level0,
                          int[] upperIndex, int[] upper, Arena arena) {
    MemorySegment lv = arena.allocate(levels.length, 64);
    MemorySegment.copy(levels, 0, lv, ValueLayout.JAVA_BYTE, 0, levels.length);
    return new HnswGraph(size, m, entryPoint, maxLevel, lv, copy(level0, arena), copy(upperIndex, arena),
        copy(upper, arena));
  }

  private static MemorySegment copy(int[] a, Arena arena) {
    MemorySegment s = arena.allocate((long) a.length * Integer.BYTES, 64);
    MemorySegment.copy(a, 0, s, INT_LE, 0, a.length);
    return s;
  }

  /**
   * A graph over persisted parts. Sizes, levels and the upper index are checked in full (O(n)
   * bytes); adjacency rows are not read here, so that opening a mapped file stays cheap. A bad
   * neighbour id fails a search with a bounds error rather than returning wrong hits.
   */
  static HnswGraph open(IndexParts parts, int size, int m, int entryPoint, int maxLevel) {
    MemorySegment levels = parts.require(PartKind.HNSW_LEVELS);
    MemorySegment level0 = parts.require(PartKind.HNSW_LEVEL0);
    MemorySegment upperIndex = parts.require(PartKind.HNSW_UPPER_INDEX);
    MemorySegment upper = parts.require(PartKind.HNSW_UPPER);
    HnswGraph g = new HnswGraph(size, m, entryPoint, maxLevel, levels, level0, upperIndex, upper);
    expectSize(PartKind.HNSW_LEVELS, levels, size);
    expectSize(PartKind.HNSW_LEVEL0, level0, size * g.level0Row);
    expectSize(PartKind.HNSW_UPPER_INDEX, upperIndex, (long) size * Integer.BYTES);
    if (size == 0) {
      return g;
    }
    if (entryPoint < 0 || entryPoint >= size) {
      throw new IllegalArgumentException("HNSW entry_point " + entryPoint + " outside [0, " + size + ")");
    }
    if (g.level(entryPoint) != maxLevel) {
      throw new IllegalArgumentException("HNSW max_level " + maxLevel + " differs from the entry point's level "
          + g.level(entryPoint));
    }
    long blocks = 0;
    for (int node = 0; node < size; node++) {
      int level = g.level(node);
      if (level < 0 || level > maxLevel) {
        throw new IllegalArgumentException("HNSW_LEVELS: node " + node + " has level " + level + ", max_level is " + maxLevel);
      }
      int start = upperIndex.get(INT_LE, (long) node * Integer.BYTES);
      if (start != (level == 0 ? -1 : blocks)) {
        throw new IllegalArgumentException("HNSW_UPPER_INDEX: node " + node + " starts at block " + start
            + ", expected " + (level == 0 ? -1 : blocks));
      }
      blocks += level;
    }
    expectSize(PartKind.HNSW_UPPER, upper, blocks * g.upperRow);
    return g;
  }

  private static void expectSize(PartKind kind, MemorySegment s, long bytes) {
    if (s.byteSize() != bytes) {
      throw new IllegalArgumentException("index part " + kind + " holds " + s.byteSize() + " bytes, expected " + bytes);
    }
  }

  /** The segments to persist, by part kind. */
  Map<PartKind, MemorySegment> parts() {
    Map<PartKind, MemorySegment> p = new EnumMap<>(PartKind.class);
    p.put(PartKind.HNSW_LEVELS, levels);
    p.put(PartKind.HNSW_LEVEL0, level0);
    p.put(PartKind.HNSW_UPPER_INDEX, upperIndex);
    p.put(PartKind.HNSW_UPPER, upper);
    return p;
  }

  /** The number of nodes (vectors). */
  public int size() {
    return size;
  }

  /** Neighbours per node on levels >= 1; level 0 holds up to {@code 2 * m}. */
  public int m() {
    return m;
  }

  /** The node where searches start; -1 for an empty graph. */
  public int entryPoint() {
    return entryPoint;
  }

  /** The top level of the graph (the entry point's level); -1 for an empty graph. */
  public int maxLevel() {
    return maxLevel;
  }

  /** The top level of {@code node}. */
  public int level(int node) {
    return levels.get(ValueLayout.JAVA_BYTE, node);
  }

  /** The segment holding the rows of {@code level}: level 0 or the upper blocks. */
  MemorySegment rows(int level) {
    return level == 0 ? level0 : upper;
  }

  /** Byte offset, in {@link #rows(int)}, of the row (count, neighbours) of {@code node} on {@code level}. */
  long rowOffset(int node, int level) {
    if (level == 0) {
      return node * level0Row;
    }
    assert level <= level(node) : node + "@" + level;
    return (upperIndex.get(INT_LE, (long) node * Integer.BYTES) + level - 1L) * upperRow;
  }

  /** A copy of the neighbours of {@code node} on {@code level} (for tests and tools). */
  public int[] neighbours(int node, int level) {
    if (node < 0 || node >= size || level < 0 || level > level(node)) {
      throw new IllegalArgumentException("node " + node + " has no level " + level);
    }
    MemorySegment rows = rows(level);
    long off = rowOffset(node, level);
    int[] out = new int[rows.get(INT_LE, off)];
    for (int i = 0; i < out.length; i++) {
      out[i] = rows.get(INT_LE, off + Integer.BYTES * (1L + i));
    }
    return out;
  }
}
