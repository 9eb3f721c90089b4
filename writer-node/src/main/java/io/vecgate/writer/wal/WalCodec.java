package io.vecgate.writer.wal;

import io.vecgate.space.Document;
import io.vecgate.space.FieldSpec;
import io.vecgate.space.SpaceSchema;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes the operations of one space as WAL payloads, in binary (a JSON round trip would cost
 * more than the fsync). An index payload:
 *
 * <pre>
 * int32 idLength, UTF-8 id
 * float32[d1] vector of the first vector field, float32[d2] of the second, ... (schema order)
 * per scalar field of the schema, in order: int8 present (0/1), then when present
 *   INTEGER int32 | LONG int64 | FLOAT float32 | DOUBLE float64 | STRING/KEYWORD int32 length + UTF-8
 * </pre>
 *
 * A delete payload is the id alone. The schema of a space never changes, so the field order
 * is a stable key (and a space of one vector field logs exactly what it did before spaces could
 * have several).
 */
public final class WalCodec {

  public static final byte INDEX = 1;
  public static final byte DELETE = 2;

  private final SpaceSchema schema;
  private final List<FieldSpec> scalars;

  public WalCodec(SpaceSchema schema) {
    this.schema = schema;
    this.scalars = schema.scalarFields();
  }

  public byte[] encodeIndex(Document d) {
    byte[] id = d.id().getBytes(StandardCharsets.UTF_8);
    int size = 4 + id.length + 4 * d.vector().length + scalars.size();
    byte[][] strings = new byte[scalars.size()][];
    for (int i = 0; i < scalars.size(); i++) {
      Object v = d.scalars().get(scalars.get(i).name());
      if (v == null) {
        continue;
      }
      size += switch (scalars.get(i).type()) {
        case INTEGER, FLOAT -> 4;
        case LONG, DOUBLE -> 8;
        case STRING, KEYWORD -> {
          strings[i] = ((String) v).getBytes(StandardCharsets.UTF_8);
          yield 4 + strings[i].length;
        }
        case VECTOR -> throw new IllegalStateException("vector among scalars");
      };
    }
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(id.length).put(id);
    b.asFloatBuffer().put(d.vector());
    b.position(b.position() + 4 * d.vector().length);
    for (int i = 0; i < scalars.size(); i++) {
      Object v = d.scalars().get(scalars.get(i).name());
      if (v == null) {
        b.put((byte) 0);
        continue;
      }
      b.put((byte) 1);
      switch (scalars.get(i).type()) {
        case INTEGER -> b.putInt((Integer) v);
        case LONG -> b.putLong((Long) v);
        case FLOAT -> b.putFloat((Float) v);
        case DOUBLE -> b.putDouble((Double) v);
        case STRING, KEYWORD -> b.putInt(strings[i].length).put(strings[i]);
        case VECTOR -> throw new IllegalStateException("vector among scalars");
      }
    }
    return b.array();
  }

  public Document decodeIndex(byte[] payload) {
    ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    String id = string(b);
    float[] vector = new float[schema.vectorLength()];
    b.asFloatBuffer().get(vector);
    b.position(b.position() + 4 * vector.length);
    Map<String, Object> values = new HashMap<>();
    for (FieldSpec f : scalars) {
      if (b.get() == 0) {
        continue;
      }
      Object v = switch (f.type()) {
        case INTEGER -> b.getInt();
        case LONG -> b.getLong();
        case FLOAT -> b.getFloat();
        case DOUBLE -> b.getDouble();
        case STRING, KEYWORD -> string(b);
        case VECTOR -> throw new IllegalStateException("vector among scalars");
      };
      values.put(f.name(), v);
    }
    return new Document(id, vector, values);
  }

  public static byte[] encodeDelete(String id) {
    return id.getBytes(StandardCharsets.UTF_8);
  }

  public static String decodeDelete(byte[] payload) {
    return new String(payload, StandardCharsets.UTF_8);
  }

  private static String string(ByteBuffer b) {
    byte[] s = new byte[b.getInt()];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }
}
