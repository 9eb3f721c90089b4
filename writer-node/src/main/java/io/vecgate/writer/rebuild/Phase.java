package io.vecgate.writer.rebuild;

import java.util.Locale;

/** The steps of a rebuild, in order (the seven steps of the design, plus clean-up). */
public enum Phase {
  /** Count the source and compare with the serving version. */
  PRECHECK,
  /** Record the building target (key2). */
  MARK_BUILDING,
  /** Create the new versioned space, dropping a leftover of the same name. */
  CREATE,
  /** Stream the source into the new space's partitions. */
  LOAD,
  /** Build the index over everything loaded and publish the version. */
  BUILD,
  /** Every live reader maps and warms the version and acknowledges. */
  WARM,
  /** Count the new version and compare with the source and the old one. */
  POSTCHECK,
  /** Switch the alias atomically and clear key2. */
  SWITCH,
  /** Drop versions older than the ones kept for rollback. */
  CLEANUP;

  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
