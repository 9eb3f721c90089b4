package io.vecgate.engine.segment;

import io.vecgate.engine.column.ColumnReader;
import io.vecgate.engine.index.IndexParts;
import io.vecgate.engine.index.QueryAsserts;
import io.vecgate.engine.index.VectorIndex;
import io.vecgate.engine.search.Bits;
import io.vecgate.engine.search.FixedBitSet;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import io.vecgate.engine.vector.VectorOps;
import io.vecgate.engine.vector.VectorizationProvider;
import java.lang.foreign.MemorySegment;

/**
 * One vector field of an open segment: its index, addressed by <em>segment</em> ordinals (those
 * of the ids and columns). The index of field 0 orders the segment, so its ordinals are the
 * segment's; the index of another field may order its vectors its own way (IVF groups its
 * lists), and then this class maps between the two numberings with the file's ORDER and
 * POSITIONS sections (see {@link SegmentFormat}). Safe for concurrent reads; unusable once its
 * {@link SegmentReader} is closed.
 */
public final class SegmentField {

  private static final VectorOps OPS = VectorizationProvider.ops();

  private final String name;
  private final VectorIndex index;
  private final IndexParts parts;
  /** Segment ordinal of each index ordinal; null when the numberings are the same. */
  private final MemorySegment order;
  /** Index ordinal of each segment ordinal; null when the numberings are the same. */
  private final MemorySegment positions;

  SegmentField(String name, VectorIndex index, IndexParts parts, MemorySegment order, MemorySegment positions) {
    this.name = name;
    this.index = index;
    this.parts = parts;
    this.order = order;
    this.positions = positions;
  }

  /** The field's name; empty for the one field of a version-1 file. */
  public String name() {
    return name;
  }

  /** The field's index, addressed by its own ordinals (see {@link #remapped()}). */
  public VectorIndex index() {
    return index;
  }

  /** The mapped index part sections of the field (every {@link io.vecgate.engine.index.PartKind} it has in the file). */
  public IndexParts parts() {
    return parts;
  }

  public int dimension() {
    return index.dimension();
  }

  public Metric metric() {
    return index.metric();
  }

  /** Number of vectors: the segment's document count. */
  public int size() {
    return index.size();
  }

  /** Whether the index numbers its vectors differently from the segment. */
  public boolean remapped() {
    return order != null;
  }

  /** The segment ordinal of the index's ordinal {@code indexOrdinal}. */
  public int segmentOrdinal(int indexOrdinal) {
    return order == null ? indexOrdinal : order.getAtIndex(ColumnReader.INT_LE, indexOrdinal);
  }

  /** The index's ordinal of the segment ordinal {@code segmentOrdinal}. */
  public int indexOrdinal(int segmentOrdinal) {
    return positions == null ? segmentOrdinal : positions.getAtIndex(ColumnReader.INT_LE, segmentOrdinal);
  }

  /**
   * Searches the field's index as {@link VectorIndex#search}, with the filter and the answers in
   * segment ordinals. A remapped field turns the filter into one in its own order first (one pass
   * over the segment).
   *
   * @param allowed segment ordinals that may be returned, or {@code null} for all
   */
  public Neighbors[] search(float[][] queries, int[] k, SearchParams params, Bits allowed) {
    if (order == null) {
      return index.search(queries, k, params, allowed);
    }
    FixedBitSet local = null;
    if (allowed != null) {
      if (allowed.length() != size()) {
        throw new IllegalArgumentException("filter covers " + allowed.length() + " documents, field " + name + " has "
            + size());
      }
      local = new FixedBitSet(size());
      for (int i = 0; i < size(); i++) {
        if (allowed.get(segmentOrdinal(i))) {
          local.set(i);
        }
      }
    }
    Neighbors[] answers = index.search(queries, k, params, local);
    for (int q = 0; q < answers.length; q++) {
      Neighbors n = answers[q];
      int[] ords = new int[n.size()];
      for (int j = 0; j < ords.length; j++) {
        ords[j] = segmentOrdinal(n.ordinal(j));
      }
      answers[q] = new Neighbors(ords, n.distances());
    }
    return answers;
  }

  /** A copy of the stored vector of segment ordinal {@code segmentOrdinal} (unit length for cosine). */
  public float[] vector(int segmentOrdinal) {
    return index.vectors().get(indexOrdinal(segmentOrdinal));
  }

  /** Copies the stored vector of {@code segmentOrdinal} into {@code dst[dstOff..]}. */
  public void copyVector(int segmentOrdinal, float[] dst, int dstOff) {
    index.vectors().copyTo(indexOrdinal(segmentOrdinal), dst, dstOff);
  }

  /**
   * A query as {@link #distance} takes it: for cosine, a normalised copy. The query was checked
   * where the request came in (dimension, finite components): here they are only asserted.
   */
  public float[] prepareQuery(float[] query) {
    assert QueryAsserts.valid(query, dimension(), "a query of field " + name);
    return metric().prepareQuery(query);
  }

  /**
   * The exact internal distance (smaller is closer, see {@link Metric}) of a query from
   * {@link #prepareQuery} to the stored vector of {@code segmentOrdinal}.
   */
  public float distance(float[] preparedQuery, int segmentOrdinal) {
    FloatVectors v = index.vectors();
    return metric().distance(OPS, preparedQuery, v.data(), v.offset(indexOrdinal(segmentOrdinal)), v.dimension());
  }

  /** The ORDER and POSITIONS sections (none when not remapped). */
  java.util.List<MemorySegment> mapSections() {
    return order == null ? java.util.List.of() : java.util.List.of(order, positions);
  }

  @Override
  public String toString() {
    return "SegmentField[" + name + ", " + index.type() + ", dim " + dimension() + (remapped() ? ", remapped" : "") + "]";
  }
}
