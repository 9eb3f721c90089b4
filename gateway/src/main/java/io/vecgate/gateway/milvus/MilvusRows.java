package io.vecgate.gateway.milvus;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.vecgate.gateway.milvus.MilvusCollections.Collection;
import io.vecgate.milvus.proto.BoolArray;
import io.vecgate.milvus.proto.DataType;
import io.vecgate.milvus.proto.DoubleArray;
import io.vecgate.milvus.proto.FieldData;
import io.vecgate.milvus.proto.FloatArray;
import io.vecgate.milvus.proto.IDs;
import io.vecgate.milvus.proto.IntArray;
import io.vecgate.milvus.proto.LongArray;
import io.vecgate.milvus.proto.ScalarField;
import io.vecgate.milvus.proto.StringArray;
import io.vecgate.milvus.proto.VectorField;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.protocol.reader.FieldVector;
import io.vecgate.protocol.reader.Hit;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Milvus's column-wise rows ({@link FieldData}, one column per field) to the writer's {@code _bulk} lines and
 * vecgate's hits back to columns. The primary key is each document's {@code _id} (an Int64 key as its decimal
 * text) and also a field of its own name; a Bool is stored as 0 or 1.
 */
final class MilvusRows {

  private MilvusRows() {}

  /** An insert as {@code _bulk} lines, with the primary keys in row order. */
  record Bulk(Buffer ndjson, List<Object> ids) {}

  /**
   * @param autoIds makes the keys of an {@code auto_id} collection (Int64 only)
   */
  static Bulk toBulk(Collection c, List<FieldData> columns, int numRows, LongSupplier autoIds) {
    Map<String, FieldData> byName = new HashMap<>();
    for (FieldData f : columns) {
      if (c.typeOf(f.getFieldName()) == null) {
        throw ApiException.badRequest("fields_data." + f.getFieldName() + ": no such field in collection "
            + c.space().name());
      }
      byName.put(f.getFieldName(), f);
    }
    String pk = c.primaryKey();
    int rows = numRows;
    if (rows == 0 && !columns.isEmpty()) {
      rows = length(c, columns.getFirst());
    }
    List<Object> ids = new ArrayList<>(rows);
    FieldData pkColumn = byName.get(pk);
    if (pkColumn == null && !c.autoId()) {
      throw ApiException.badRequest("fields_data: missing the primary key field '" + pk + "'");
    }
    if (pkColumn != null && c.autoId()) {
      throw ApiException.badRequest("fields_data." + pk + ": the primary key of an auto_id collection is made by "
          + "the server; leave it out");
    }
    for (String name : c.fieldNames()) {
      if (!name.equals(pk) && !byName.containsKey(name)) {
        throw ApiException.badRequest("fields_data: missing the field '" + name + "' (every field is required)");
      }
    }
    for (FieldData f : columns) {
      int n = length(c, f);
      if (n != rows) {
        throw ApiException.badRequest("fields_data." + f.getFieldName() + ": " + n + " values for " + rows + " rows");
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(rows * 64);
    try (JsonGenerator g = StrictJson.MAPPER.getFactory().createGenerator(out)) {
      g.setRootValueSeparator(null);  // lines end with '\n' only, as _bulk's ndjson
      for (int r = 0; r < rows; r++) {
        Object id = pkColumn == null ? (Object) autoIds.getAsLong() : scalar(c, pkColumn, r);
        ids.add(id);
        g.writeStartObject();
        g.writeObjectFieldStart("index");
        g.writeStringField("_id", id.toString());
        g.writeEndObject();
        g.writeEndObject();
        g.writeRaw('\n');
        g.writeStartObject();
        for (String name : c.fieldNames()) {
          if (c.space().field(name) == null) {
            continue;  // _id of a space made by the HTTP API
          }
          FieldData f = byName.get(name);
          if (f == null) {
            g.writeObjectField(name, id);
          } else if (c.typeOf(name) == DataType.FloatVector) {
            int dim = (int) f.getVectors().getDim();
            g.writeObjectFieldStart(name);
            g.writeArrayFieldStart("feature");
            List<Float> data = f.getVectors().getFloatVector().getDataList();
            for (int i = r * dim; i < (r + 1) * dim; i++) {
              g.writeNumber(data.get(i));
            }
            g.writeEndArray();
            g.writeEndObject();
          } else {
            g.writeObjectField(name, scalar(c, f, r));
          }
        }
        g.writeEndObject();
        g.writeRaw('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Bulk(Buffer.buffer(out.toByteArray()), ids);
  }

  private static int length(Collection c, FieldData f) {
    if (c.typeOf(f.getFieldName()) == DataType.FloatVector) {
      if (!f.hasVectors() || !f.getVectors().hasFloatVector()) {
        throw ApiException.badRequest("fields_data." + f.getFieldName() + ": expected a float_vector column");
      }
      long dim = f.getVectors().getDim();
      if (dim != c.dimension()) {
        throw ApiException.badRequest("fields_data." + f.getFieldName() + ": dim " + dim + ", the field has "
            + c.dimension());
      }
      return f.getVectors().getFloatVector().getDataCount() / c.dimension();
    }
    ScalarField s = f.getScalars();
    return switch (s.getDataCase()) {
      case BOOL_DATA -> s.getBoolData().getDataCount();
      case INT_DATA -> s.getIntData().getDataCount();
      case LONG_DATA -> s.getLongData().getDataCount();
      case FLOAT_DATA -> s.getFloatData().getDataCount();
      case DOUBLE_DATA -> s.getDoubleData().getDataCount();
      case STRING_DATA -> s.getStringData().getDataCount();
      default -> throw ApiException.badRequest("fields_data." + f.getFieldName() + ": unsupported column "
          + s.getDataCase());
    };
  }

  /** Row {@code r} of a scalar column, as the JSON value the space stores. */
  private static Object scalar(Collection c, FieldData f, int r) {
    ScalarField s = f.getScalars();
    return switch (s.getDataCase()) {
      case BOOL_DATA -> s.getBoolData().getData(r) ? 1 : 0;
      case INT_DATA -> s.getIntData().getData(r);
      case LONG_DATA -> s.getLongData().getData(r);
      case FLOAT_DATA -> s.getFloatData().getData(r);
      case DOUBLE_DATA -> s.getDoubleData().getData(r);
      case STRING_DATA -> s.getStringData().getData(r);
      default -> throw ApiException.badRequest("fields_data." + f.getFieldName() + ": unsupported column");
    };
  }

  /** The primary keys as Milvus's {@code IDs}, typed as the collection's key. */
  static IDs ids(Collection c, List<?> ids) {
    if (c.primaryType() == DataType.Int64) {
      LongArray.Builder b = LongArray.newBuilder();
      ids.forEach(i -> b.addData(i instanceof Number n ? n.longValue() : Long.parseLong(i.toString())));
      return IDs.newBuilder().setIntId(b).build();
    }
    StringArray.Builder b = StringArray.newBuilder();
    ids.forEach(i -> b.addData(i.toString()));
    return IDs.newBuilder().setStrId(b).build();
  }

  /** The columns of {@code fields} for {@code hits} (the primary key from each hit's {@code _id}). */
  static List<FieldData> columns(Collection c, List<String> fields, List<Hit> hits) {
    List<JsonNode> sources = new ArrayList<>(hits.size());
    for (Hit h : hits) {
      try {
        sources.add(h.getSourceJson().isEmpty() ? StrictJson.MAPPER.createObjectNode()
            : StrictJson.MAPPER.readTree(h.getSourceJson()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<FieldData> out = new ArrayList<>();
    long fieldId = 100;
    Map<String, Long> ids = new HashMap<>();
    for (String n : c.fieldNames()) {
      ids.put(n, fieldId++);
    }
    for (String name : fields) {
      DataType type = c.typeOf(name);
      FieldData.Builder fd = FieldData.newBuilder().setFieldName(name).setType(type).setFieldId(ids.get(name));
      boolean pk = name.equals(c.primaryKey());
      switch (type) {
        case FloatVector -> {
          FloatArray.Builder fa = FloatArray.newBuilder();
          for (Hit h : hits) {
            for (FieldVector v : h.getVectorsList()) {
              if (v.getField().equals(name)) {
                fa.addAllData(v.getValuesList());
              }
            }
          }
          fd.setVectors(VectorField.newBuilder().setDim(c.dimension()).setFloatVector(fa));
        }
        case Bool -> {
          BoolArray.Builder a = BoolArray.newBuilder();
          sources.forEach(s -> a.addData(s.path(name).asLong() != 0));
          fd.setScalars(ScalarField.newBuilder().setBoolData(a));
        }
        case Int8, Int16, Int32 -> {
          IntArray.Builder a = IntArray.newBuilder();
          sources.forEach(s -> a.addData(s.path(name).asInt()));
          fd.setScalars(ScalarField.newBuilder().setIntData(a));
        }
        case Int64 -> {
          LongArray.Builder a = LongArray.newBuilder();
          for (int i = 0; i < hits.size(); i++) {
            a.addData(pk ? Long.parseLong(hits.get(i).getId()) : sources.get(i).path(name).asLong());
          }
          fd.setScalars(ScalarField.newBuilder().setLongData(a));
        }
        case Float -> {
          FloatArray.Builder a = FloatArray.newBuilder();
          sources.forEach(s -> a.addData((float) s.path(name).asDouble()));
          fd.setScalars(ScalarField.newBuilder().setFloatData(a));
        }
        case Double -> {
          DoubleArray.Builder a = DoubleArray.newBuilder();
          sources.forEach(s -> a.addData(s.path(name).asDouble()));
          fd.setScalars(ScalarField.newBuilder().setDoubleData(a));
        }
        default -> {
          StringArray.Builder a = StringArray.newBuilder();
          for (int i = 0; i < hits.size(); i++) {
            a.addData(pk ? hits.get(i).getId() : sources.get(i).path(name).asText());
          }
          fd.setScalars(ScalarField.newBuilder().setStringData(a));
        }
      }
      out.add(fd.build());
    }
    return out;
  }
}
