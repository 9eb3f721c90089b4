package io.vecgate.writer.store;

import io.vecgate.protocol.api.ApiException;
import io.vecgate.space.Document;
import io.vecgate.space.SpaceSchema;
import io.vecgate.store.DataLayout;
import io.vecgate.store.VersionState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The documents of one space: the buffer of acknowledged writes, the sealed segments, the
 * write-ahead log and the published versions.
 *
 * <p>A write is logged ({@link SpaceLog#append}, one fsync per call of {@link #apply}) before it is
 * applied in memory and acknowledged. Each logged operation takes the next sequence number; an
 * indexed document's {@code seq} is the sequence number of its record, so seqs are unique in the
 * space and never reused. {@link #seal} turns the buffer into one segment per partition and publishes a
 * version. Compactions of small segments ({@link CompactionPolicy}) run in three steps so that the
 * expensive one can leave the lane: {@link #pickCompaction} chooses the inputs,
 * {@link CompactionJob#build} builds the compacted segments (on any thread, while writes go on),
 * {@link #finishCompaction} swaps them in and publishes. Reopening a store recovers the newest
 * complete version and replays the log after it.
 *
 * <p>Its parts: {@link BufferedDocs} (the buffer), {@link SegmentSet} (the current segments and
 * where each live sealed document is), {@link SpaceLog} (the write-ahead log and sequence numbers),
 * {@link PublishedVersions} (the versions on disk), {@link SpaceCompactions},
 * {@link CompactionPolicy} and {@link CompactionJob} (compactions), {@link SegmentBuilder} (segment
 * files), {@link DocIds} (partitions and generated ids).
 *
 * <p>Not thread-safe: the writer calls a store from one lane (one thread at a time); only
 * {@link CompactionJob#build} runs elsewhere.
 */
public final class SpaceStore implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(SpaceStore.class.getName());

  private final SpaceSchema schema;
  private final DataLayout layout;
  private final SegmentBuilder builder;
  private final Path segmentsDir;
  private final DocIds ids;
  private final SegmentNames names = new SegmentNames();
  private final BufferedDocs buffer = new BufferedDocs();
  private final SegmentSet segments;
  private final PublishedVersions versions;
  private final SpaceCompactions compactions;
  private SpaceLog log;
  private boolean closed;
  /** Every WAL record up to this one is in the segments (the buffer holds only later ones). */
  private long sealedSeq;
  /** Tombstones on sealed segments not yet published. */
  private boolean pendingDeletes;
  /** Segments sealed or compacted whose version failed to publish (an I/O error): the next seal retries. */
  private boolean unpublished;

  private SpaceStore(SpaceSchema schema, DataLayout layout, StoreConfig config) {
    this.schema = schema;
    this.layout = layout;
    this.builder = new SegmentBuilder(schema, config.flatBelow());
    this.segmentsDir = layout.segmentsDir(schema.db(), schema.name());
    this.ids = new DocIds(schema);
    this.segments = new SegmentSet(schema.partitionNum());
    this.versions = new PublishedVersions(schema, layout, config.versionsKept());
    CompactionPolicy policy = new CompactionPolicy(schema.engine().indexType(), builder.threshold(),
        config.busyIndexDocs(), config.compactionSegments());
    this.compactions = new SpaceCompactions(segments, policy, builder, names, segmentsDir);
  }

  /**
   * Opens (or creates) the store of {@code schema}: the newest complete version, then the WAL
   * records after it. Incomplete version directories and segment files no version links (what a
   * crash during a seal leaves) are deleted.
   */
  public static SpaceStore open(SpaceSchema schema, DataLayout layout, StoreConfig config) throws IOException {
    SpaceStore s = new SpaceStore(schema, layout, config);
    try {
      s.recover();
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  public SpaceSchema schema() {
    return schema;
  }

  /** Newest published version, 0 before the first. */
  public long version() {
    return versions.version();
  }

  /** The directory of a published version. */
  public Path versionDir(long v) {
    return versions.versionDir(v);
  }

  public int bufferedCount() {
    return buffer.size();
  }

  /** Whether there is anything to seal: buffered documents or unpublished deletes. */
  public boolean dirty() {
    return !buffer.isEmpty() || pendingDeletes || unpublished;
  }

  /** Whether {@code id} has a live copy (buffered or sealed). */
  public boolean contains(String id) {
    return buffer.contains(id) || segments.contains(id);
  }

  /** Live documents, sealed and buffered. */
  public long docCount() {
    return segments.liveCount() + buffer.size();
  }

  // ---- writes ----

  /**
   * Checks a parsed document for this store and gives it an id when it has none.
   *
   * @throws ApiException 400 when the partitioner cannot place the id
   */
  public WriteOp.Index prepareIndex(Document doc, String path) {
    Document d = doc.id() == null ? new Document(ids.generate(this::contains), doc.vector(), doc.scalars()) : doc;
    return new WriteOp.Index(d, ids.partitionOf(d.id(), path));
  }

  public WriteOp.Delete prepareDelete(String id, String path) {
    ids.partitionOf(id, path);
    return new WriteOp.Delete(id);
  }

  /**
   * Logs {@code ops} with one append and fsync, then applies them in order.
   *
   * @return per op: {@code created}, {@code updated}, {@code deleted} or {@code not_found}
   */
  public List<String> apply(List<? extends WriteOp> ops) throws IOException {
    long first = log.append(ops);
    List<String> results = new ArrayList<>(ops.size());
    for (int i = 0; i < ops.size(); i++) {
      results.add(switch (ops.get(i)) {
        case WriteOp.Index x -> applyIndex(first + i, x.doc(), x.partition());
        case WriteOp.Delete d -> applyDelete(d.id());
      });
    }
    return results;
  }

  private String applyIndex(long seq, Document doc, int partition) {
    boolean existed = removeLive(doc.id());
    buffer.put(seq, partition, doc);
    return existed ? "updated" : "created";
  }

  private String applyDelete(String id) {
    return removeLive(id) ? "deleted" : "not_found";
  }

  /** Drops the live copy of {@code id}: out of the buffer, or a tombstone in its segment. */
  private boolean removeLive(String id) {
    if (buffer.remove(id)) {
      return true;
    }
    if (!segments.tombstone(id)) {
      return false;
    }
    pendingDeletes = true;
    return true;
  }

  // ---- seal, publish, compaction ----

  /**
   * Seals the buffer (one FLAT segment per partition with buffered documents: exact, cheap to
   * write; compactions give documents the space's index, see {@link CompactionPolicy}) and
   * publishes a version with it and every pending delete. Does nothing when nothing is
   * {@link #dirty}. A failure changes nothing (the buffer keeps every document).
   *
   * @return the newest published version
   */
  public long seal() throws IOException {
    if (!dirty()) {
      return version();
    }
    // All or nothing: a segment that failed to write leaves the store as it was (the buffer
    // keeps every document and no sealed copy of them exists), so no document can be both
    // buffered and sealed.
    builder.writeFlat(buffer.byPartition(), segmentsDir, names).forEach(segments::add);
    buffer.clear();
    sealedSeq = log.lastSeq();
    unpublished = true;
    // Everything logged so far is in the segments now: later records go to a new file.
    log.rotate();
    publish();
    log.deleteUpTo(sealedSeq);
    return version();
  }

  /**
   * Picks the segments to compact in each partition, among those no other compaction holds, and
   * reserves them for the returned job: until it is finished or abandoned no other pick takes
   * them, and they stay mapped. Seals may go on meanwhile (new segments are never inputs).
   *
   * @return the job to {@link CompactionJob#build} and then {@link #finishCompaction}, or null when
   *     nothing needs compacting
   */
  public CompactionJob pickCompaction(CompactionJob.Scope scope) {
    return closed ? null : compactions.pick(scope);
  }

  /**
   * Swaps the compacted segments of a built {@code job} in and publishes: the inputs leave their
   * partitions, every input document deleted or replaced since the pick is deleted in the compacted
   * segment too, the live documents point at the compacted segment, and what is buffered is sealed
   * with it (so that the version holds every acknowledged write, and an upsert's new copy
   * appears with the tombstone of its old one). A failed build leaves the store as it was and
   * its error is thrown; a cancelled or abandoned job, or a closed store, publishes nothing.
   *
   * @return whether a version was published
   */
  public boolean finishCompaction(CompactionJob job) throws IOException {
    if (closed || !compactions.holds(job) || !compactions.take(job)) {
      return false;
    }
    for (CompactionJob.Part part : job.parts()) {
      pendingDeletes |= segments.swap(part);
    }
    unpublished = true;
    seal();
    return true;
  }

  /** Cancels {@code job} (waiting for a running build to stop), deletes its output and frees its inputs. */
  public void abandonCompaction(CompactionJob job) {
    compactions.abandon(job);
  }

  /** Publishes the current segments and deletes as the next version, then prunes old versions. */
  private void publish() throws IOException {
    segments.dropEmpty();
    versions.publish(segments, sealedSeq, log.lastSeq() + 1);
    pendingDeletes = false;
    unpublished = false;
    versions.prune(segments.files(), compactions::building);
  }

  // ---- recovery ----

  private void recover() throws IOException {
    VersionState state = versions.restore(segments, names);
    versions.deleteUnlinkedSegments(segments.files(), compactions::building);
    sealedSeq = state.lastWalSeq();
    log = SpaceLog.open(schema, layout.walDir(schema.db(), schema.name()), sealedSeq, state.nextDocSeq(),
        (doc, seq) -> applyIndex(seq, doc, ids.partition(doc.id())), this::applyDelete);
    LOG.log(System.Logger.Level.INFO, "{0}/{1}: version {2}, {3} sealed and {4} buffered documents, WAL at {5}",
        schema.db(), schema.name(), version(), segments.liveCount(), buffer.size(), log.lastSeq());
  }

  // ---- stats, close, drop ----

  /** What the space holds, for its description. */
  public SpaceStats stats() {
    return SpaceStats.of(schema, segments, buffer.size(), version(), versions.kept(), builder.threshold(),
        compactions.indexing());
  }

  /**
   * Closes the log and the segment mappings; seals nothing (the log keeps what is buffered). A
   * compaction in flight is cancelled (this waits for its build to stop) and its output deleted; it
   * publishes nothing afterwards.
   */
  @Override
  public void close() throws IOException {
    closed = true;
    compactions.abandonAll();
    segments.closeAll();
    if (log != null) {
      log.close();
      log = null;
    }
  }

  /** Closes the store and deletes its log, segments and versions. */
  public void drop() throws IOException {
    close();
    PublishedVersions.deleteTree(layout.walDir(schema.db(), schema.name()));
    PublishedVersions.deleteTree(layout.spaceDir(schema.db(), schema.name()));
  }
}
