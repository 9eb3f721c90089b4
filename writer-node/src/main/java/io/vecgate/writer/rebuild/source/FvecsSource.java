package io.vecgate.writer.rebuild.source;

import io.vecgate.protocol.api.ApiException;
import io.vecgate.space.Document;
import io.vecgate.space.SpaceSchema;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A TEXMEX {@code .fvecs} file (each record: int32 dimension, then that many little-endian
 * float32): record i becomes the document with {@code _id} i and no scalar values, as
 * {@code bench ingest} loads it. The space's vector field must have the file's dimension.
 */
final class FvecsSource extends FileSource {

  private final SpaceSchema schema;
  private FileChannel channel;
  private ByteBuffer record;
  private long next;

  FvecsSource(Vertx vertx, SpaceSchema schema, Path path) {
    super(vertx, path);
    this.schema = schema;
  }

  private int dimension() {
    if (schema.vectorFields().size() != 1) {
      throw ApiException.badRequest("source.path: an .fvecs file holds one vector per document, but space " + schema.name()
          + " has the vector fields " + schema.vectorFieldNames() + "; use .ndjson or PostgreSQL");
    }
    return schema.vectorFields().getFirst().dimension();
  }

  private long recordBytes() {
    return Integer.BYTES + (long) dimension() * Float.BYTES;
  }

  @Override
  long countBlocking() throws IOException {
    dimension();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      return checkedCount(ch);
    }
  }

  private long checkedCount(FileChannel ch) throws IOException {
    long size = ch.size();
    if (size % recordBytes() != 0) {
      throw ApiException.badRequest("source.path: " + path + " is " + size + " bytes, not a whole number of "
          + dimension() + "-dimensional fvecs records (" + recordBytes() + " bytes each)");
    }
    return size / recordBytes();
  }

  @Override
  void openBlocking() throws IOException {
    channel = FileChannel.open(path, StandardOpenOption.READ);
    checkedCount(channel);
    record = ByteBuffer.allocate((int) recordBytes()).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  List<Document> readBlocking(int max) throws IOException {
    List<Document> out = new ArrayList<>(max);
    while (out.size() < max) {
      record.clear();
      while (record.hasRemaining()) {
        if (channel.read(record) < 0) {
          return out;
        }
      }
      record.flip();
      int dim = record.getInt();
      String where = "source record " + next + " of " + path;
      if (dim != dimension()) {
        throw ApiException.badRequest(where + ": expected dimension " + dimension() + " (the field's), got " + dim);
      }
      float[] v = new float[dim];
      record.asFloatBuffer().get(v);
      out.add(new Document(Long.toString(next), RowDecoder.vector(v, where, dim), Map.of()));
      next++;
    }
    return out;
  }

  @Override
  void closeBlocking() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }
}
