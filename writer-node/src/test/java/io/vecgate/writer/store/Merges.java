package io.vecgate.writer.store;

import java.io.IOException;

/**
 * A store's merges run on the caller's thread, as the writer runs them across its lane and its
 * merge thread: pick, build, finish (publishing a version when anything merged).
 */
final class Merges {

  private Merges() {}

  /** The tiered merge of small segments ({@link MergePolicy}); whether a version was published. */
  static boolean tiered(SpaceStore s) throws IOException {
    return run(s, MergeJob.Scope.TIERED);
  }

  /**
   * The quiet merge: every partition down to one segment (with the space's index type when large
   * enough); whether a version was published.
   */
  static boolean all(SpaceStore s) throws IOException {
    return run(s, MergeJob.Scope.ALL);
  }

  private static boolean run(SpaceStore s, MergeJob.Scope scope) throws IOException {
    MergeJob job = s.pickMerge(scope);
    if (job == null) {
      return false;
    }
    job.build();
    return s.finishMerge(job);
  }
}
