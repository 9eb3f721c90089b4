package io.vecgate.writer.store;

/**
 * Names of new segment files, {@code p{partition}-{counter}.seg}: the counter only grows, so a
 * name is never reused within a space (older versions may still link a file).
 */
final class SegmentNames {

  private int counter;

  /** A new name for a segment of {@code partition}. */
  String next(int partition) {
    return String.format("p%d-%08d.seg", partition, ++counter);
  }

  /** Makes later names come after {@code file}, an existing segment file's name. */
  void observe(String file) {
    counter = Math.max(counter, counterOf(file));
  }

  private static int counterOf(String file) {
    int dash = file.indexOf('-');
    int dot = file.lastIndexOf(".seg");
    if (dash < 0 || dot < dash) {
      return 0;
    }
    try {
      return Integer.parseInt(file.substring(dash + 1, dot));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
