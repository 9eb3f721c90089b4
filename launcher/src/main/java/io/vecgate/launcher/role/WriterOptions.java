package io.vecgate.launcher.role;

import io.vecgate.launcher.config.Durations;
import io.vecgate.writer.bus.WriteAdmission;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options of the writer role (also taken by standalone). */
public final class WriterOptions {

  @Option(names = "--refresh-interval", defaultValue = "1s", converter = Durations.class,
      description = "Buffered writes are sealed and published this often. Default: ${DEFAULT-VALUE}")
  Duration refreshInterval;

  @Option(names = "--seal-docs", defaultValue = "100000",
      description = "A space's buffer is sealed early once it holds this many documents. Default: ${DEFAULT-VALUE}")
  int sealDocs;

  @Option(names = "--versions-kept", defaultValue = "3",
      description = "Published versions kept per space (for readers still on them and rollback). Default: ${DEFAULT-VALUE}")
  int versionsKept;

  // The option keeps its first name (users' scripts pass it); what it tunes is called compaction now.
  @Option(names = "--merge-segments", defaultValue = "4",
      description = "A partition with more segments than this is compacted (its segments merged into fewer; "
          + "the option keeps its older name). Default: ${DEFAULT-VALUE}")
  int compactionSegments;

  @Option(names = "--flat-below", defaultValue = "10000",
      description = "Segments with fewer documents are built FLAT (exact) until compacted. Default: ${DEFAULT-VALUE}")
  int flatBelow;

  @Option(names = "--quiet-period", defaultValue = "3s", converter = Durations.class,
      description = "A space with no write for this long is compacted into one indexed segment per partition "
          + "(seals are FLAT, exact; index builds wait for quiet or large compactions). Default: ${DEFAULT-VALUE}")
  Duration quietPeriod;

  @Option(names = "--build-threads", defaultValue = "0",
      description = "Threads an index build may use while the writer takes writes (0: one core less than the machine "
          + "has, at least 1); a quiet writer builds on every core. Default: ${DEFAULT-VALUE}")
  int buildThreads;

  @Option(names = "--busy-index-docs", defaultValue = "100000",
      description = "While a space takes writes, compacted segments get the space's index only from this many "
          + "documents (smaller ones stay FLAT until the space is quiet). Default: ${DEFAULT-VALUE}")
  int busyIndexDocs;

  @Option(names = "--rebuild-keep", defaultValue = "1",
      description = "Versions of an alias a rebuild keeps besides the one it switches to, for rollback; older "
          + "versioned spaces are dropped. Default: ${DEFAULT-VALUE}")
  int rebuildKeep;

  @Option(names = "--rebuild-batch", defaultValue = "1000",
      description = "Rows a rebuild reads from its source and loads at a time. Default: ${DEFAULT-VALUE}")
  int rebuildBatch;

  @Option(names = "--rebuild-timeout", defaultValue = "30m", converter = Durations.class,
      description = "How long a rebuild waits for its index build, and then for every live reader to load and warm "
          + "the new version. Default: ${DEFAULT-VALUE}")
  Duration rebuildTimeout;

  @Option(names = "--max-inflight-writes", defaultValue = "" + 64,
      description = "Document writes (_bulk, index, delete) the writer holds in flight at most; more are answered "
          + "429 with Retry-After and nothing of them is applied. Default: ${DEFAULT-VALUE}")
  int maxInflightWrites;

  @Option(names = "--max-inflight-write-bytes", defaultValue = "536870912",
      description = "Body bytes of the document writes in flight at most (429 above; one write alone is always "
          + "taken). Default: ${DEFAULT-VALUE}")
  long maxInflightWriteBytes;

  @Option(names = "--write-retry-after", defaultValue = "1s", converter = Durations.class,
      description = "The Retry-After of a shed write (whole seconds). Default: ${DEFAULT-VALUE}")
  Duration writeRetryAfter;

  /** @throws IllegalArgumentException naming the option and the value */
  WriteAdmission.Limits writeLimits() {
    return new WriteAdmission.Limits(maxInflightWrites, maxInflightWriteBytes, writeRetryAfter);
  }
}
