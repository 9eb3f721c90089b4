package io.vecgate.writer.store;

/**
 * Settings of the space stores.
 *
 * @param versionsKept published versions kept on disk per space (older ones are deleted), >= 1
 * @param compactionSegments a partition with more segments than this is compacted into one
 * @param flatBelow segments with fewer documents are built FLAT (IVF types use at least 39 x nlist,
 *     what k-means needs to train nlist centroids)
 * @param busyIndexDocs while a space takes writes, a compacted segment is built with the space's
 *     index only from this many documents (and never below the {@code flatBelow} rule); smaller
 *     ones stay FLAT until the space is quiet (see {@link CompactionPolicy})
 */
public record StoreConfig(int versionsKept, int compactionSegments, int flatBelow, int busyIndexDocs) {

  /** Default of {@link #busyIndexDocs}. */
  public static final int BUSY_INDEX_DOCS = 100_000;

  public static final StoreConfig DEFAULTS = new StoreConfig(3, 4, 10_000);

  public StoreConfig {
    if (versionsKept < 1) {
      throw new IllegalArgumentException("versionsKept must be >= 1, got " + versionsKept);
    }
    if (compactionSegments < 1) {
      throw new IllegalArgumentException("compactionSegments must be >= 1, got " + compactionSegments);
    }
    if (flatBelow < 1) {
      throw new IllegalArgumentException("flatBelow must be >= 1, got " + flatBelow);
    }
    if (busyIndexDocs < 1) {
      throw new IllegalArgumentException("busyIndexDocs must be >= 1, got " + busyIndexDocs);
    }
  }

  /** With the default {@link #busyIndexDocs}. */
  public StoreConfig(int versionsKept, int compactionSegments, int flatBelow) {
    this(versionsKept, compactionSegments, flatBelow, BUSY_INDEX_DOCS);
  }
}
