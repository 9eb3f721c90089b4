package io.vecgate.writer.rebuild.source;

import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.space.Document;
import io.vecgate.space.Documents;
import io.vecgate.space.SpaceSchema;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An NDJSON file with one document per line in the shape of the document API, {@code _id}
 * included ({@code {"_id": "a1", "price": 9.5, "vec": {"feature": [...]}}}); blank lines are
 * skipped. A bad line fails the source with its line number.
 */
final class NdjsonSource extends FileSource {

  private final SpaceSchema schema;
  private BufferedReader reader;
  private long line;

  NdjsonSource(Vertx vertx, SpaceSchema schema, Path path) {
    super(vertx, path);
    this.schema = schema;
  }

  @Override
  long countBlocking() throws IOException {
    try (var lines = Files.lines(path, StandardCharsets.UTF_8)) {
      return lines.filter(l -> !l.isBlank()).count();
    }
  }

  @Override
  void openBlocking() throws IOException {
    reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
  }

  @Override
  List<Document> readBlocking(int max) throws IOException {
    List<Document> out = new ArrayList<>(max);
    String text;
    while (out.size() < max && (text = reader.readLine()) != null) {
      line++;
      if (text.isBlank()) {
        continue;
      }
      String where = "source line " + line;
      Document d = Documents.parse(schema, StrictJson.parseObject(text.getBytes(StandardCharsets.UTF_8), where), null,
          where);
      if (d.id() == null) {
        throw ApiException.badRequest(where + "._id: missing; a rebuild source needs an id on every document");
      }
      out.add(d);
    }
    return out;
  }

  @Override
  void closeBlocking() throws IOException {
    if (reader != null) {
      reader.close();
    }
  }
}
