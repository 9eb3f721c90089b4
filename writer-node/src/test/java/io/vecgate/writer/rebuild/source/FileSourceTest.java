package io.vecgate.writer.rebuild.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.protocol.api.ApiException;
import io.vecgate.space.Document;
import io.vecgate.space.SpaceSchema;
import io.vecgate.writer.TestSpaces;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code .fvecs} and {@code .ndjson} sources. */
class FileSourceTest {

  @TempDir Path dir;
  Vertx vertx;
  final SpaceSchema schema = TestSpaces.schema("shop", TestSpaces.body("items", 3));

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static void writeFvecs(Path file, float[][] rows) throws IOException {
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
      for (float[] r : rows) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * r.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(r.length);
        for (float f : r) {
          b.putFloat(f);
        }
        out.write(b.array());
      }
    }
  }

  List<Document> streamAll(SourceSpec spec, int batch, List<Integer> sizes) throws Exception {
    List<Document> all = new ArrayList<>();
    try (DocumentSource source = DocumentSources.open(vertx, schema, spec)) {
      long n = await(source.stream(batch, b -> {
        sizes.add(b.size());
        all.addAll(b);
        return Future.succeededFuture();
      }));
      assertEquals(all.size(), n);
    }
    return all;
  }

  ApiException refusal(SourceSpec spec) throws Exception {
    try (DocumentSource source = DocumentSources.open(vertx, schema, spec)) {
      return (ApiException) assertThrows(ExecutionException.class,
          () -> await(source.stream(10, b -> Future.succeededFuture()))).getCause();
    }
  }

  @Test
  void fvecsRecordsBecomeDocumentsNamedByTheirRowNumber() throws Exception {
    float[][] rows = new float[25][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new float[] {i, -i, 0.5f};
    }
    Path file = dir.resolve("base.fvecs");
    writeFvecs(file, rows);
    SourceSpec spec = new SourceSpec.File(file);
    try (DocumentSource source = DocumentSources.open(vertx, schema, spec)) {
      assertEquals(25L, await(source.count()));
    }
    List<Integer> sizes = new ArrayList<>();
    List<Document> docs = streamAll(spec, 10, sizes);
    assertEquals(List.of(10, 10, 5), sizes);
    for (int i = 0; i < rows.length; i++) {
      assertEquals(Integer.toString(i), docs.get(i).id());
      assertArrayEquals(rows[i], docs.get(i).vector());
    }
  }

  @Test
  void fvecsOfAnotherDimensionOrTruncatedIsRefused() throws Exception {
    Path file = dir.resolve("four.fvecs");
    writeFvecs(file, new float[][] {{1, 2, 3, 4}, {5, 6, 7, 8}, {1, 1, 1, 1}});
    ApiException e = refusal(new SourceSpec.File(file));
    assertEquals(400, e.status());
    assertTrue(e.reason().contains("not a whole number of 3-dimensional fvecs records")
        || e.reason().contains("expected dimension 3"), e.reason());
    Path nan = dir.resolve("nan.fvecs");
    writeFvecs(nan, new float[][] {{1, 2, 3}, {Float.NaN, 0, 0}});
    e = refusal(new SourceSpec.File(nan));
    assertTrue(e.reason().contains("source record 1 of " + nan + "[0]: expected a finite float, got NaN"), e.reason());
    e = refusal(new SourceSpec.File(dir.resolve("missing.fvecs")));
    assertTrue(e.reason().contains("no such file"), e.reason());
  }

  @Test
  void ndjsonLinesAreDocumentsWithIds() throws Exception {
    Path file = dir.resolve("docs.ndjson");
    Files.writeString(file, """
        {"_id": "a1", "price": 9.5, "brand": "acme", "vec": {"feature": [0.1, 0.2, 0.3]}}

        {"_id": 7, "vec": {"feature": [1, 2, 3]}}
        """);
    SourceSpec spec = new SourceSpec.File(file);
    try (DocumentSource source = DocumentSources.open(vertx, schema, spec)) {
      assertEquals(2L, await(source.count()));
    }
    List<Document> docs = streamAll(spec, 10, new ArrayList<>());
    assertEquals(List.of("a1", "7"), docs.stream().map(Document::id).toList());
    assertEquals(9.5f, docs.get(0).scalars().get("price"));
    assertArrayEquals(new float[] {1, 2, 3}, docs.get(1).vector());

    Path bad = dir.resolve("bad.ndjson");
    Files.writeString(bad, """
        {"_id": "a1", "vec": {"feature": [0.1, 0.2, 0.3]}}
        {"_id": "a2", "vec": {"feature": [0.1, 0.2]}}
        """);
    ApiException e = refusal(new SourceSpec.File(bad));
    assertTrue(e.reason().startsWith("source line 2.vec.feature: expected 3 numbers"), e.reason());
    Path noId = dir.resolve("noid.ndjson");
    Files.writeString(noId, "{\"vec\": {\"feature\": [0.1, 0.2, 0.3]}}\n");
    e = refusal(new SourceSpec.File(noId));
    assertTrue(e.reason().contains("source line 1._id: missing"), e.reason());
  }
}
