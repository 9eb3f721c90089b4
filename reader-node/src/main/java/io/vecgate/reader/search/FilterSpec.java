package io.vecgate.reader.search;

import io.vecgate.engine.column.TermOperator;
import java.util.List;

/** One scalar predicate of a search; the filters of a search are ANDed. */
public sealed interface FilterSpec {

  /** The field (scalar column) the predicate reads. */
  String field();

  /**
   * A numeric range; a {@code null} bound is open.
   */
  record RangeFilter(String field, Double gt, Double gte, Double lt, Double lte) implements FilterSpec {}

  /**
   * Values of a keyword, int or long field, as strings (numbers are parsed for numeric fields).
   */
  record TermFilter(String field, List<String> values, TermOperator operator) implements FilterSpec {
    public TermFilter {
      values = List.copyOf(values);
    }
  }
}
