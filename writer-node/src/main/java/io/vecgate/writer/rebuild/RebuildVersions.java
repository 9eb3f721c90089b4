package io.vecgate.writer.rebuild;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The versioned names of rebuilds ({@code prefix_vN}) and which older ones a finished rebuild drops. */
final class RebuildVersions {

  private static final Pattern VERSIONED = Pattern.compile("(.+)_v(\\d{1,9})");

  private RebuildVersions() {}

  /** N of {@code prefix_vN}, or 0 for a name of another prefix (or none). */
  static int number(String prefix, String space) {
    Matcher m = VERSIONED.matcher(space);
    return m.matches() && m.group(1).equals(prefix) ? Integer.parseInt(m.group(2)) : 0;
  }

  /** The prefix of a versioned name, or null. */
  static String prefix(String space) {
    Matcher m = VERSIONED.matcher(space);
    return m.matches() ? m.group(1) : null;
  }

  /**
   * The versions of {@code newest}'s prefix older than it, beyond the {@code keep} newest of them,
   * leaving out every space in {@code served} (an alias serves it: dropping it would delete the alias).
   */
  static List<String> toDrop(List<String> spaces, String newest, int keep, Set<String> served) {
    String prefix = prefix(newest);
    int n = prefix == null ? 0 : number(prefix, newest);
    List<String> older = new ArrayList<>();
    for (String s : spaces) {
      int v = number(prefix, s);
      if (v > 0 && v < n) {
        older.add(s);
      }
    }
    older.sort(Comparator.comparingInt((String s) -> number(prefix, s)).reversed());
    List<String> out = new ArrayList<>(older.subList(Math.min(keep, older.size()), older.size()));
    out.removeAll(served);
    return out;
  }
}
