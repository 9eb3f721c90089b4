package io.vecgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecallTest {

  private static final int[][] TRUTH = {{1, 2, 3, 4}, {5, 6, 7, 8}};

  @Test
  void countsHitsAmongTheFirstRResultsAveragedOverQueries() {
    int[][] results = {{1, 3, 9, 2}, {6, 5, 9, 9}};
    // @1: q0 finds 1 (hit), q1 finds 6 (miss) -> 0.5
    assertEquals(0.5, Recall.at(results, TRUTH, 1), 1e-12);
    // @2: q0 {1,3} vs {1,2} -> 1/2; q1 {6,5} vs {5,6} -> 2/2; mean 0.75
    assertEquals(0.75, Recall.at(results, TRUTH, 2), 1e-12);
    // @4: q0 {1,3,9,2} vs {1,2,3,4} -> 3/4; q1 -> 2/4
    assertEquals(0.625, Recall.at(results, TRUTH, 4), 1e-12);
  }

  @Test
  void shortResultListsCountMissingHitsAsMisses() {
    assertEquals(0.25, Recall.at(new int[][] {{1}, {}}, TRUTH, 2), 1e-12);
  }

  @Test
  void notComputableWhenTheGroundTruthIsTooNarrow() {
    assertTrue(Double.isNaN(Recall.at(new int[][] {{1}, {5}}, TRUTH, 10)));
  }

  @Test
  void paddingInFilteredGroundTruthShrinksTheDenominator() {
    int[][] truth = {{4, -1, -1}};
    assertEquals(1.0, Recall.at(new int[][] {{4, 7, 8}}, truth, 3), 1e-12);
  }
}
