package io.vecgate.reader.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.engine.column.ColumnReader;
import io.vecgate.reader.version.LoadedSegment;
import io.vecgate.reader.version.LoadedVersion;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Resolves a {@code _source} projection against a version's schema and turns a document into its
 * JSON. Unknown field names are refused up front so that a typo is an error, not an empty field.
 */
final class SourceBuilder {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final List<String> fields;
  private final boolean vector;

  private SourceBuilder(List<String> fields, boolean vector) {
    this.fields = fields;
    this.vector = vector;
  }

  /**
   * @param requested the projection ({@code null} = every scalar field)
   * @throws IllegalArgumentException naming the fields the schema does not have
   */
  static SourceBuilder of(LoadedVersion v, List<String> requested, boolean vectorValue) {
    if (requested == null) {
      return new SourceBuilder(List.copyOf(v.scalarFields().keySet()), vectorValue);
    }
    Set<String> names = new LinkedHashSet<>();
    List<String> unknown = new ArrayList<>();
    boolean vector = vectorValue;
    for (String f : requested) {
      if (f.equals(v.vectorField())) {
        vector = true;
      } else if (v.scalarFields().containsKey(f)) {
        names.add(f);
      } else if (!f.equals("_id")) {
        unknown.add(f);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown fields " + unknown + " in the projection; space " + v.key().space()
          + " has " + v.scalarFields().keySet() + " and the vector field " + v.vectorField());
    }
    return new SourceBuilder(List.copyOf(names), vector);
  }

  /** The document at {@code ordinal} of {@code seg} with {@code score}. */
  DocHit hit(LoadedSegment seg, int ordinal, float score) {
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
    float[] vec = vector ? seg.reader().index().vectors().get(ordinal) : null;
    return new DocHit(seg.reader().id(ordinal), score, seg.keys().get(ordinal), json, vec);
  }
}
