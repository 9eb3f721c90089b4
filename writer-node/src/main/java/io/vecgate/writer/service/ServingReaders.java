package io.vecgate.writer.service;

import java.util.List;

/**
 * The readers as a manual alias switch checks them: which live readers that serve some of a
 * space's partitions do not yet serve (loaded and warmed) a version of it. A reader lists a
 * version in its state only once it is warm, so "serves" means both.
 */
@FunctionalInterface
public interface ServingReaders {

  /** No readers known: nothing to wait for (a writer without a cluster, tests). */
  ServingReaders NONE = (db, space, version, partitions) -> List.of();

  /**
   * The node ids of the live readers serving any of partitions {@code 0..partitions-1} (or all
   * partitions) that do not serve {@code db/space} at {@code version} or newer; empty when every one does.
   * A reader that refused the version (its memory budget) is named with why: {@code r2 (refused it: …)}.
   */
  List<String> notServing(String db, String space, long version, int partitions);
}
