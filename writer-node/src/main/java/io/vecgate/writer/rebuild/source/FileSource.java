package io.vecgate.writer.rebuild.source;

import io.vecgate.protocol.api.ApiException;
import io.vecgate.space.Document;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A source read from a file with blocking I/O on Vert.x worker threads, one batch per task; the
 * next batch is read while the sink takes the current one.
 */
abstract class FileSource implements DocumentSource {

  private final Vertx vertx;
  protected final Path path;

  FileSource(Vertx vertx, Path path) {
    this.vertx = vertx;
    this.path = path;
  }

  /** Counts the documents (may read the whole file). */
  abstract long countBlocking() throws IOException;

  /** Opens the file for {@link #readBlocking}. */
  abstract void openBlocking() throws IOException;

  /** Up to {@code max} next documents; empty at the end of the file. */
  abstract List<Document> readBlocking(int max) throws IOException;

  abstract void closeBlocking() throws IOException;

  @Override
  public Future<Long> count() {
    return vertx.executeBlocking(this::countBlocking).recover(this::explain);
  }

  @Override
  public Future<Long> stream(int batchSize, BatchSink sink) {
    return vertx.<Void>executeBlocking(() -> {
          openBlocking();
          return null;
        })
        .compose(v -> pump(read(batchSize), batchSize, sink, 0))
        .recover(this::explain);
  }

  private Future<List<Document>> read(int batchSize) {
    return vertx.executeBlocking(() -> readBlocking(batchSize));
  }

  private Future<Long> pump(Future<List<Document>> current, int batchSize, BatchSink sink, long delivered) {
    return current.compose(batch -> {
      if (batch.isEmpty()) {
        return Future.succeededFuture(delivered);
      }
      Future<List<Document>> next = read(batchSize);
      return SinkFailure.mark(sink.accept(batch)).compose(v -> pump(next, batchSize, sink, delivered + batch.size()));
    });
  }

  private <T> Future<T> explain(Throwable e) {
    if (SinkFailure.unwrap(e) != null) {
      return Future.failedFuture(SinkFailure.unwrap(e));
    }
    if (e instanceof ApiException) {
      return Future.failedFuture(e);
    }
    if (e instanceof NoSuchFileException) {
      return Future.failedFuture(ApiException.badRequest("source.path: no such file: " + path));
    }
    if (e instanceof IOException) {
      return Future.failedFuture(ApiException.badRequest("source.path: cannot read " + path + ": " + e.getMessage()));
    }
    return Future.failedFuture(e);
  }

  @Override
  public void close() {
    try {
      closeBlocking();
    } catch (IOException ignored) {
      // Read-only file: nothing was written that closing could lose.
    }
  }
}
