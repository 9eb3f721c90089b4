package io.vecgate.writer.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The compactions of one space in flight: picked ({@link #pick}), built elsewhere
 * ({@link CompactionJob#build}), then taken back to be swapped in ({@link #take}) or abandoned. A
 * picked job holds its inputs (marked {@link SealedSegment#compacting}) so that no other pick takes
 * them and they stay mapped, and owns its output files until it ends. Not thread-safe: used on
 * the space's lane, as its {@link SpaceStore}.
 */
final class SpaceCompactions {

  private final SegmentSet segments;
  private final CompactionPolicy policy;
  private final SegmentBuilder builder;
  private final SegmentNames names;
  private final Path segmentsDir;
  private final Set<CompactionJob> jobs = new HashSet<>();

  SpaceCompactions(SegmentSet segments, CompactionPolicy policy, SegmentBuilder builder, SegmentNames names,
                   Path segmentsDir) {
    this.segments = segments;
    this.policy = policy;
    this.builder = builder;
    this.names = names;
    this.segmentsDir = segmentsDir;
  }

  /**
   * Picks the segments to compact in each partition, among those no other compaction holds, and
   * reserves them (and the output names) for the returned job.
   *
   * @return the job, or null when nothing needs compacting
   */
  CompactionJob pick(CompactionJob.Scope scope) {
    List<CompactionJob.Part> parts = new ArrayList<>();
    for (int p = 0; p < segments.partitions(); p++) {
      List<SealedSegment> free = segments.of(p).stream().filter(s -> !s.compacting).toList();
      List<SealedSegment> pick = policy.pick(free, scope);
      if (pick != null) {
        parts.add(new CompactionJob.Part(p, pick, names.next(p)));
      }
    }
    if (parts.isEmpty()) {
      return null;
    }
    CompactionJob job = new CompactionJob(parts, builder, segmentsDir, policy.indexFrom(scope));
    parts.forEach(part -> part.inputs.forEach(s -> s.compacting = true));
    jobs.add(job);
    return job;
  }

  /** Whether {@code job} is in flight here (not yet taken, abandoned or discarded). */
  boolean holds(CompactionJob job) {
    return jobs.contains(job);
  }

  /**
   * Takes a built job back to swap its output in. A job whose build failed or was cancelled is
   * discarded (its output deleted, its inputs freed) and its failure thrown.
   *
   * @return whether it is taken (false: it was cancelled)
   */
  boolean take(CompactionJob job) throws IOException {
    assert jobs.contains(job);
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
    jobs.remove(job);
    return true;
  }

  /** Cancels {@code job} if in flight (waiting for a running build to stop), deletes its output, frees its inputs. */
  void abandon(CompactionJob job) {
    if (jobs.contains(job)) {
      discard(job);
    }
  }

  /** Abandons every job in flight. */
  void abandonAll() {
    List.copyOf(jobs).forEach(this::discard);
  }

  /** Whether {@code file} in the segments directory is being written by a compaction in flight. */
  boolean building(String file) {
    return jobs.stream().anyMatch(j -> j.parts().stream().anyMatch(p -> p.owns(file)));
  }

  /** Whether a compaction in flight builds the space's index (not FLAT) for some partition. */
  boolean indexing() {
    return jobs.stream().anyMatch(j -> j.parts().stream().anyMatch(j::indexes));
  }

  private void discard(CompactionJob job) {
    job.cancel();
    job.deleteOutput();
    jobs.remove(job);
    job.parts().forEach(part -> part.inputs.forEach(s -> s.compacting = false));
  }
}
