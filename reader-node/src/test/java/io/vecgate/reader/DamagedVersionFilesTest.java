package io.vecgate.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.manifest.Manifest;
import io.vecgate.engine.vector.Metric;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.reader.ReaderGrpcClient;
import io.vecgate.protocol.reader.SearchRequest;
import io.vecgate.protocol.reader.SearchResponse;
import io.vecgate.reader.testkit.Await;
import io.vecgate.reader.testkit.Doc;
import io.vecgate.reader.testkit.TestSpace;
import io.vecgate.reader.version.VersionKey;
import io.vecgate.store.DataLayout;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newly published version whose {@code version.json} or {@code manifest.json} fails its check
 * is not loaded: the reader reports it (the admin {@code load} answers the error, an announcement
 * is logged naming the file) and the version it served keeps serving searches.
 */
class DamagedVersionFilesTest {

  private static final int DIM = 8;

  @TempDir
  Path tmp;

  Vertx vertx;
  GrpcClient grpc;
  /** Held so the logger, and the handler on it, are not collected. */
  final Logger readerLogs = Logger.getLogger("io.vecgate.reader");
  Handler handler;

  @AfterEach
  void stop() throws Exception {
    if (handler != null) {
      readerLogs.removeHandler(handler);
    }
    Await.result(grpc.close());
    Await.result(vertx.close());
  }

  @Test
  void aDamagedVersionJsonIsRefusedAndTheOldVersionKeepsServing() throws Exception {
    refusedAndTheOldVersionKeepsServing(DataLayout.VERSION_STATE);
  }

  @Test
  void aDamagedManifestIsRefusedAndTheOldVersionKeepsServing() throws Exception {
    refusedAndTheOldVersionKeepsServing(Manifest.FILE_NAME);
  }

  /** Publishes version 1, then version 2 with {@code fileName} damaged in its directory. */
  private void refusedAndTheOldVersionKeepsServing(String fileName) throws Exception {
    TestSpace items = new TestSpace(new DataLayout(tmp), "shop", "items", DIM, Metric.L2, IndexType.FLAT, Map.of());
    List<Doc> docs = TestSpace.docs(0, 50, DIM, 1);
    items.segment("p0-1.seg", docs);
    items.publish(1, Map.of(0, List.of("p0-1.seg")), Map.of());
    vertx = Vertx.vertx();
    ReaderVerticle reader = new ReaderVerticle(ReaderConfig.defaults(tmp, "reader-1").withWarmupQueries(0)
        .withReleaseGrace(Duration.ofMillis(100)));
    Await.result(vertx.deployVerticle(reader));
    Await.result(reader.ready());
    grpc = GrpcClient.client(vertx);
    ReaderGrpcClient client = ReaderGrpcClient.create(grpc, SocketAddress.inetSocketAddress(reader.grpcPort(), "127.0.0.1"));

    // Version 2 deletes doc-0; one of its files is damaged on disk after it was written: a digit of
    // its last number changes (the JSON stays valid, only the checksum tells).
    Path dir = items.publish(2, Map.of(0, List.of("p0-1.seg")), Map.of("p0-1.seg", List.of("doc-0")));
    Path file = dir.resolve(fileName);
    byte[] b = Files.readAllBytes(file);
    b[b.length - 6] ^= 0x01;
    Files.write(file, b);

    VersionKey v2 = new VersionKey("shop", "items", 2);
    ApiException refused = assertInstanceOf(ApiException.class, Await.failure(reader.control().load(v2)));
    assertEquals(500, refused.status());
    assertTrue(refused.reason().contains(file + ": checksum mismatch"), refused.reason());

    CompletableFuture<LogRecord> logged = new CompletableFuture<>();
    handler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
          if (String.valueOf(t.getMessage()).contains(file.toString())) {
            logged.complete(r);
          }
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    readerLogs.addHandler(handler);
    vertx.eventBus().publish(ReaderVerticle.VERSIONS_ADDRESS, new JsonObject().put("db", "shop").put("space", "items")
        .put("version", 2).put("dir", tmp.relativize(dir).toString()));
    logged.get(10, TimeUnit.SECONDS);

    assertEquals(List.of(new VersionKey("shop", "items", 1)), reader.loadedVersions());
    SearchRequest.Builder q = SearchRequest.newBuilder().setDb("shop").setSpace("items").setVersion(1)
        .setField(TestSpace.VECTOR_FIELD).setDimension(DIM).setK(100);
    for (float x : docs.get(0).vector()) {
      q.addQueries(x);
    }
    SearchResponse one = Await.result(client.search(q.build()));
    assertEquals(50, one.getResults(0).getHitsCount(), "version 1 serves, doc-0 included");
    Throwable two = Await.failure(client.search(q.setVersion(2).build()));
    assertEquals(GrpcStatus.NOT_FOUND, assertInstanceOf(InvalidStatusException.class, two).actualStatus());
  }
}
