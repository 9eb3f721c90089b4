package io.vecgate.reader.search.merge;

import io.vecgate.engine.search.SearchParams;
import io.vecgate.reader.search.FilterSpec;
import io.vecgate.reader.search.SearchQuery;
import io.vecgate.reader.version.LoadedVersion;
import java.util.List;

/**
 * What searches must share to run as one engine batch: everything but their query vectors and k.
 * The version is compared by identity (a space dropped and created again may reuse a version
 * number); the partitions, entries, filters and projection by value and in order.
 *
 * @param sum each {@code query.sum} entry's field and weight
 */
record MergeKey(LoadedVersion version, List<Integer> partitions, List<FieldShape> sum, SearchParams params,
                List<FilterSpec> filters, List<String> fields, boolean vectorValue, boolean l2Sqrt,
                boolean fieldScores) {

  /** One {@code query.sum} entry without its vectors. */
  record FieldShape(String field, float weight) {}

  static MergeKey of(LoadedVersion v, SearchQuery q) {
    List<FieldShape> sum = q.sum().stream().map(f -> new FieldShape(f.field(), f.weight())).toList();
    return new MergeKey(v, q.partitions(), sum, q.params(), q.filters(), q.fields(), q.vectorValue(), q.l2Sqrt(),
        q.fieldScores());
  }
}
