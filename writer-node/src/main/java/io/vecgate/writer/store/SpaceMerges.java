package io.vecgate.writer.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The merges of one space in flight: picked ({@link #pick}), built elsewhere
 * ({@link MergeJob#build}), then taken back to be swapped in ({@link #take}) or abandoned. A
 * picked job holds its inputs (marked {@link SealedSegment#merging}) so that no other pick takes
 * them and they stay mapped, and owns its output files until it ends. Not thread-safe: used on
 * the space's lane, as its {@link SpaceStore}.
 */
final class SpaceMerges {

  private final SegmentSet segments;
  private final MergePolicy policy;
  private final SegmentBuilder builder;
  private final SegmentNames names;
  private final Path segmentsDir;
  private final Set<MergeJob> jobs = new HashSet<>();

  SpaceMerges(SegmentSet segments, MergePolicy policy, SegmentBuilder builder, SegmentNames names, Path segmentsDir) {
    this.segments = segments;
    this.policy = policy;
    this.builder = builder;
    this.names = names;
    this.segmentsDir = segmentsDir;
  }

  /**
   * Picks the segments to merge in each partition, among those no other merge holds, and
   * reserves them (and the output names) for the returned job.
   *
   * @return the job, or null when nothing needs merging
   */
  MergeJob pick(MergeJob.Scope scope) {
    List<MergeJob.Part> parts = new ArrayList<>();
    for (int p = 0; p < segments.partitions(); p++) {
      List<SealedSegment> free = segments.of(p).stream().filter(s -> !s.merging).toList();
      List<SealedSegment> pick = policy.pick(free, scope);
      if (pick != null) {
        parts.add(new MergeJob.Part(p, pick, names.next(p)));
      }
    }
    if (parts.isEmpty()) {
      return null;
    }
    MergeJob job = new MergeJob(parts, builder, segmentsDir, policy.indexFrom(scope));
    parts.forEach(part -> part.inputs.forEach(s -> s.merging = true));
    jobs.add(job);
    return job;
  }

  /** Whether {@code job} is in flight here (not yet taken, abandoned or discarded). */
  boolean holds(MergeJob job) {
    return jobs.contains(job);
  }

  /**
   * Takes a built job back to swap its output in. A job whose build failed or was cancelled is
   * discarded (its output deleted, its inputs freed) and its failure thrown.
   *
   * @return whether it is taken (false: it was cancelled)
   */
  boolean take(MergeJob job) throws IOException {
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
  void abandon(MergeJob job) {
    if (jobs.contains(job)) {
      discard(job);
    }
  }

  /** Abandons every job in flight. */
  void abandonAll() {
    List.copyOf(jobs).forEach(this::discard);
  }

  /** Whether {@code file} in the segments directory is being written by a merge in flight. */
  boolean building(String file) {
    return jobs.stream().anyMatch(j -> j.parts().stream().anyMatch(p -> p.owns(file)));
  }

  /** Whether a merge in flight builds the space's index (not FLAT) for some partition. */
  boolean indexing() {
    return jobs.stream().anyMatch(j -> j.parts().stream().anyMatch(j::indexes));
  }

  private void discard(MergeJob job) {
    job.cancel();
    job.deleteOutput();
    jobs.remove(job);
    job.parts().forEach(part -> part.inputs.forEach(s -> s.merging = false));
  }
}
