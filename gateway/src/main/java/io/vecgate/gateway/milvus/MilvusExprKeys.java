package io.vecgate.gateway.milvus;

import io.vecgate.protocol.reader.Filter;
import io.vecgate.protocol.reader.RangeFilter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Recognises a filter that names documents by primary key only ({@code id in [1, 2]}, {@code id == 7}, or an
 * {@code or} of those), as the SDK's delete by ids sends it: such a delete needs no search first.
 */
final class MilvusExprKeys {

  private MilvusExprKeys() {}

  /** The keys named, or null when the filter is anything else. */
  static List<String> primaryKeys(List<List<Filter>> conjunctions, String pk) {
    Set<String> out = new LinkedHashSet<>();
    for (List<Filter> conj : conjunctions) {
      if (conj.size() != 1) {
        return null;
      }
      Filter f = conj.getFirst();
      if (f.hasTerm() && f.getTerm().getField().equals(pk) && f.getTerm().getOperator().equals("or")) {
        out.addAll(f.getTerm().getValuesList());
      } else if (f.hasRange() && f.getRange().getField().equals(pk) && isPoint(f.getRange())) {
        out.add(Long.toString((long) f.getRange().getGte()));
      } else {
        return null;
      }
    }
    return new ArrayList<>(out);
  }

  private static boolean isPoint(RangeFilter r) {
    return r.hasGte() && r.hasLte() && r.getGte() == r.getLte() && !r.hasGt() && !r.hasLt()
        && r.getGte() == Math.rint(r.getGte());
  }
}
