package io.vecgate.writer.store;

import java.io.IOException;

/**
 * A store's compactions run on the caller's thread, as the writer runs them across its lane and its
 * compaction thread: pick, build, finish (publishing a version when anything was compacted).
 */
final class Compactions {

  private Compactions() {}

  /** The tiered compaction of small segments ({@link CompactionPolicy}); whether a version was published. */
  static boolean tiered(SpaceStore s) throws IOException {
    return run(s, CompactionJob.Scope.TIERED);
  }

  /**
   * The quiet compaction: every partition down to one segment (with the space's index type when
   * large enough); whether a version was published.
   */
  static boolean all(SpaceStore s) throws IOException {
    return run(s, CompactionJob.Scope.ALL);
  }

  private static boolean run(SpaceStore s, CompactionJob.Scope scope) throws IOException {
    CompactionJob job = s.pickCompaction(scope);
    if (job == null) {
      return false;
    }
    job.build();
    return s.finishCompaction(job);
  }
}
