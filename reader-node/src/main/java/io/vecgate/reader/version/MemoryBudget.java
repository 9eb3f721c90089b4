package io.vecgate.reader.version;

import io.vecgate.engine.manifest.Manifest;
import io.vecgate.protocol.api.ApiException;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.function.IntPredicate;

/**
 * How many bytes of segment files a reader may map ({@code --memory-budget}). A reader serves
 * from the page cache: a version whose files do not fit beside what it serves already would be
 * paged in and out on every query (or get the process killed in a container), so it is refused
 * before anything is mapped, and the reader keeps serving what it has.
 *
 * <p>A load is counted as the segment files of the served partitions that are not mapped yet
 * (a refresh shares most files with the version before; those cost nothing more) on top of
 * what is mapped now. Loads running at the same time reserve their bytes, so two of them cannot
 * both squeeze into the last gap. Thread-safe.
 */
public final class MemoryBudget {

  /** The default share of physical memory, minus the heap, that segment files may take. */
  public static final double DEFAULT_FRACTION = 0.75;

  private static final MemoryBudget UNLIMITED = new MemoryBudget(Long.MAX_VALUE);

  private final long bytes;
  private long reserved;

  private MemoryBudget(long bytes) {
    this.bytes = bytes;
  }

  /** A budget of {@code bytes} (at least 1). */
  public static MemoryBudget ofBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("memory budget must be >= 1 byte, got " + bytes);
    }
    return new MemoryBudget(bytes);
  }

  /** No limit (tests, embedded use). */
  public static MemoryBudget unlimited() {
    return UNLIMITED;
  }

  /**
   * {@value #DEFAULT_FRACTION} of this machine's (or container's) physical memory minus the
   * heap's maximum: the JVM's own memory is not page cache.
   */
  public static MemoryBudget defaults() {
    long physical = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
    long heap = Runtime.getRuntime().maxMemory();
    return new MemoryBudget(Math.max(64L << 20, (long) (physical * DEFAULT_FRACTION) - heap));
  }

  /**
   * Parses {@code --memory-budget}: bytes with an optional unit ({@code 512m}, {@code 4g},
   * {@code 1t}, {@code 65536}), a share of physical memory minus the heap ({@code 60%}), or
   * {@code unlimited}.
   *
   * @throws IllegalArgumentException naming the option and the value
   */
  public static MemoryBudget parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.equals("unlimited")) {
        return UNLIMITED;
      }
      if (t.endsWith("%")) {
        double share = Double.parseDouble(t.substring(0, t.length() - 1)) / 100;
        if (!(share > 0 && share <= 1)) {
          throw new IllegalArgumentException("--memory-budget: a share must be in (0%, 100%], got " + text);
        }
        long physical = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize();
        return ofBytes(Math.max(1, (long) (physical * share) - Runtime.getRuntime().maxMemory()));
      }
      long unit = switch (t.charAt(t.length() - 1)) {
        case 'k' -> 1L << 10;
        case 'm' -> 1L << 20;
        case 'g' -> 1L << 30;
        case 't' -> 1L << 40;
        default -> 1;
      };
      String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
      return ofBytes(Math.multiplyExact(Long.parseLong(digits), unit));
    } catch (NumberFormatException | ArithmeticException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("--memory-budget: expected bytes with an optional unit (512m, 4g), a share "
          + "of physical memory (60%) or 'unlimited', got '" + text + "'");
    }
  }

  public long bytes() {
    return bytes;
  }

  public boolean limited() {
    return bytes != Long.MAX_VALUE;
  }

  /**
   * Reserves what loading {@code manifest} would map beyond what {@code shared} maps already.
   * The caller maps the files and then calls {@link Reservation#close()} (the files now count
   * in {@link SharedSegments#mappedBytes()}).
   *
   * @throws ApiException 507 {@code memory_budget_exceeded} with the numbers when it does not fit
   */
  public Reservation reserve(VersionKey key, Manifest manifest, SharedSegments shared, IntPredicate serves) {
    long needed = 0;
    for (Manifest.Partition p : manifest.partitions()) {
      if (!serves.test(p.id())) {
        continue;
      }
      for (Manifest.SegmentFile f : p.segments()) {
        if (shared.references(key.db(), key.space(), f.file()) == 0) {
          needed += f.sizeBytes();
        }
      }
    }
    long mapped = shared.mappedBytes();
    synchronized (this) {
      if (limited() && mapped + reserved + needed > bytes) {
        throw new ApiException(507, "memory_budget_exceeded", key + " needs " + human(needed) + " of new segment "
            + "files; " + human(mapped) + " are mapped" + (reserved > 0 ? " and " + human(reserved) + " reserved by "
            + "loads under way" : "") + ", and the memory budget is " + human(bytes)
            + " (--memory-budget): release a version or give the reader more memory");
      }
      reserved += needed;
    }
    long held = needed;
    return () -> {
      synchronized (this) {
        reserved -= held;
      }
    };
  }

  /** {@code bytes} for people: 600 B, 12.5 KiB, 800.0 MiB, 4.0 GiB. */
  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes / 1024.0;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  @Override
  public String toString() {
    return limited() ? "memory budget " + human(bytes) : "no memory budget";
  }

  /** Bytes reserved by a load under way; closing it gives them back. */
  @FunctionalInterface
  public interface Reservation extends AutoCloseable {
    @Override
    void close();
  }
}
