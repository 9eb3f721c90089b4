package io.vecgate.reader.search;

import io.vecgate.engine.manifest.Manifest;
import io.vecgate.reader.search.SearchPlan.Draft;
import io.vecgate.reader.search.SearchPlan.Entry;
import io.vecgate.reader.search.SearchPlan.FieldQuery;
import io.vecgate.reader.search.SearchPlan.FieldShape;
import io.vecgate.reader.search.SearchPlan.Shape;
import io.vecgate.reader.version.LoadedVersion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The reader's one check of a search: a {@link SearchPlan.Draft} against the version it runs on
 * ({@link SearchPlan.Draft#check}). Every refusal is an {@link IllegalArgumentException} whose
 * message names the field, the bound and the value; the gRPC service answers it as
 * {@code INVALID_ARGUMENT}.
 */
final class PlanCheck {

  private PlanCheck() {}

  static SearchPlan check(LoadedVersion v, Draft d) {
    if (d.k() < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + d.k());
    }
    if (d.sum().isEmpty()) {
      throw new IllegalArgumentException("no query vectors: give one entry per vector field searched, of "
          + v.vectorFieldNames());
    }
    List<Entry> entries = new ArrayList<>(d.sum().size());
    List<FieldShape> shapes = new ArrayList<>(d.sum().size());
    Set<Integer> seen = new HashSet<>();
    int nq = -1;
    for (FieldQuery fq : d.sum()) {
      int field = fieldIndex(v, fq.field());
      Manifest.Field f = v.vectorFields().get(field);
      if (!seen.add(field)) {
        throw new IllegalArgumentException("vector field '" + f.name() + "' is given twice; one entry per field");
      }
      float[][] vectors = vectors(f, fq);
      if (nq >= 0 && vectors.length != nq) {
        throw new IllegalArgumentException("every entry needs the same number of query vectors: "
            + v.vectorFields().get(entries.getFirst().field()).name() + " has " + nq + ", " + f.name() + " has "
            + vectors.length);
      }
      nq = vectors.length;
      if (!(fq.weight() > 0) || !Float.isFinite(fq.weight())) {
        throw new IllegalArgumentException("the weight of " + f.name() + " must be a finite number > 0, got "
            + fq.weight());
      }
      entries.add(new Entry(field, vectors, fq.weight(), null));
      shapes.add(new FieldShape(field, fq.weight()));
    }
    filterFields(v, d.filters());
    List<Integer> partitions = partitions(v, d.partitions());
    SourceBuilder source = SourceBuilder.of(v, d.fields(), d.vectorValue());
    if (entries.size() > 1) {
      entries.replaceAll(e -> new Entry(e.field(), e.vectors(), e.weight(), prepared(v, e.vectors())));
    }
    int[] k = new int[nq];
    Arrays.fill(k, d.k());
    Shape shape = new Shape(v, partitions, List.copyOf(shapes), d.params(), d.filters(), d.fields(), d.vectorValue(),
        d.l2Sqrt(), d.fieldScores());
    return new SearchPlan(shape, entries, nq, k, source);
  }

  private static int fieldIndex(LoadedVersion v, String name) {
    int field = name == null ? 0 : v.vectorFieldIndex(name);
    if (field < 0) {
      throw new IllegalArgumentException("field '" + name + "' is not a vector field of " + v.key()
          + "; its vector fields: " + v.vectorFieldNames());
    }
    return field;
  }

  /** The entry's vectors, one array each: of the field's dimension, with finite components. */
  private static float[][] vectors(Manifest.Field f, FieldQuery fq) {
    int dim = f.dimension();
    if (fq.dimension() != 0 && fq.dimension() != dim) {
      throw new IllegalArgumentException("dimension " + fq.dimension() + " does not match the " + dim + " of "
          + f.name());
    }
    float[] all = fq.vectors();
    if (all.length == 0 || all.length % dim != 0) {
      throw new IllegalArgumentException("queries of " + f.name() + " must be nq * " + dim
          + " floats (its dimension), got " + all.length);
    }
    float[][] out = new float[all.length / dim][];
    for (int i = 0; i < out.length; i++) {
      out[i] = Arrays.copyOfRange(all, i * dim, (i + 1) * dim);
      // Checked here, not in the engine, so that a merged batch never fails for one bad query.
      for (int j = 0; j < dim; j++) {
        if (!Float.isFinite(out[i][j])) {
          throw new IllegalArgumentException("query " + i + " of " + f.name() + ": component " + j + " is "
              + out[i][j] + "; must be finite");
        }
      }
    }
    return out;
  }

  private static void filterFields(LoadedVersion v, List<FilterSpec> filters) {
    List<String> unknown = new ArrayList<>();
    for (FilterSpec f : filters) {
      if (!v.scalarFields().containsKey(f.field())) {
        unknown.add(f.field());
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown filter fields " + unknown + "; space " + v.key().space()
          + " has " + v.scalarFields().keySet());
    }
  }

  private static List<Integer> partitions(LoadedVersion v, List<Integer> asked) {
    Set<Integer> parts = new LinkedHashSet<>();
    if (asked.isEmpty()) {
      for (int p = 0; p < v.partitionCount(); p++) {
        parts.add(p);
      }
    }
    for (int p : asked) {
      if (p < 0 || p >= v.partitionCount()) {
        throw new IllegalArgumentException("partition " + p + " does not exist; " + v.key() + " has partitions 0.."
            + (v.partitionCount() - 1));
      }
      parts.add(p);
    }
    return List.copyOf(parts);
  }

  /** The queries as the exact scoring of several entries takes them: normalised once for cosine. */
  private static float[][] prepared(LoadedVersion v, float[][] vectors) {
    float[][] out = new float[vectors.length][];
    for (int i = 0; i < vectors.length; i++) {
      out[i] = v.manifest().metric().prepareQuery(vectors[i]);
    }
    return out;
  }
}
