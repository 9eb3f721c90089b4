package io.vecgate.writer.store;

import io.vecgate.common.api.ApiException;
import io.vecgate.common.space.Document;
import io.vecgate.common.space.SpaceSchema;
import io.vecgate.common.store.DataLayout;
import io.vecgate.common.store.VersionState;
import io.vecgate.engine.manifest.Manifest;
import io.vecgate.engine.manifest.Manifests;
import io.vecgate.engine.segment.SegmentReader;
import io.vecgate.engine.segment.WrittenSegment;
import io.vecgate.writer.wal.WalCodec;
import io.vecgate.writer.wal.WalRecord;
import io.vecgate.writer.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The documents of one space: the buffer of acknowledged writes, the sealed segments, the
 * write-ahead log and the published versions.
 *
 * <p>A write is logged ({@link WriteAheadLog#append}, one fsync per call of {@link #apply})
 * before it is applied in memory and acknowledged. Each logged operation takes the next
 * sequence number; an indexed document's engine id is the sequence number of its record, so
 * ids are unique in the space and never reused. {@link #seal} turns the buffer into one segment
 * per partition and publishes a version. Merges of small segments ({@link MergePolicy}) run in
 * three steps so that the expensive one can leave the lane: {@link #pickMerge} chooses the
 * inputs, {@link MergeJob#build} builds the merged segments (on any thread, while writes go on),
 * {@link #finishMerge} swaps them in and publishes; {@link #mergeIfNeeded} and {@link #mergeAll}
 * do all three on the caller's thread. Reopening a store recovers the newest complete version
 * and replays the log after it.
 *
 * <p>Its parts: {@link BufferedDocs} (the buffer), {@link SegmentSet} (the current segments and
 * where each live sealed document is), {@link PublishedVersions} (the versions on disk),
 * {@link MergePolicy} and {@link MergeJob} (merges), {@link SegmentBuilder} (segment files),
 * {@link DocIds} (partitions and generated ids).
 *
 * <p>Not thread-safe: the writer calls a store from one lane (one thread at a time); only
 * {@link MergeJob#build} runs elsewhere.
 */
public final class SpaceStore implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(SpaceStore.class.getName());

  private final SpaceSchema schema;
  private final DataLayout layout;
  private final WalCodec codec;
  private final SegmentBuilder builder;
  private final MergePolicy mergePolicy;
  private final Path segmentsDir;
  private final DocIds ids;
  private final SegmentNames names = new SegmentNames();
  private final BufferedDocs buffer = new BufferedDocs();
  private final SegmentSet segments;
  private final PublishedVersions versions;
  /** Merges picked and not yet finished or abandoned; their inputs are marked {@link SealedSegment#merging}. */
  private final Set<MergeJob> merges = new HashSet<>();
  private WriteAheadLog wal;
  private boolean closed;
  private long lastSeq;
  /** Every WAL record up to this one is in the segments (the buffer holds only later ones). */
  private long sealedSeq;
  /** Tombstones on sealed segments not yet published. */
  private boolean pendingDeletes;
  /** Segments sealed or merged whose version failed to publish (an I/O error): the next seal retries. */
  private boolean unpublished;

  private SpaceStore(SpaceSchema schema, DataLayout layout, StoreConfig config) {
    this.schema = schema;
    this.layout = layout;
    this.codec = new WalCodec(schema);
    this.builder = new SegmentBuilder(schema, config.flatBelow());
    this.mergePolicy = new MergePolicy(schema.engine().indexType(), builder.threshold(), config.busyIndexDocs(),
        config.mergeSegments());
    this.segmentsDir = layout.segmentsDir(schema.db(), schema.name());
    this.ids = new DocIds(schema);
    this.segments = new SegmentSet(schema.partitionNum());
    this.versions = new PublishedVersions(schema, layout, config.versionsKept());
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
    List<String> results = new ArrayList<>(ops.size());
    for (int i = 0; i < ops.size(); i++) {
      long s = records.get(i).seq();
      results.add(switch (ops.get(i)) {
        case WriteOp.Index x -> applyIndex(s, x.doc(), x.partition());
        case WriteOp.Delete d -> applyDelete(s, d.id());
      });
    }
    return results;
  }

  private String applyIndex(long seq, Document doc, int partition) {
    lastSeq = seq;
    boolean existed = removeLive(doc.id());
    buffer.put(seq, partition, doc);
    return existed ? "updated" : "created";
  }

  private String applyDelete(long seq, String id) {
    lastSeq = seq;
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

  // ---- seal, publish, merge ----

  /**
   * Seals the buffer (one FLAT segment per partition with buffered documents: exact, cheap to
   * write; merges give documents the space's index, see {@link MergePolicy}) and publishes a
   * version with it and every pending delete. Does nothing when nothing is {@link #dirty}. A
   * failure changes nothing (the buffer keeps every document).
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
    writeSegments(buffer.byPartition()).forEach(segments::add);
    buffer.clear();
    sealedSeq = lastSeq;
    unpublished = true;
    // Everything logged so far is in the segments now: later records go to a new file.
    wal.rotate();
    publish();
    wal.deleteUpTo(lastSeq);
    return version();
  }

  /**
   * Merges small segments ({@link MergePolicy}) on the caller's thread and publishes a version
   * when anything merged.
   *
   * @return whether a version was published
   */
  public boolean mergeIfNeeded() throws IOException {
    return mergeNow(MergeJob.Scope.TIERED);
  }

  /**
   * The quiet merge ({@link MergeJob.Scope#ALL}, see {@link MergePolicy}) on the caller's thread:
   * every partition down to one segment (built with the space's index type when large enough),
   * publishing a version when anything merged. Meant for idle spaces.
   *
   * @return whether a version was published
   */
  public boolean mergeAll() throws IOException {
    return mergeNow(MergeJob.Scope.ALL);
  }

  private boolean mergeNow(MergeJob.Scope scope) throws IOException {
    MergeJob job = pickMerge(scope);
    if (job == null) {
      return false;
    }
    job.build();
    return finishMerge(job);
  }

  /**
   * Picks the segments to merge in each partition, among those no other merge holds, and
   * reserves them for the returned job: until it is finished or abandoned no other pick takes
   * them, and they stay mapped. Seals may go on meanwhile (new segments are never inputs).
   *
   * @return the job to {@link MergeJob#build} and then {@link #finishMerge}, or null when nothing needs merging
   */
  public MergeJob pickMerge(MergeJob.Scope scope) {
    if (closed) {
      return null;
    }
    List<MergeJob.Part> parts = new ArrayList<>();
    for (int p = 0; p < segments.partitions(); p++) {
      List<SealedSegment> free = segments.of(p).stream().filter(s -> !s.merging).toList();
      List<SealedSegment> pick = mergePolicy.pick(free, scope);
      if (pick != null) {
        parts.add(new MergeJob.Part(p, pick, names.next(p)));
      }
    }
    if (parts.isEmpty()) {
      return null;
    }
    MergeJob job = new MergeJob(parts, builder, segmentsDir, mergePolicy.indexFrom(scope));
    parts.forEach(part -> part.inputs.forEach(s -> s.merging = true));
    merges.add(job);
    return job;
  }

  /**
   * Swaps the merged segments of a built {@code job} in and publishes: the inputs leave their
   * partitions, every input document deleted or replaced since the pick is deleted in the merged
   * segment too, the live documents point at the merged segment, and what is buffered is sealed
   * with it (so that the version holds every acknowledged write, and an upsert's new copy
   * appears with the tombstone of its old one). A failed build leaves the store as it was and
   * its error is thrown; a cancelled or abandoned job, or a closed store, publishes nothing.
   *
   * @return whether a version was published
   */
  public boolean finishMerge(MergeJob job) throws IOException {
    if (closed || !merges.contains(job)) {
      return false;
    }
    if (job.failed() || job.cancelled()) {
      Throwable failure = job.failure();
      discard(job);
      switch (failure) {
        case null -> {
          return false;
        }
        case IOException e -> throw e;
        case RuntimeException e -> throw e;
        case Error e -> throw e;
        default -> throw new IOException(failure);
      }
    }
    merges.remove(job);
    for (MergeJob.Part part : job.parts()) {
      pendingDeletes |= segments.swap(part);
    }
    unpublished = true;
    seal();
    return true;
  }

  /** Cancels {@code job} (waiting for a running build to stop), deletes its output and frees its inputs. */
  public void abandonMerge(MergeJob job) {
    if (merges.contains(job)) {
      discard(job);
    }
  }

  private void discard(MergeJob job) {
    job.cancel();
    job.deleteOutput();
    merges.remove(job);
    job.parts().forEach(part -> part.inputs.forEach(s -> s.merging = false));
  }

  /**
   * Writes and maps one segment per partition of {@code rows}. On a failure, the segments
   * already written are unmapped and deleted and the error is thrown: nothing changes.
   */
  private List<SealedSegment> writeSegments(Map<Integer, Rows> rows) throws IOException {
    List<Path> files = new ArrayList<>();
    List<SealedSegment> sealed = new ArrayList<>();
    try {
      for (Map.Entry<Integer, Rows> e : rows.entrySet()) {
        // Always FLAT: the lane must not wait for an index build (merges build indexes, off the lane).
        WrittenSegment w = builder.write(segmentsDir.resolve(names.next(e.getKey())), e.getValue(), false);
        files.add(w.path());
        sealed.add(new SealedSegment(e.getKey(), Manifest.SegmentFile.of(w), SegmentReader.open(w.path()), new BitSet()));
      }
      return sealed;
    } catch (IOException | RuntimeException | Error e) {
      sealed.forEach(s -> s.reader.close());
      for (Path f : files) {
        try {
          Files.deleteIfExists(f);
        } catch (IOException x) {
          // An unlinked file is deleted at the next publish or open anyway.
          e.addSuppressed(x);
        }
      }
      throw e;
    }
  }

  /** Publishes the current segments and deletes as the next version, then prunes old versions. */
  private void publish() throws IOException {
    segments.dropEmpty();
    versions.publish(segments, sealedSeq, lastSeq + 1);
    pendingDeletes = false;
    unpublished = false;
    versions.prune(segments.files(), this::building);
  }

  /** Whether {@code file} in the segments directory is being written by a merge in flight. */
  private boolean building(String file) {
    return merges.stream().anyMatch(j -> j.parts().stream().anyMatch(p -> p.owns(file)));
  }

  // ---- recovery ----

  private void recover() throws IOException {
    versions.load().forEach(names::observe);
    VersionState state = new VersionState(0, 1, Map.of());
    if (version() > 0) {
      Path dir = versionDir(version());
      state = VersionState.read(dir);
      segments.load(Manifests.read(dir), state, dir, segmentsDir);
    }
    try (Stream<Path> files = Files.list(segmentsDir)) {
      files.forEach(f -> names.observe(f.getFileName().toString()));
    }
    versions.deleteUnlinkedSegments(segments.files(), this::building);
    lastSeq = state.lastWalSeq();
    sealedSeq = lastSeq;
    long published = lastSeq;
    wal = WriteAheadLog.open(layout.walDir(schema.db(), schema.name()), published, this::replay);
    // Document numbers are never reused, even where the log after the version was lost.
    lastSeq = Math.max(Math.max(lastSeq, state.nextDocSeq() - 1), wal.lastSeq());
    wal.deleteUpTo(published);
    LOG.log(System.Logger.Level.INFO, "{0}/{1}: version {2}, {3} sealed and {4} buffered documents, WAL at {5}",
        schema.db(), schema.name(), version(), segments.liveCount(), buffer.size(), lastSeq);
  }

  private void replay(WalRecord r) {
    switch (r.type()) {
      case WalCodec.INDEX -> {
        Document d = codec.decodeIndex(r.payload());
        applyIndex(r.seq(), d, ids.partition(d.id()));
      }
      case WalCodec.DELETE -> applyDelete(r.seq(), WalCodec.decodeDelete(r.payload()));
      default -> throw new IllegalStateException("WAL record " + r.seq() + " of space " + schema.db() + "/"
          + schema.name() + " has unknown type " + r.type());
    }
  }

  // ---- stats, close, drop ----

  /** What the space holds, for its description. */
  public SpaceStats stats() {
    boolean building = merges.stream().anyMatch(j -> j.parts().stream().anyMatch(j::indexes));
    return SpaceStats.of(schema, segments, buffer.size(), version(), versions.kept(), builder.threshold(), building);
  }

  /**
   * Closes the log and the segment mappings; seals nothing (the log keeps what is buffered). A
   * merge in flight is cancelled (this waits for its build to stop) and its output deleted; it
   * publishes nothing afterwards.
   */
  @Override
  public void close() throws IOException {
    closed = true;
    List.copyOf(merges).forEach(this::discard);
    segments.closeAll();
    if (wal != null) {
      wal.close();
      wal = null;
    }
  }

  /** Closes the store and deletes its log, segments and versions. */
  public void drop() throws IOException {
    close();
    PublishedVersions.deleteTree(layout.walDir(schema.db(), schema.name()));
    PublishedVersions.deleteTree(layout.spaceDir(schema.db(), schema.name()));
  }
}
