package io.vecgate.writer.rebuild.source;

import io.vecgate.protocol.api.ApiException;
import io.vecgate.space.Document;
import io.vecgate.space.Documents;
import io.vecgate.space.FieldSpec;
import io.vecgate.space.SpaceSchema;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.data.Numeric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns PostgreSQL rows into documents of a space. Columns are matched to fields by name: the
 * id column is {@code id} or {@code _id} ({@code bigint}, {@code integer} or {@code text}), the
 * vector column is named as the vector field ({@code real[]}, {@code double precision[]} or a
 * {@code bytea} of little-endian float32), scalar columns as their fields (NULL = not set). A
 * column that is no field is refused, so that a misspelt column cannot silently load nothing.
 */
final class RowDecoder {

  private final SpaceSchema schema;
  private final int idColumn;
  /** The column of each vector field, in schema order. */
  private final int[] vectorColumns;
  private final List<FieldSpec> scalarFields;
  private final int[] scalarColumns;

  private RowDecoder(SpaceSchema schema, int idColumn, int[] vectorColumns, List<FieldSpec> scalarFields,
                     int[] scalarColumns) {
    this.schema = schema;
    this.idColumn = idColumn;
    this.vectorColumns = vectorColumns;
    this.scalarFields = scalarFields;
    this.scalarColumns = scalarColumns;
  }

  /**
   * Plans the decoding of rows with these column names.
   *
   * @throws ApiException when the id or vector column is missing, or a column is no field
   */
  static RowDecoder plan(SpaceSchema schema, List<String> columns) {
    int id = -1;
    List<FieldSpec> vectorFields = schema.vectorFields();
    int[] vectors = new int[vectorFields.size()];
    java.util.Arrays.fill(vectors, -1);
    List<FieldSpec> scalars = new ArrayList<>();
    List<Integer> scalarIdx = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      String name = columns.get(i);
      if (name.equals("id") || name.equals("_id")) {
        if (id >= 0) {
          throw ApiException.badRequest("source: columns '" + columns.get(id) + "' and '" + name
              + "' both look like the id; keep one");
        }
        id = i;
        continue;
      }
      FieldSpec f = schema.field(name);
      if (f == null) {
        throw ApiException.badRequest("source: column '" + name + "' is not a field of space " + schema.name()
            + "; expected id and fields of " + schema.fields().stream().map(FieldSpec::name).toList());
      }
      if (f.isVector()) {
        vectors[vectorFields.indexOf(f)] = i;
      } else {
        scalars.add(f);
        scalarIdx.add(i);
      }
    }
    if (id < 0) {
      throw ApiException.badRequest("source: no id column; expected a column named id or _id, got " + columns);
    }
    for (int v = 0; v < vectors.length; v++) {
      if (vectors[v] < 0) {
        throw ApiException.badRequest("source: no column for the vector field '" + vectorFields.get(v).name() + "'; got "
            + columns);
      }
    }
    return new RowDecoder(schema, id, vectors, List.copyOf(scalars), scalarIdx.stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * One document.
   *
   * @param position the row's position in the source (from 1), for error messages
   */
  Document decode(Row row, long position) {
    String id = id(row.getValue(idColumn), position);
    String where = "source row " + position + " (id " + id + ")";
    // Every vector field's vector, one after the other in schema order (as Document holds them).
    List<FieldSpec> vectorFields = schema.vectorFields();
    float[] vector;
    if (vectorFields.size() == 1) {
      FieldSpec vf = vectorFields.getFirst();
      vector = vector(row.getValue(vectorColumns[0]), where + ": column '" + vf.name() + "'", vf.dimension());
    } else {
      vector = new float[schema.vectorLength()];
      for (int v = 0; v < vectorFields.size(); v++) {
        FieldSpec vf = vectorFields.get(v);
        float[] part = vector(row.getValue(vectorColumns[v]), where + ": column '" + vf.name() + "'", vf.dimension());
        System.arraycopy(part, 0, vector, schema.vectorOffset(vf), part.length);
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (int j = 0; j < scalarColumns.length; j++) {
      Object v = row.getValue(scalarColumns[j]);
      if (v != null) {
        FieldSpec f = scalarFields.get(j);
        values.put(f.name(), scalar(f, v, where + ": column '" + f.name() + "'"));
      }
    }
    return new Document(id, vector, values);
  }

  private static String id(Object v, long position) {
    String path = "source row " + position + ": column id";
    return switch (v) {
      case null -> throw ApiException.badRequest(path + ": expected an id, got NULL");
      case Short s -> s.toString();
      case Integer i -> i.toString();
      case Long l -> l.toString();
      case String s -> Documents.checkId(s, path);
      default -> throw ApiException.badRequest(path + ": expected bigint, integer or text, got " + typeOf(v));
    };
  }

  /** A vector of {@code dimension} finite floats from a decoded column value (or a float[]). */
  static float[] vector(Object v, String path, int dimension) {
    float[] out = switch (v) {
      case null -> throw ApiException.badRequest(path + ": expected " + dimension + " floats, got NULL");
      case float[] a -> a;
      case Float[] a -> {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
          if (a[i] == null) {
            throw ApiException.badRequest(path + "[" + i + "]: expected a float, got NULL");
          }
          f[i] = a[i];
        }
        yield f;
      }
      case Double[] a -> {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
          if (a[i] == null) {
            throw ApiException.badRequest(path + "[" + i + "]: expected a float, got NULL");
          }
          f[i] = a[i].floatValue();
        }
        yield f;
      }
      case Buffer b -> {
        if (b.length() % Float.BYTES != 0) {
          throw ApiException.badRequest(path + ": expected " + dimension * Float.BYTES
              + " bytes of little-endian float32, got " + b.length() + " bytes");
        }
        float[] f = new float[b.length() / Float.BYTES];
        for (int i = 0; i < f.length; i++) {
          f[i] = b.getFloatLE(i * Float.BYTES);
        }
        yield f;
      }
      default -> throw ApiException.badRequest(path + ": expected real[], double precision[] or bytea, got " + typeOf(v));
    };
    if (out.length != dimension) {
      throw ApiException.badRequest(path + ": expected " + dimension + " floats (the field's dimension), got " + out.length);
    }
    for (int i = 0; i < out.length; i++) {
      if (!Float.isFinite(out[i])) {
        throw ApiException.badRequest(path + "[" + i + "]: expected a finite float, got " + out[i]);
      }
    }
    return out;
  }

  private static Object scalar(FieldSpec f, Object v, String path) {
    return switch (f.type()) {
      case INTEGER -> {
        long l = integral(v, path);
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
          throw ApiException.badRequest(path + ": expected an integer in [" + Integer.MIN_VALUE + ", "
              + Integer.MAX_VALUE + "], got " + l);
        }
        yield (int) l;
      }
      case LONG -> integral(v, path);
      case FLOAT -> {
        double d = real(v, path);
        if (Math.abs(d) > Float.MAX_VALUE) {
          throw ApiException.badRequest(path + ": expected a float, got " + d + " (out of float range)");
        }
        yield (float) d;
      }
      case DOUBLE -> real(v, path);
      case STRING, KEYWORD -> {
        if (!(v instanceof String s)) {
          throw ApiException.badRequest(path + ": expected text, got " + typeOf(v));
        }
        if (s.length() > Documents.MAX_STRING_BYTES) {
          throw ApiException.badRequest(path + ": expected at most " + Documents.MAX_STRING_BYTES + " characters, got "
              + s.length());
        }
        yield s;
      }
      case VECTOR -> throw new IllegalStateException("vector field planned as a scalar: " + f.name());
    };
  }

  private static long integral(Object v, String path) {
    return switch (v) {
      case Short s -> s;
      case Integer i -> i;
      case Long l -> l;
      case Numeric n when n.bigDecimalValue() != null && n.bigDecimalValue().stripTrailingZeros().scale() <= 0 -> {
        try {
          yield n.bigDecimalValue().longValueExact();
        } catch (ArithmeticException e) {
          throw ApiException.badRequest(path + ": expected a 64-bit integer, got " + n);
        }
      }
      default -> throw ApiException.badRequest(path + ": expected an integer, got " + typeOf(v) + " " + v);
    };
  }

  private static double real(Object v, String path) {
    double d = switch (v) {
      case Short s -> s;
      case Integer i -> i;
      case Long l -> l;
      case Float f -> f;
      case Double x -> x;
      case Numeric n -> n.doubleValue();
      default -> throw ApiException.badRequest(path + ": expected a number, got " + typeOf(v));
    };
    if (!Double.isFinite(d)) {
      throw ApiException.badRequest(path + ": expected a finite number, got " + d);
    }
    return d;
  }

  private static String typeOf(Object v) {
    return v.getClass().isArray() ? v.getClass().getComponentType().getSimpleName() + "[]" : v.getClass().getSimpleName();
  }
}
