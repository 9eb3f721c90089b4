package io.vecgate.reader.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.engine.column.ColumnReader;
import io.vecgate.reader.version.LoadedSegment;
import io.vecgate.reader.version.LoadedVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;

/**
 * Resolves a {@code _source} projection against a version's schema and turns a document into its
 * JSON and its vectors. Unknown field names are refused up front so that a typo is an error, not
 * an empty field.
 */
final class SourceBuilder {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final List<String> fields;
  /** Positions in {@link LoadedVersion#vectorFields()} of the vectors to return, in order. */
  private final int[] vectors;
  private final List<String> vectorNames;

  private SourceBuilder(List<String> fields, int[] vectors, List<String> vectorNames) {
    this.fields = fields;
    this.vectors = vectors;
    this.vectorNames = vectorNames;
  }

  /**
   * @param requested the projection ({@code null} = every scalar field); a vector field named in
   *     it returns that field's vector
   * @param vectorValue return the vector of every vector field
   * @throws IllegalArgumentException naming the fields the schema does not have
   */
  static SourceBuilder of(LoadedVersion v, List<String> requested, boolean vectorValue) {
    Set<String> names = new LinkedHashSet<>();
    Set<Integer> vectors = new java.util.TreeSet<>();
    if (vectorValue) {
      for (int i = 0; i < v.vectorFields().size(); i++) {
        vectors.add(i);
      }
    }
    if (requested == null) {
      names.addAll(v.scalarFields().keySet());
    } else {
      List<String> unknown = new ArrayList<>();
      for (String f : requested) {
        int vf = v.vectorFieldIndex(f);
        if (vf >= 0) {
          vectors.add(vf);
        } else if (v.scalarFields().containsKey(f)) {
          names.add(f);
        } else if (!f.equals("_id")) {
          unknown.add(f);
        }
      }
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException("unknown fields " + unknown + " in the projection; space " + v.key().space()
            + " has " + v.scalarFields().keySet() + " and the vector fields " + v.vectorFieldNames());
      }
    }
    int[] vf = vectors.stream().mapToInt(Integer::intValue).toArray();
    List<String> vectorNames = vectors.stream().map(i -> v.vectorFields().get(i).name()).toList();
    return new SourceBuilder(List.copyOf(names), vf, vectorNames);
  }

  /** The document at {@code ordinal} of {@code seg} with {@code score} (and each entry's own score, or null). */
  DocHit hit(LoadedSegment seg, int ordinal, float score, float[] fieldScores) {
    ObjectNode source = MAPPER.createObjectNode();
    for (String f : fields) {
      switch (seg.reader().column(f)) {
        case ColumnReader.IntColumn c -> source.put(f, c.get(ordinal));
        case ColumnReader.LongColumn c -> source.put(f, c.get(ordinal));
        case ColumnReader.FloatColumn c -> source.put(f, c.get(ordinal));
        case ColumnReader.DoubleColumn c -> source.put(f, c.get(ordinal));
        case ColumnReader.KeywordColumn c -> source.put(f, c.get(ordinal));
      }
    }
    String json;
    try {
      json = MAPPER.writeValueAsString(source);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree of scalars failed to serialise", e);
    }
    Map<String, float[]> vecs = Map.of();
    if (vectors.length > 0) {
      vecs = new LinkedHashMap<>();
      for (int i = 0; i < vectors.length; i++) {
        vecs.put(vectorNames.get(i), seg.field(vectors[i]).vector(ordinal));
      }
    }
    return new DocHit(seg.reader().id(ordinal), score, seg.ids().get(ordinal), json, vecs, fieldScores);
  }
}
