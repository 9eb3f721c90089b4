package io.vecgate.gateway.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.vecgate.gateway.search.SearchCoordinator.Outcome;
import io.vecgate.gateway.search.SearchQuery.SortKey;
import io.vecgate.protocol.reader.FieldVector;
import io.vecgate.protocol.reader.Hit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the global top-K hits into the Elasticsearch-shaped answer of the Vearch API: each entry's score
 * bounds applied to its field's own score (the readers already weighted the scores by the
 * boosts), sorted by scalar fields when asked, projected, with the vectors asked for, one object
 * per query (a list of them when nq > 1).
 */
public final class SearchResponses {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** Sources are re-read as plain doubles so that numbers render as the reader wrote them (40.0, not 4E+1). */
  private static final ObjectMapper SOURCE = new ObjectMapper();

  private SearchResponses() {}

  public static JsonNode render(Outcome o, long tookMillis, long gatewayMicros) {
    SearchQuery q = o.query();
    if (q.nq() == 1) {
      return one(o, 0, tookMillis, gatewayMicros);
    }
    ArrayNode list = F.arrayNode();
    for (int i = 0; i < q.nq(); i++) {
      list.add(one(o, i, tookMillis, gatewayMicros));
    }
    return list;
  }

  private static ObjectNode one(Outcome o, int qi, long tookMillis, long gatewayMicros) {
    SearchQuery q = o.query();
    boolean bounded = q.hasBounds();
    List<Scored> hits = new ArrayList<>();
    for (Hit h : o.hits().get(qi)) {
      if (bounded && !withinBounds(q, h)) {
        continue;
      }
      // The readers' _source is already projected: it is parsed only when sorting or adding vectors needs it.
      hits.add(new Scored(h, h.getScore(), q.sort().isEmpty() && h.getVectorsCount() == 0 ? null : source(h)));
    }
    if (!q.sort().isEmpty()) {
      hits.sort(comparator(q.sort()));
    }
    Set<String> keep = q.fields() == null ? null : new HashSet<>(q.fields());
    ObjectNode root = F.objectNode();
    root.put("took", tookMillis);
    root.put("timed_out", false);
    ObjectNode shards = root.putObject("_shards");
    shards.put("total", o.schema().partitionNum()).put("successful", o.schema().partitionNum()).put("failed", 0);
    ObjectNode outer = root.putObject("hits");
    outer.put("total", hits.size());
    double max = hits.stream().mapToDouble(Scored::score).max().orElse(Double.NaN);
    if (hits.isEmpty()) {
      outer.putNull("max_score");
    } else {
      outer.put("max_score", (float) max);
    }
    ArrayNode arr = outer.putArray("hits");
    for (Scored s : hits) {
      ObjectNode h = arr.addObject();
      h.put("_index", o.schema().db());
      h.put("_type", o.schema().name());
      h.put("_id", s.hit().getId());
      h.put("_score", (float) s.score());
      if (s.source() == null) {
        h.putRawValue("_source", new RawValue(s.hit().getSourceJson().isEmpty() ? "{}" : s.hit().getSourceJson()));
        continue;
      }
      ObjectNode src = s.source();
      if (keep != null) {
        src.retain(keep);
      }
      addVectors(src, s.hit());
      h.set("_source", src);
    }
    if (q.debug()) {
      ObjectNode t = root.putObject("timing_us");
      t.put("engine", o.engineMicros()).put("reader", o.readerMicros()).put("gateway", gatewayMicros)
          .put("readers", o.readersUsed()).put("version", o.version());
      // Per reader answer, the engine batch the search ran in there (the reader merges compatible searches).
      var batches = root.putArray("batches");
      for (int[] b : o.batches()) {
        batches.addObject().put("queries", b[0]).put("requests", b[1]);
      }
    }
    return root;
  }

  private record Scored(Hit hit, double score, ObjectNode source) {}

  /** Whether each entry's field score of {@code h} is within the entry's bounds. */
  private static boolean withinBounds(SearchQuery q, Hit h) {
    if (h.getFieldScoresCount() != q.sum().size()) {
      // Readers send them whenever an entry has bounds (docs/internals.md).
      throw new IllegalStateException("a reader answered hit " + h.getId() + " with " + h.getFieldScoresCount()
          + " field scores for " + q.sum().size() + " query.sum entries");
    }
    for (int i = 0; i < q.sum().size(); i++) {
      if (!q.sum().get(i).bounds().test(h.getFieldScores(i))) {
        return false;
      }
    }
    return true;
  }

  /** Puts each stored vector of {@code h} into {@code src} as {@code {"field": {"feature": [...]}}}. */
  static void addVectors(ObjectNode src, Hit h) {
    for (FieldVector v : h.getVectorsList()) {
      ArrayNode feature = src.putObject(v.getField()).putArray("feature");
      for (int i = 0; i < v.getValuesCount(); i++) {
        feature.add(v.getValues(i));
      }
    }
  }

  static ObjectNode source(Hit h) {
    if (h.getSourceJson().isEmpty()) {
      return F.objectNode();
    }
    try {
      return (ObjectNode) SOURCE.readTree(h.getSourceJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Comparator<Scored> comparator(List<SortKey> keys) {
    Comparator<Scored> cmp = null;
    for (SortKey k : keys) {
      Comparator<Scored> c = k.field().equals("_score")
          ? Comparator.comparingDouble(Scored::score)
          : Comparator.comparing(s -> s.source().get(k.field()), SearchResponses::compareValues);
      if (k.descending()) {
        c = c.reversed();
      }
      cmp = cmp == null ? c : cmp.thenComparing(c);
    }
    return cmp;
  }

  /** Numbers by value, strings lexically, missing values last. */
  private static int compareValues(JsonNode a, JsonNode b) {
    if (a == null || a.isNull()) {
      return b == null || b.isNull() ? 0 : 1;
    }
    if (b == null || b.isNull()) {
      return -1;
    }
    if (a.isNumber() && b.isNumber()) {
      return Double.compare(a.doubleValue(), b.doubleValue());
    }
    return a.asText().compareTo(b.asText());
  }
}
