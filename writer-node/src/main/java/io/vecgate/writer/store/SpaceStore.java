package io.vecgate.writer.store;

import io.vecgate.common.api.ApiException;
import io.vecgate.common.space.Document;
import io.vecgate.common.space.FieldSpec;
import io.vecgate.common.space.SpaceSchema;
import io.vecgate.common.store.DataLayout;
import io.vecgate.common.store.VersionState;
import io.vecgate.engine.column.ColumnReader;
import io.vecgate.engine.manifest.Manifest;
import io.vecgate.engine.manifest.Manifests;
import io.vecgate.engine.partition.Partitioner;
import io.vecgate.engine.segment.AtomicFiles;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
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
 * <p>Not thread-safe: the writer calls a store from one lane (one thread at a time); only
 * {@link MergeJob#build} runs elsewhere.
 */
public final class SpaceStore implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(SpaceStore.class.getName());

  /** A buffered (acknowledged, not yet sealed) document. */
  private record Pending(long seq, int partition, Document doc) {}

  /** Where the live copy of a sealed document is. */
  private record Loc(SealedSegment segment, int ordinal) {}

  private final SpaceSchema schema;
  private final DataLayout layout;
  private final StoreConfig config;
  private final Partitioner partitioner;
  private final WalCodec codec;
  private final SegmentBuilder builder;
  private final MergePolicy mergePolicy;
  private final Path segmentsDir;
  private final Path versionsDir;

  private final Map<String, Pending> buffer = new LinkedHashMap<>();
  private final Map<String, Loc> sealed = new HashMap<>();
  /** Current segments, by partition, oldest first. */
  private final List<List<SealedSegment>> segments = new ArrayList<>();
  /** Kept versions and the segment files each links. */
  private final TreeMap<Long, Set<String>> versions = new TreeMap<>();
  /** Merges picked and not yet finished or abandoned; their inputs are marked {@link SealedSegment#merging}. */
  private final Set<MergeJob> merges = new HashSet<>();
  private WriteAheadLog wal;
  private boolean closed;
  private long lastSeq;
  /** Every WAL record up to this one is in the segments (the buffer holds only later ones). */
  private long sealedSeq;
  private long version;
  private int segmentCounter;
  /** Tombstones on sealed segments not yet published. */
  private boolean pendingDeletes;
  /** Segments sealed or merged whose version failed to publish (an I/O error): the next seal retries. */
  private boolean unpublished;

  private SpaceStore(SpaceSchema schema, DataLayout layout, StoreConfig config) {
    this.schema = schema;
    this.layout = layout;
    this.config = config;
    this.partitioner = schema.newPartitioner();
    this.codec = new WalCodec(schema);
    this.builder = new SegmentBuilder(schema, config.flatBelow());
    this.mergePolicy = new MergePolicy(schema.engine().indexType(), builder.threshold(), config.mergeSegments());
    this.segmentsDir = layout.segmentsDir(schema.db(), schema.name());
    this.versionsDir = layout.versionsDir(schema.db(), schema.name());
    for (int p = 0; p < schema.partitionNum(); p++) {
      segments.add(new ArrayList<>());
    }
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
    return version;
  }

  /** The directory of a published version. */
  public Path versionDir(long v) {
    return layout.versionDir(schema.db(), schema.name(), v);
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
    return buffer.containsKey(id) || sealed.containsKey(id);
  }

  /** Live documents, sealed and buffered. */
  public long docCount() {
    return sealed.size() + buffer.size();
  }

  // ---- writes ----

  /**
   * Checks a parsed document for this store and gives it an id when it has none.
   *
   * @throws ApiException 400 when the partitioner cannot place the id
   */
  public WriteOp.Index prepareIndex(Document doc, String path) {
    Document d = doc.id() == null ? new Document(generateId(), doc.vector(), doc.scalars()) : doc;
    return new WriteOp.Index(d, partitionOf(d.id(), path));
  }

  public WriteOp.Delete prepareDelete(String id, String path) {
    partitionOf(id, path);
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
    buffer.put(doc.id(), new Pending(seq, partition, doc));
    return existed ? "updated" : "created";
  }

  private String applyDelete(long seq, String id) {
    lastSeq = seq;
    return removeLive(id) ? "deleted" : "not_found";
  }

  /** Drops the live copy of {@code id}: out of the buffer, or a tombstone in its segment. */
  private boolean removeLive(String id) {
    if (buffer.remove(id) != null) {
      return true;
    }
    Loc loc = sealed.remove(id);
    if (loc == null) {
      return false;
    }
    loc.segment().delete(loc.ordinal());
    pendingDeletes = true;
    return true;
  }

  // ---- seal, publish, merge ----

  /**
   * Seals the buffer (one segment per partition with buffered documents) and publishes a
   * version with it and every pending delete. Does nothing when nothing is {@link #dirty}.
   *
   * @return the newest published version
   */
  public long seal() throws IOException {
    if (!dirty()) {
      return version;
    }
    Map<Integer, List<Pending>> byPartition = new TreeMap<>();
    for (Pending p : buffer.values()) {
      byPartition.computeIfAbsent(p.partition(), k -> new ArrayList<>()).add(p);
    }
    for (Map.Entry<Integer, List<Pending>> e : byPartition.entrySet()) {
      List<Pending> docs = e.getValue();
      addSegment(e.getKey(), new Rows() {
        public int size() {
          return docs.size();
        }

        public long seq(int r) {
          return docs.get(r).seq();
        }

        public String key(int r) {
          return docs.get(r).doc().id();
        }

        public void vector(int r, float[] dst) {
          System.arraycopy(docs.get(r).doc().vector(), 0, dst, 0, dst.length);
        }

        public Object scalar(int r, FieldSpec f) {
          return docs.get(r).doc().scalars().get(f.name());
        }
      });
    }
    buffer.clear();
    sealedSeq = lastSeq;
    unpublished = true;
    // Everything logged so far is in the segments now: later records go to a new file.
    wal.rotate();
    publish();
    wal.deleteUpTo(lastSeq);
    return version;
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
   * Merges every partition holding more than one segment into one segment (built with the
   * space's index type when large enough), on the caller's thread, and publishes a version when
   * anything merged. Meant for idle spaces: it rewrites everything.
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
    for (int p = 0; p < segments.size(); p++) {
      List<SealedSegment> free = segments.get(p).stream().filter(s -> !s.merging).toList();
      List<SealedSegment> pick = mergePolicy.pick(free, scope);
      if (pick != null) {
        parts.add(new MergeJob.Part(p, pick, segmentName(p)));
      }
    }
    if (parts.isEmpty()) {
      return null;
    }
    MergeJob job = new MergeJob(parts, builder, segmentsDir);
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
      swap(part);
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

  private void swap(MergeJob.Part part) {
    List<SealedSegment> segs = segments.get(part.partition);
    // The merged segment takes the place of the oldest input (segments are kept oldest first).
    int at = part.inputs.stream().mapToInt(segs::indexOf).min().orElseThrow();
    SealedSegment merged = null;
    if (part.reader != null) {
      merged = new SealedSegment(part.partition, Manifest.SegmentFile.of(part.written), part.reader, new BitSet());
      // Deleted or replaced during the build: their copies in the merged segment go too.
      Set<Long> gone = new HashSet<>();
      for (int i = 0; i < part.inputs.size(); i++) {
        SealedSegment in = part.inputs.get(i);
        BitSet since = (BitSet) in.deleted.clone();
        since.andNot(part.deletedAtPick.get(i));
        since.stream().forEach(o -> gone.add(in.reader.id(o)));
      }
      for (int o = 0; o < merged.size() && !gone.isEmpty(); o++) {
        if (gone.remove(merged.reader.id(o))) {
          merged.delete(o);
          pendingDeletes = true;
        }
      }
      assert gone.isEmpty() : "merged segment " + part.file + " lacks " + gone;
    }
    for (SealedSegment in : part.inputs) {
      segs.remove(in);
      // Older versions still link the file; only the writer's own mapping goes.
      in.reader.close();
    }
    if (merged != null) {
      segs.add(at, merged);
      index(merged);
    }
  }

  /** Writes a segment of {@code rows}, maps it and makes its documents the live copies. */
  private void addSegment(int partition, Rows rows) throws IOException {
    String name = segmentName(partition);
    WrittenSegment w = builder.write(segmentsDir.resolve(name), rows);
    SegmentReader reader = SegmentReader.open(w.path());
    SealedSegment seg = new SealedSegment(partition, Manifest.SegmentFile.of(w), reader, new BitSet());
    segments.get(partition).add(seg);
    index(seg);
  }

  private String segmentName(int partition) {
    return String.format("p%d-%08d.seg", partition, ++segmentCounter);
  }

  /** Registers the live documents of {@code seg} by their {@code _key}. */
  private void index(SealedSegment seg) {
    ColumnReader.KeywordColumn keys = (ColumnReader.KeywordColumn) seg.reader.column(DataLayout.KEY_COLUMN);
    for (int o = 0; o < seg.size(); o++) {
      if (!seg.deleted.get(o)) {
        Loc before = sealed.put(keys.get(o), new Loc(seg, o));
        assert before == null || before.segment().merging : "two live copies of " + keys.get(o);
      }
    }
  }

  /**
   * Publishes the current segments and deletes as the next version: hard links, version.json,
   * then manifest.json last (a version is complete once its manifest exists).
   */
  private void publish() throws IOException {
    // Segments whose documents are all deleted carry nothing a reader needs (a merge's inputs
    // stay mapped until the merge ends).
    for (List<SealedSegment> segs : segments) {
      segs.removeIf(s -> {
        if (s.live == 0 && !s.merging) {
          s.reader.close();
          return true;
        }
        return false;
      });
    }
    long next = version + 1;
    Path dir = versionDir(next);
    if (Files.exists(dir)) {
      deleteTree(dir);
    }
    Files.createDirectories(dir);
    Map<String, int[]> deleted = new HashMap<>();
    List<Manifest.Partition> partitions = new ArrayList<>();
    Set<String> files = new HashSet<>();
    for (int p = 0; p < segments.size(); p++) {
      List<Manifest.SegmentFile> entries = new ArrayList<>();
      for (SealedSegment s : segments.get(p)) {
        Files.createLink(dir.resolve(s.file()), segmentsDir.resolve(s.file()));
        files.add(s.file());
        entries.add(s.entry);
        if (!s.deleted.isEmpty()) {
          deleted.put(s.file(), s.deletedOrdinals());
        }
      }
      partitions.add(new Manifest.Partition(p, entries));
    }
    new VersionState(sealedSeq, lastSeq + 1, deleted).write(dir);
    Manifest m = Manifest.of(schema.name(), next, manifestSchema(schema), schema.engine().metric(),
        schema.engine().indexType(), schema.engine().buildParams(), partitions);
    Manifests.write(dir, m);
    AtomicFiles.fsyncDirectory(versionsDir);
    version = next;
    versions.put(next, files);
    pendingDeletes = false;
    unpublished = false;
    prune();
  }

  /** Deletes versions beyond the newest {@link StoreConfig#versionsKept} and the files only they linked. */
  private void prune() throws IOException {
    while (versions.size() > config.versionsKept()) {
      long oldest = versions.firstKey();
      deleteTree(versionDir(oldest));
      versions.remove(oldest);
    }
    deleteUnlinkedSegments();
  }

  private void deleteUnlinkedSegments() throws IOException {
    Set<String> keep = new HashSet<>();
    versions.values().forEach(keep::addAll);
    segments.forEach(l -> l.forEach(s -> keep.add(s.file())));
    try (Stream<Path> files = Files.list(segmentsDir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        boolean building = merges.stream().anyMatch(j -> j.parts().stream().anyMatch(p -> p.owns(name)));
        if (!keep.contains(name) && !building) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /** The engine's form of the schema's fields. */
  public static Manifest.Schema manifestSchema(SpaceSchema schema) {
    return new Manifest.Schema(schema.fields().stream()
        .map(f -> new Manifest.Field(f.name(), f.isVector() ? "vector" : f.type().column().name().toLowerCase(),
            f.dimension(), f.index()))
        .toList());
  }

  // ---- recovery ----

  private void recover() throws IOException {
    Files.createDirectories(segmentsDir);
    Files.createDirectories(versionsDir);
    List<Long> complete = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(versionsDir)) {
      for (Path d : dirs.toList()) {
        var v = DataLayout.parseVersionDir(d.getFileName().toString());
        if (v.isPresent() && Files.exists(d.resolve(Manifest.FILE_NAME))) {
          complete.add(v.getAsLong());
        } else {
          // Half a publication (a crash before the manifest): nobody can have seen it.
          deleteTree(d);
        }
      }
    }
    complete.sort(null);
    VersionState state = new VersionState(0, 1, Map.of());
    for (long v : complete) {
      Manifest m = Manifests.read(versionDir(v));
      Set<String> files = new HashSet<>();
      VersionState.segments(m).forEach(r -> files.add(r.file()));
      versions.put(v, files);
      files.forEach(f -> segmentCounter = Math.max(segmentCounter, counterOf(f)));
    }
    if (!complete.isEmpty()) {
      version = complete.getLast();
      Path dir = versionDir(version);
      Manifest m = Manifests.read(dir);
      state = VersionState.read(dir);
      for (VersionState.SegmentRef ref : VersionState.segments(m)) {
        Path file = Files.exists(segmentsDir.resolve(ref.file())) ? segmentsDir.resolve(ref.file()) : dir.resolve(ref.file());
        BitSet deleted = new BitSet();
        for (int o : state.deletedOf(ref.file())) {
          deleted.set(o);
        }
        SegmentReader reader = SegmentReader.open(file);
        Manifest.SegmentFile entry = m.partitions().get(ref.partition()).segments().stream()
            .filter(s -> s.file().equals(ref.file())).findFirst().orElseThrow();
        SealedSegment seg = new SealedSegment(ref.partition(), entry, reader, deleted);
        segments.get(ref.partition()).add(seg);
        index(seg);
      }
    }
    try (Stream<Path> files = Files.list(segmentsDir)) {
      files.forEach(f -> segmentCounter = Math.max(segmentCounter, counterOf(f.getFileName().toString())));
    }
    deleteUnlinkedSegments();
    lastSeq = state.lastWalSeq();
    sealedSeq = lastSeq;
    long published = lastSeq;
    wal = WriteAheadLog.open(layout.walDir(schema.db(), schema.name()), published, this::replay);
    // Document numbers are never reused, even where the log after the version was lost.
    lastSeq = Math.max(Math.max(lastSeq, state.nextDocSeq() - 1), wal.lastSeq());
    wal.deleteUpTo(published);
    LOG.log(System.Logger.Level.INFO, "{0}/{1}: version {2}, {3} sealed and {4} buffered documents, WAL at {5}",
        schema.db(), schema.name(), version, sealed.size(), buffer.size(), lastSeq);
  }

  private void replay(WalRecord r) {
    switch (r.type()) {
      case WalCodec.INDEX -> {
        Document d = codec.decodeIndex(r.payload());
        applyIndex(r.seq(), d, partitioner.partition(d.id()));
      }
      case WalCodec.DELETE -> applyDelete(r.seq(), WalCodec.decodeDelete(r.payload()));
      default -> throw new IllegalStateException("WAL record " + r.seq() + " of space " + schema.db() + "/"
          + schema.name() + " has unknown type " + r.type());
    }
  }

  private static int counterOf(String file) {
    int dash = file.indexOf('-');
    int dot = file.lastIndexOf(".seg");
    if (dash < 0 || dot < dash) {
      return 0;
    }
    try {
      return Integer.parseInt(file.substring(dash + 1, dot));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  // ---- ids ----

  private int partitionOf(String id, String path) {
    try {
      return partitioner.partition(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(path + ": " + e.getMessage());
    }
  }

  /** A fresh id: decimal for modulo spaces (the partitioner reads ids as numbers), random text otherwise. */
  private String generateId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    while (true) {
      String id;
      if (schema.partitioner().equals("modulo")) {
        id = Long.toString(r.nextLong(1_000_000_000_000_000L, Long.MAX_VALUE));
      } else {
        byte[] b = new byte[15];
        r.nextBytes(b);
        id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
      }
      if (!contains(id)) {
        return id;
      }
    }
  }

  // ---- stats, close, drop ----

  public SpaceStats stats() {
    List<SpaceStats.Partition> parts = new ArrayList<>();
    boolean any = false;
    boolean partial = false;
    for (int p = 0; p < segments.size(); p++) {
      List<SpaceStats.Segment> segs = new ArrayList<>();
      long live = 0;
      for (SealedSegment s : segments.get(p)) {
        segs.add(new SpaceStats.Segment(s.file(), s.size(), s.size() - s.live, s.type().name()));
        live += s.live;
        any = true;
        partial |= s.type() != schema.engine().indexType();
      }
      parts.add(new SpaceStats.Partition(p, live, segs));
    }
    return new SpaceStats(docCount(), buffer.size(), version, List.copyOf(versions.keySet()), parts,
        !any ? "empty" : partial ? "partial" : "indexed");
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
    for (List<SealedSegment> segs : segments) {
      segs.forEach(s -> s.reader.close());
      segs.clear();
    }
    if (wal != null) {
      wal.close();
      wal = null;
    }
  }

  /** Closes the store and deletes its log, segments and versions. */
  public void drop() throws IOException {
    close();
    deleteTree(layout.walDir(schema.db(), schema.name()));
    deleteTree(layout.spaceDir(schema.db(), schema.name()));
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
