package io.vecgate.reader.version;

import io.vecgate.engine.segment.SegmentReader;
import java.io.IOException;
import java.nio.file.Path;
import io.vecgate.engine.column.ColumnReader;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The open segment files of every loaded version, reference-counted. Segment files are written
 * once and a version directory holds hard links to them, so two versions of a space that list
 * the same file name hold the same bytes: the file is mapped once and shared, and unmapped when
 * the last version that uses it lets go. Thread-safe.
 */
public final class SharedSegments {

  /** A segment file as the space knows it: the same name in another space is another file. */
  private record FileKey(String db, String space, String file) {}

  private static final class Entry {
    final SegmentReader reader;
    int refs;
    /** {@code _id} to ordinal, built on first use and shared by every version listing the file. */
    Map<String, Integer> idIndex;

    Entry(SegmentReader reader) {
      this.reader = reader;
    }
  }

  private final Map<FileKey, Entry> open = new HashMap<>();

  /**
   * The reader of {@code file} of {@code db/space}, opening {@code path} (the version's link to
   * the file) when no loaded version holds it yet. Every call must be paired with one
   * {@link #release}.
   */
  public SegmentReader acquire(String db, String space, String file, Path path) throws IOException {
    FileKey key = new FileKey(db, space, file);
    synchronized (this) {
      Entry e = open.get(key);
      if (e != null) {
        e.refs++;
        return e.reader;
      }
    }
    // Opening maps and checks the whole file: done outside the lock so other loads go on.
    SegmentReader fresh = SegmentReader.open(path);
    synchronized (this) {
      Entry e = open.get(key);
      if (e != null) {
        // Another load opened it meanwhile: keep theirs, drop ours.
        e.refs++;
        fresh.close();
        return e.reader;
      }
      e = new Entry(fresh);
      e.refs = 1;
      open.put(key, e);
      return fresh;
    }
  }

  /**
   * The {@code _id} to ordinal index of an acquired {@code file}, built from {@code ids} once per
   * mapping: a version published by a refresh shares most segments with the one before, so it
   * must not rebuild an index of every document.
   */
  public Map<String, Integer> idIndex(String db, String space, String file, ColumnReader.KeywordColumn ids) {
    Entry e;
    synchronized (this) {
      e = open.get(new FileKey(db, space, file));
      if (e == null) {
        throw new IllegalStateException("segment " + file + " of " + db + "/" + space + " is not open");
      }
    }
    synchronized (e) {
      if (e.idIndex == null) {
        Map<String, Integer> m = new HashMap<>(Math.max(16, ids.size() * 4 / 3 + 1));
        for (int ord = 0; ord < ids.size(); ord++) {
          m.put(ids.get(ord), ord);
        }
        e.idIndex = Collections.unmodifiableMap(m);
      }
      return e.idIndex;
    }
  }

  /** Lets go of one reference to {@code file}; unmaps it when it was the last. */
  public void release(String db, String space, String file) {
    SegmentReader toClose = null;
    synchronized (this) {
      FileKey key = new FileKey(db, space, file);
      Entry e = open.get(key);
      if (e == null) {
        throw new IllegalStateException("segment " + file + " of " + db + "/" + space + " is not open");
      }
      if (--e.refs == 0) {
        open.remove(key);
        toClose = e.reader;
      }
    }
    if (toClose != null) {
      toClose.close();
    }
  }

  /** How many segment files are mapped now. */
  public synchronized int openFiles() {
    return open.size();
  }

  /** Bytes of the segment files mapped now (each shared file once). */
  public synchronized long mappedBytes() {
    long n = 0;
    for (Entry e : open.values()) {
      n += e.reader.fileSize();
    }
    return n;
  }

  /** How many loaded versions hold {@code file} of {@code db/space} (0 when it is not mapped). */
  public synchronized int references(String db, String space, String file) {
    Entry e = open.get(new FileKey(db, space, file));
    return e == null ? 0 : e.refs;
  }
}
