package io.vecgate.writer.store;

import io.vecgate.space.Document;
import io.vecgate.space.SpaceSchema;
import io.vecgate.writer.wal.WalCodec;
import io.vecgate.writer.wal.WalRecord;
import io.vecgate.writer.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;

/**
 * A space's write-ahead log and its sequence numbers. Each logged operation takes the next
 * sequence number (an indexed document's {@code seq}: unique in the space and never reused); a
 * batch is one append and one fsync. At open, the records after the published version are
 * replayed into the store. Not thread-safe: used on the space's lane, as its {@link SpaceStore}.
 */
final class SpaceLog implements AutoCloseable {

  private final SpaceSchema schema;
  private final WalCodec codec;
  private WriteAheadLog wal;
  private long lastSeq;

  private SpaceLog(SpaceSchema schema, long lastSeq) {
    this.schema = schema;
    this.codec = new WalCodec(schema);
    this.lastSeq = lastSeq;
  }

  /**
   * Opens the log in {@code dir} and replays the records after {@code publishedSeq} (the last one
   * the published version holds); the files up to it are deleted.
   *
   * @param nextDocSeq the published version's next document number: numbers are never reused,
   *     even where the log after the version was lost
   * @param index replays an indexed document under its sequence number (on the calling thread)
   * @param delete replays a delete
   */
  static SpaceLog open(SpaceSchema schema, Path dir, long publishedSeq, long nextDocSeq,
      ObjLongConsumer<Document> index, Consumer<String> delete) throws IOException {
    SpaceLog log = new SpaceLog(schema, publishedSeq);
    log.wal = WriteAheadLog.open(dir, publishedSeq, r -> log.replay(r, index, delete));
    log.lastSeq = Math.max(Math.max(log.lastSeq, nextDocSeq - 1), log.wal.lastSeq());
    log.wal.deleteUpTo(publishedSeq);
    return log;
  }

  /** The newest sequence number taken. */
  long lastSeq() {
    return lastSeq;
  }

  /**
   * Logs {@code ops} with one append and fsync, each under the next sequence number.
   *
   * @return the sequence number of the first op (the others follow it in order)
   */
  long append(List<? extends WriteOp> ops) throws IOException {
    List<WalRecord> records = new ArrayList<>(ops.size());
    long seq = lastSeq;
    for (WriteOp op : ops) {
      seq++;
      records.add(switch (op) {
        case WriteOp.Index i -> new WalRecord(seq, WalCodec.INDEX, codec.encodeIndex(i.doc()));
        case WriteOp.Delete d -> new WalRecord(seq, WalCodec.DELETE, WalCodec.encodeDelete(d.id()));
      });
    }
    wal.append(records);
    long first = lastSeq + 1;
    lastSeq = seq;
    return first;
  }

  /** Starts a new log file: what is logged so far is sealed. */
  void rotate() throws IOException {
    wal.rotate();
  }

  /** Deletes the log files that hold only records up to {@code seq}. */
  void deleteUpTo(long seq) throws IOException {
    wal.deleteUpTo(seq);
  }

  @Override
  public void close() throws IOException {
    wal.close();
  }

  private void replay(WalRecord r, ObjLongConsumer<Document> index, Consumer<String> delete) {
    lastSeq = r.seq();
    switch (r.type()) {
      case WalCodec.INDEX -> index.accept(codec.decodeIndex(r.payload()), r.seq());
      case WalCodec.DELETE -> delete.accept(WalCodec.decodeDelete(r.payload()));
      default -> throw new IllegalStateException("WAL record " + r.seq() + " of space " + schema.db() + "/"
          + schema.name() + " has unknown type " + r.type());
    }
  }
}
