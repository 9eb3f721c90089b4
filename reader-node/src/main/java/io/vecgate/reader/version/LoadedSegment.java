package io.vecgate.reader.version;

import io.vecgate.engine.column.ColumnReader;
import io.vecgate.engine.search.FixedBitSet;
import io.vecgate.engine.segment.SegmentField;
import io.vecgate.engine.segment.SegmentReader;
import java.util.List;
import java.util.Map;

/**
 * One segment file as a loaded version sees it: the shared mapping plus this version's
 * tombstones.
 *
 * @param partition the partition the segment belongs to
 * @param file the segment file name
 * @param reader the mapped file (shared with other versions listing the same file)
 * @param live the ordinals live in this version, or {@code null} when none is deleted
 * @param ids the documents' {@code _id} by ordinal (the
 *     {@link io.vecgate.store.DataLayout#ID_COLUMN} column)
 * @param idIndex {@code _id} to ordinal, deleted ordinals included (shared with other versions)
 * @param fields the segment's vector fields in the order of the version's schema
 *     ({@link LoadedVersion#vectorFields()})
 */
public record LoadedSegment(int partition, String file, SegmentReader reader, FixedBitSet live,
                            ColumnReader.KeywordColumn ids, Map<String, Integer> idIndex, List<SegmentField> fields) {

  public LoadedSegment {
    fields = List.copyOf(fields);
  }

  /** Vector field {@code i} of the schema ({@link LoadedVersion#vectorFields()}) in this segment. */
  public SegmentField field(int i) {
    return fields.get(i);
  }

  /** Documents in the file, deleted ones included. */
  public int size() {
    return reader.size();
  }

  /** Documents live in this version. */
  public int liveCount() {
    return live == null ? reader.size() : live.cardinality();
  }

  public boolean isLive(int ordinal) {
    return live == null || live.get(ordinal);
  }

  /** The ordinal of the live document {@code id} in this segment, or -1. */
  public int liveOrdinal(String id) {
    Integer ord = idIndex.get(id);
    return ord != null && isLive(ord) ? ord : -1;
  }
}
