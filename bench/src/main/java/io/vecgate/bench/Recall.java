package io.vecgate.bench;

import java.util.HashSet;
import java.util.Set;

/**
 * Recall@R: the share of the true {@code R} nearest neighbours found among the first {@code R}
 * results, averaged over queries. Both arrays hold input rows; {@code -1} in the ground truth
 * pads rows of filtered searches with fewer than {@code R} allowed documents.
 */
public final class Recall {

  private Recall() {}

  /**
   * Recall@{@code r} of {@code results} against {@code truth}, or {@code NaN} when the ground
   * truth is narrower than {@code r} (the value cannot be computed).
   */
  public static double at(int[][] results, int[][] truth, int r) {
    if (results.length != truth.length) {
      throw new IllegalArgumentException(results.length + " result rows but " + truth.length + " ground-truth rows");
    }
    if (r < 1) {
      throw new IllegalArgumentException("r must be >= 1, got " + r);
    }
    if (truth.length == 0 || truth[0].length < r) {
      return Double.NaN;
    }
    double sum = 0;
    int counted = 0;
    for (int q = 0; q < truth.length; q++) {
      Set<Integer> want = new HashSet<>();
      for (int i = 0; i < r; i++) {
        if (truth[q][i] >= 0) {
          want.add(truth[q][i]);
        }
      }
      if (want.isEmpty()) {
        continue; // no allowed document at all: the query says nothing about recall
      }
      int hit = 0;
      for (int i = 0; i < Math.min(r, results[q].length); i++) {
        if (want.contains(results[q][i])) {
          hit++;
        }
      }
      sum += (double) hit / want.size();
      counted++;
    }
    return counted == 0 ? Double.NaN : sum / counted;
  }
}
