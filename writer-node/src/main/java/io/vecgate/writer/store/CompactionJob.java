package io.vecgate.writer.store;

import io.vecgate.engine.column.ColumnReader;
import io.vecgate.engine.segment.SegmentField;
import io.vecgate.engine.segment.SegmentReader;
import io.vecgate.engine.segment.WrittenSegment;
import io.vecgate.space.FieldSpec;
import io.vecgate.store.DataLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * One compaction of a space: the segments picked in each partition, and the compacted segments
 * built from their live documents as of the pick.
 *
 * <p>Life: {@link SpaceStore#pickCompaction} (on the lane) picks the inputs, marks them so that no
 * other compaction takes them, copies their tombstones and reserves the output file names;
 * {@link #build} (on a compaction thread, while the lane goes on writing) writes and opens the
 * compacted segments; {@link SpaceStore#finishCompaction} (on the lane) swaps them in, carrying
 * over the deletes made during the build, and publishes. A build that fails or is cancelled deletes
 * what it wrote; {@link SpaceStore#abandonCompaction} and {@link SpaceStore#close} cancel a job and
 * delete its output.
 *
 * <p>{@link #build} reads the input segments only through their readers (safe for concurrent
 * reads) and the tombstone copies; it touches no other store state.
 */
public final class CompactionJob {

  /** What a pick considers (see {@link CompactionPolicy}). */
  public enum Scope {
    /** While the space takes writes: tiered compactions of small segments, FLAT unless large. */
    TIERED,
    /** Once the space is quiet: every partition down to one segment, with the space's index. */
    ALL
  }

  /** Points of a build where a test can hold it or make it fail. */
  enum Stage { BUILD_START, FILE_WRITTEN }

  /** Test hook, called by the build thread at each {@link Stage}. */
  interface Hook {
    void at(Stage stage) throws IOException;
  }

  /** One partition's share: inputs, their tombstones at the pick, and the output once built. */
  static final class Part {
    final int partition;
    final List<SealedSegment> inputs;
    final List<BitSet> deletedAtPick;
    final String file;
    /** Set by the build; null when every input document was already deleted at the pick. */
    WrittenSegment written;
    SegmentReader reader;

    Part(int partition, List<SealedSegment> inputs, String file) {
      this.partition = partition;
      this.inputs = List.copyOf(inputs);
      this.deletedAtPick = inputs.stream().map(s -> (BitSet) s.deleted.clone()).toList();
      this.file = file;
    }

    /** Live documents of the inputs at the pick: the compacted segment's size. */
    int liveAtPick() {
      int n = 0;
      for (int i = 0; i < inputs.size(); i++) {
        n += inputs.get(i).size() - deletedAtPick.get(i).cardinality();
      }
      return n;
    }

    /** Whether {@code name} in the segments directory is this part's output or its temporary file. */
    boolean owns(String name) {
      return name.equals(file) || name.startsWith("." + file + ".tmp-");
    }
  }

  private enum State { NEW, RUNNING, ENDED }

  private final List<Part> parts;
  private final SegmentBuilder builder;
  private final Path segmentsDir;
  private final List<FieldSpec> vectorFields;
  private final int[] vectorOffsets;
  /**
   * Compacted segments of at least this many documents get the space's index (see
   * {@link CompactionPolicy#indexFrom}).
   */
  private final int indexFrom;
  private volatile boolean cancelled;
  /** Guarded by {@code this}. */
  private State state = State.NEW;
  /** Written by the build before it ends; read on the lane after the hand-off. */
  private Throwable failure;
  volatile Hook hook = stage -> {};

  CompactionJob(List<Part> parts, SegmentBuilder builder, Path segmentsDir, int indexFrom) {
    this.parts = List.copyOf(parts);
    this.builder = builder;
    this.segmentsDir = segmentsDir;
    this.vectorFields = builder.schema().vectorFields();
    this.vectorOffsets = vectorFields.stream().mapToInt(f -> builder.schema().vectorOffset(f)).toArray();
    this.indexFrom = indexFrom;
  }

  List<Part> parts() {
    return parts;
  }

  /** Whether a compacted segment of {@code part} is built with the space's index (not FLAT). */
  boolean indexes(Part part) {
    int n = part.liveAtPick();
    return n >= indexFrom && builder.typeFor(n) != io.vecgate.engine.index.IndexType.FLAT;
  }

  /**
   * Builds, writes and opens the compacted segment of every part, on the calling thread. Never
   * throws: a failure is kept for {@link SpaceStore#finishCompaction}, which rethrows it, and what
   * the build wrote is deleted. Returns at once when the job was cancelled before it started.
   */
  public void build() {
    synchronized (this) {
      if (state != State.NEW) {
        return;
      }
      state = State.RUNNING;
    }
    try {
      hook.at(Stage.BUILD_START);
      for (Part p : parts) {
        buildPart(p);
      }
      checkCancelled();
    } catch (Throwable t) {
      if (!(t instanceof CancellationException) || !cancelled) {
        failure = t;
      }
      deleteOutput();
    } finally {
      synchronized (this) {
        state = State.ENDED;
        notifyAll();
      }
    }
  }

  /** Whether the build ended with an error (after {@link #build} returned). */
  boolean failed() {
    return failure != null;
  }

  Throwable failure() {
    return failure;
  }

  boolean cancelled() {
    return cancelled;
  }

  /**
   * Stops the job: a build not yet started never runs; a running one stops at its next check
   * (between rows while it copies vectors, after each index) and this waits until it has. An
   * index being built is not interrupted, so this can wait for one partition's index build.
   */
  void cancel() {
    cancelled = true;
    synchronized (this) {
      if (state == State.NEW) {
        state = State.ENDED;
        return;
      }
      boolean interrupted = false;
      while (state == State.RUNNING) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Closes and deletes the compacted segments (after the build ended). */
  void deleteOutput() {
    for (Part p : parts) {
      if (p.reader != null) {
        p.reader.close();
        p.reader = null;
      }
      p.written = null;
      try {
        Files.deleteIfExists(segmentsDir.resolve(p.file));
      } catch (IOException e) {
        // Unlinked files are deleted at the next publish or open.
        System.getLogger(CompactionJob.class.getName()).log(System.Logger.Level.WARNING,
            "deleting the abandoned compaction output " + p.file, e);
      }
    }
  }

  private void buildPart(Part p) throws IOException {
    int total = p.liveAtPick();
    if (total == 0) {
      return;
    }
    // Row r: input segment src[r], ordinal ord[r] there.
    int[] src = new int[total];
    int[] ord = new int[total];
    int r = 0;
    // fields.get(i)[f]: vector field f of input i (a version-1 input's one field answers to the name).
    List<SegmentField[]> fields = new ArrayList<>();
    List<ColumnReader.KeywordColumn> ids = new ArrayList<>();
    for (int i = 0; i < p.inputs.size(); i++) {
      SealedSegment s = p.inputs.get(i);
      BitSet deleted = p.deletedAtPick.get(i);
      for (int o = deleted.nextClearBit(0); o < s.size(); o = deleted.nextClearBit(o + 1)) {
        src[r] = i;
        ord[r++] = o;
      }
      fields.add(vectorFields.stream().map(f -> s.reader.field(f.name())).toArray(SegmentField[]::new));
      ids.add((ColumnReader.KeywordColumn) s.reader.column(DataLayout.ID_COLUMN));
    }
    int n = total;
    Path out = segmentsDir.resolve(p.file);
    p.written = builder.write(out, new Rows() {
      public int size() {
        return n;
      }

      public long seq(int row) {
        return p.inputs.get(src[row]).reader.id(ord[row]);
      }

      public String id(int row) {
        return ids.get(src[row]).get(ord[row]);
      }

      public void vector(int row, float[] dst) {
        if ((row & 1023) == 0) {
          checkCancelled();
        }
        SegmentField[] in = fields.get(src[row]);
        for (int f = 0; f < in.length; f++) {
          in[f].copyVector(ord[row], dst, vectorOffsets[f]);
        }
      }

      public Object scalar(int row, FieldSpec f) {
        return p.inputs.get(src[row]).reader.column(f.name()).value(ord[row]);
      }
    }, total >= indexFrom);
    hook.at(Stage.FILE_WRITTEN);
    checkCancelled();
    p.reader = SegmentReader.open(out);
  }

  private void checkCancelled() {
    if (cancelled) {
      throw new CancellationException("compaction cancelled");
    }
  }
}
