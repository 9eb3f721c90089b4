package io.vecgate.engine.hnsw;

import java.lang.foreign.Arena;
import java.util.SplittableRandom;

/**
 * The graph while it is built: the {@link HnswGraph} layout in heap int arrays, with a lock per
 * node (striped) guarding each adjacency row. Levels are drawn up front from the seed, so the
 * upper rows are laid out before the first insert and never move.
 */
final class GraphArrays {

  /** Lock stripes: enough that threads rarely share one; no thread ever holds two. */
  private static final int MAX_LOCKS = 1 << 16;

  final int size;
  final int m;
  private final int level0Row;
  private final int upperRow;
  private final byte[] levels;
  private final int[] upperStart;
  private final int[] level0;
  private final int[] upper;
  private final Object[] locks;

  GraphArrays(int size, HnswConfig config) {
    this.size = size;
    this.m = config.m();
    this.level0Row = 1 + 2 * m;
    this.upperRow = 1 + m;
    this.levels = drawLevels(size, config);
    this.upperStart = new int[size];
    long blocks = 0;
    for (int i = 0; i < size; i++) {
      upperStart[i] = levels[i] == 0 ? -1 : (int) blocks;
      blocks += levels[i];
    }
    this.level0 = new int[checkedSize((long) size * level0Row, "level-0 adjacency")];
    this.upper = new int[checkedSize(blocks * upperRow, "upper-level adjacency")];
    this.locks = new Object[Math.min(MAX_LOCKS, Integer.highestOneBit(Math.max(1, size - 1)) << 1)];
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new Object();
    }
  }

  /** Levels of all nodes, drawn in ordinal order with mL = 1 / ln(M), so they depend only on the seed. */
  static byte[] drawLevels(int n, HnswConfig config) {
    SplittableRandom rnd = new SplittableRandom(config.seed());
    double ml = config.levelMultiplier();
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      // 1 - u lies in (0, 1], so the logarithm is finite.
      double level = Math.floor(-Math.log(1.0 - rnd.nextDouble()) * ml);
      out[i] = (byte) Math.min(Byte.MAX_VALUE, level);
    }
    return out;
  }

  private static int checkedSize(long ints, String what) {
    if (ints > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("HNSW " + what + " needs " + ints + " int32 slots, more than one array holds; "
          + "lower M or split the data into more segments");
    }
    return (int) ints;
  }

  int level(int node) {
    return levels[node];
  }

  /** The array holding the rows of {@code level}. */
  int[] rows(int level) {
    return level == 0 ? level0 : upper;
  }

  /** Index in {@link #rows(int)} of the count of {@code node}'s row on {@code level}; neighbours follow. */
  int rowBase(int node, int level) {
    assert level <= levels[node] : node + "@" + level;
    return level == 0 ? node * level0Row : (upperStart[node] + level - 1) * upperRow;
  }

  /** The monitor guarding the rows of {@code node}. */
  Object lockOf(int node) {
    return locks[node & (locks.length - 1)];
  }

  /** Copies the neighbours of {@code node} on {@code level} into {@code dst} under the node's lock. */
  int copyNeighbours(int node, int level, int[] dst) {
    int[] rows = rows(level);
    int base = rowBase(node, level);
    synchronized (lockOf(node)) {
      int count = rows[base];
      System.arraycopy(rows, base + 1, dst, 0, count);
      return count;
    }
  }

  /** Marks the level-0 nodes reachable from {@code start} and not yet marked; returns how many. */
  int markReachable(int start, boolean[] reached, int[] stack) {
    if (reached[start]) {
      return 0;
    }
    reached[start] = true;
    int marked = 1;
    int top = 0;
    stack[top++] = start;
    while (top > 0) {
      int base = rowBase(stack[--top], 0);
      for (int i = 0; i < level0[base]; i++) {
        int nb = level0[base + 1 + i];
        if (!reached[nb]) {
          reached[nb] = true;
          marked++;
          stack[top++] = nb;
        }
      }
    }
    return marked;
  }

  /** Copies the graph into native segments of {@code arena}; call once no thread writes any more. */
  HnswGraph toGraph(int entryPoint, int maxLevel, Arena arena) {
    return HnswGraph.copyOf(size, m, entryPoint, maxLevel, levels, level0, upperStart, upper, arena);
  }
}
