package io.vecgate.reader.search;

import io.vecgate.engine.column.ColumnReader;
import io.vecgate.engine.column.Filters;
import io.vecgate.engine.column.Range;
import io.vecgate.engine.search.FixedBitSet;
import io.vecgate.reader.version.LoadedSegment;
import java.util.ArrayList;
import java.util.List;

/** The ordinals of a segment a search may return: live in the version, and matching every filter. */
final class SegmentFilter {

  private SegmentFilter() {}

  /** A segment with something to return, and the ordinals it may return ({@code null}: all). */
  record Searchable(LoadedSegment segment, FixedBitSet allowed) {}

  /** The segments of {@code segments} that have a document to return: not empty, and not filtered out. */
  static List<Searchable> searchable(List<LoadedSegment> segments, List<FilterSpec> filters) {
    List<Searchable> out = new ArrayList<>(segments.size());
    for (LoadedSegment seg : segments) {
      if (seg.size() == 0) {
        continue;
      }
      FixedBitSet allowed = allowed(seg, filters);
      if (allowed == null || allowed.cardinality() > 0) {
        out.add(new Searchable(seg, allowed));
      }
    }
    return out;
  }

  /** Live AND every filter, or {@code null} when every ordinal is allowed. */
  static FixedBitSet allowed(LoadedSegment seg, List<FilterSpec> filters) {
    FixedBitSet bits = seg.live();
    for (FilterSpec f : filters) {
      ColumnReader col = seg.reader().column(f.field());
      FixedBitSet match = switch (f) {
        case FilterSpec.RangeFilter r -> Filters.range(col, range(r));
        case FilterSpec.TermFilter t -> Filters.term(col, t.values(), t.operator());
      };
      // Filters.and copies, so the version's shared live set is never modified.
      bits = bits == null ? match : Filters.and(bits, match);
    }
    return bits;
  }

  private static Range range(FilterSpec.RangeFilter r) {
    Range range = Range.all();
    if (r.gt() != null) {
      range = range.gt(r.gt());
    }
    if (r.gte() != null) {
      range = range.gte(r.gte());
    }
    if (r.lt() != null) {
      range = range.lt(r.lt());
    }
    if (r.lte() != null) {
      range = range.lte(r.lte());
    }
    return range;
  }
}
