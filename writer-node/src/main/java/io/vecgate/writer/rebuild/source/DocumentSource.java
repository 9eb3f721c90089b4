package io.vecgate.writer.rebuild.source;

import io.vecgate.space.Document;
import io.vertx.core.Future;
import java.util.List;

/**
 * The documents a full rebuild loads, read in batches so that a source of any size streams
 * through bounded memory. Rows are checked against the space as the document API checks them:
 * a bad row fails the stream with an {@code ApiException} naming the row, the column, the
 * expected and the received value.
 *
 * <p>Asynchronous: every method returns at once; I/O runs on the source's own connection or on
 * worker threads. A source is used for one rebuild and then closed.
 */
public interface DocumentSource extends AutoCloseable {

  /** Takes one batch; the stream reads the next one while this one is taken, and no further. */
  @FunctionalInterface
  interface BatchSink {
    /**
     * @return a Future that completes when the batch is taken; a failed one stops the stream
     *     (that is how a rebuild is cancelled), and the stream fails with the same cause
     */
    Future<Void> accept(List<Document> batch);
  }

  /** The number of documents the source holds now (a rebuild compares it with the serving version). */
  Future<Long> count();

  /**
   * Reads every document once, in batches of at most {@code batchSize}, handing each to
   * {@code sink} after the previous one was taken.
   *
   * @return the number of documents delivered
   */
  Future<Long> stream(int batchSize, BatchSink sink);

  /** Releases connections and files; idempotent. */
  @Override
  void close();
}
