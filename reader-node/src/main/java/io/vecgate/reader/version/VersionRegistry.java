package io.vecgate.reader.version;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The versions a reader serves, by space. A space has a newest version and, for a grace period
 * after a newer one became ready, older ones that still take searches. Thread-safe; every
 * method is short and never blocks on I/O.
 */
public final class VersionRegistry {

  /** Versions of one space, by number, and the space's drop epoch. */
  private static final class Space {
    final TreeMap<Long, LoadedVersion> versions = new TreeMap<>();
    long epoch;
  }

  private final Map<String, Space> spaces = new HashMap<>();
  private boolean closed;

  private Space space(String db, String space) {
    return spaces.computeIfAbsent(db + "/" + space, k -> new Space());
  }

  /**
   * The drop epoch of a space: a load started at one epoch must be thrown away if the space was
   * dropped before it finished ({@link #install} checks).
   */
  public synchronized long epoch(String db, String space) {
    return space(db, space).epoch;
  }

  /** What {@link #install} did. */
  public record Installed(boolean accepted, List<LoadedVersion> superseded) {}

  /**
   * Adds a warm version. It is refused (and retired at once) when the reader is closed, the space
   * was dropped since {@code epoch}, or the space already holds this version or a newer one (a
   * late load of an old version must not come back after its successor); otherwise the versions of the
   * space older than it are returned as superseded, for the caller to retire after the grace period.
   */
  public Installed install(LoadedVersion v, long epoch) {
    List<LoadedVersion> superseded = new ArrayList<>();
    boolean accepted;
    synchronized (this) {
      Space s = space(v.key().db(), v.key().space());
      accepted = !closed && s.epoch == epoch && (s.versions.isEmpty() || s.versions.lastKey() < v.key().version());
      if (accepted) {
        s.versions.put(v.key().version(), v);
        superseded.addAll(s.versions.headMap(v.key().version(), false).values());
      }
    }
    if (!accepted) {
      v.retire();
    }
    return new Installed(accepted, superseded);
  }

  /** Whether {@code version} (or a newer one) of the space is held. */
  public synchronized boolean holdsAtLeast(String db, String space, long version) {
    Space s = spaces.get(db + "/" + space);
    return s != null && !s.versions.isEmpty() && s.versions.lastKey() >= version;
  }

  /**
   * Removes {@code v} and retires it (it unmaps when its last search ends). Removing a version
   * that is not held any more does nothing.
   */
  public void remove(LoadedVersion v) {
    synchronized (this) {
      Space s = spaces.get(v.key().spaceName());
      if (s == null || s.versions.get(v.key().version()) != v) {
        return;
      }
      s.versions.remove(v.key().version());
    }
    v.retire();
  }

  /** Removes and retires every version of a space, and moves its epoch on so that running loads are refused. */
  public List<LoadedVersion> drop(String db, String space) {
    List<LoadedVersion> out;
    synchronized (this) {
      Space s = space(db, space);
      s.epoch++;
      out = new ArrayList<>(s.versions.values());
      s.versions.clear();
    }
    out.forEach(LoadedVersion::retire);
    return out;
  }

  /**
   * The version asked for, acquired for one search: the caller must {@link LoadedVersion#release()}
   * it. Empty when it is not held (or was retired a moment ago).
   */
  public Optional<LoadedVersion> acquire(String db, String space, long version) {
    LoadedVersion v;
    synchronized (this) {
      Space s = spaces.get(db + "/" + space);
      v = s == null ? null : s.versions.get(version);
    }
    return v != null && v.acquire() ? Optional.of(v) : Optional.empty();
  }

  /** Every version held, by space then version. */
  public synchronized List<LoadedVersion> versions() {
    List<LoadedVersion> out = new ArrayList<>();
    spaces.values().forEach(s -> out.addAll(s.versions.values()));
    out.sort(Comparator.comparing((LoadedVersion v) -> v.key().db()).thenComparing(v -> v.key().space())
        .thenComparingLong(v -> v.key().version()));
    return out;
  }

  /** The keys of {@link #versions()}. */
  public List<VersionKey> keys() {
    return versions().stream().map(LoadedVersion::key).toList();
  }

  /** Takes no more versions or searches: removes and retires everything. */
  public List<LoadedVersion> close() {
    List<LoadedVersion> out;
    synchronized (this) {
      closed = true;
      out = new ArrayList<>();
      spaces.values().forEach(s -> {
        out.addAll(s.versions.values());
        s.versions.clear();
      });
    }
    out.forEach(LoadedVersion::retire);
    return out;
  }
}
