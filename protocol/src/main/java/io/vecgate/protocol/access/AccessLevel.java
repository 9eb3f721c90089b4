package io.vecgate.protocol.access;

import java.util.Locale;

/**
 * What a request needs, from least to most: {@link #READ} (searches, gets, listings), {@link #WRITE}
 * (documents, refreshes) and {@link #ADMIN} (creating and dropping dbs and spaces, aliases, jobs,
 * gc, compaction, reader load and release). A token of a level opens that level and every one
 * below it: a write token also reads, an admin token also writes.
 */
public enum AccessLevel {
  READ,
  WRITE,
  ADMIN;

  /** Whether a token of this level opens a request that needs {@code needed}. */
  public boolean covers(AccessLevel needed) {
    return compareTo(needed) >= 0;
  }

  /** {@code read}, {@code write} or {@code admin}: the word of the options, the docs and the error reasons. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
