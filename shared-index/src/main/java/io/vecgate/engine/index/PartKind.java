package io.vecgate.engine.index;

/**
 * The named regions an index is made of. The segment format stores each as one section under
 * {@link #id()}; ids are part of the file format and never change meaning.
 */
public enum PartKind {
  /** Index parameters as UTF-8 {@code key=value} lines (see {@link IndexParams}). */
  PARAMS(1),
  /** Raw vectors, float32 little-endian, in ordinal order. */
  VECTORS(2),
  /** IVF centroids, nlist x dim float32. */
  IVF_CENTROIDS(10),
  /** IVF list boundaries, nlist + 1 int32: list i holds ordinals [off[i], off[i+1]). */
  IVF_OFFSETS(11),
  /** SQ8 per-dimension minimum then scale, 2 x dim float32. */
  SQ8_RANGE(20),
  /** SQ8 codes, one byte per dimension, in ordinal order. */
  SQ8_CODES(21),
  /** PQ codebooks, m x 256 x (dim / m) float32. */
  PQ_CODEBOOKS(30),
  /** PQ codes, m bytes per vector, in ordinal order. */
  PQ_CODES(31),
  /** HNSW top level of every node, int8 per node (M, entry point and max level are in {@link #PARAMS}). */
  HNSW_LEVELS(40),
  /** HNSW level-0 adjacency: per node a row of 1 + 2M int32 (count, then neighbours; unused slots 0). */
  HNSW_LEVEL0(41),
  /**
   * HNSW upper-level start of every node: int32 block number in {@link #HNSW_UPPER} (a block is
   * 1 + M int32) of the node's level-1 row, level l being block start + l - 1; -1 when the node
   * is on level 0 only.
   */
  HNSW_UPPER_INDEX(42),
  /** HNSW upper-level adjacency: blocks of 1 + M int32 (count, neighbours), per node in ordinal order and level 1..top. */
  HNSW_UPPER(43);

  private final int id;

  PartKind(int id) {
    this.id = id;
  }

  public int id() {
    return id;
  }

  public static PartKind byId(int id) {
    for (PartKind k : values()) {
      if (k.id == id) {
        return k;
      }
    }
    return null;
  }
}
