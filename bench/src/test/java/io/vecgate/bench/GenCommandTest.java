package io.vecgate.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vecgate.bench.data.Texmex;
import io.vecgate.bench.testkit.TinyDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenCommandTest {

  @Test
  void groundTruthIsTheExactTopKInDoublePrecision(@TempDir Path dir) throws Exception {
    TinyDataset.generate(dir, 600, 12, 10);
    float[][] base = Texmex.readFvecsArrays(dir.resolve("base.fvecs"), 0);
    float[][] queries = Texmex.readFvecsArrays(dir.resolve("query.fvecs"), 0);
    int[][] truth = Texmex.readIvecs(dir.resolve("groundtruth.ivecs"), 0);
    assertEquals(600, base.length);
    assertEquals(20, queries.length);
    assertEquals(10, truth[0].length);
    for (int q = 0; q < queries.length; q++) {
      float[] query = queries[q];
      int[] expected = IntStream.range(0, base.length).boxed()
          .sorted(Comparator.comparingDouble((Integer i) -> l2(query, base[i])).thenComparing(i -> i))
          .limit(10).mapToInt(Integer::intValue).toArray();
      assertArrayEquals(expected, truth[q], "query " + q);
    }
  }

  @Test
  void sameSeedGivesIdenticalFiles(@TempDir Path a, @TempDir Path b) throws Exception {
    TinyDataset.generate(a, 300, 4, 5);
    TinyDataset.generate(b, 300, 4, 5);
    for (String f : new String[] {"base.fvecs", "query.fvecs", "groundtruth.ivecs"}) {
      assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
    }
  }

  @Test
  void uniformComponentsLieInZeroToOne(@TempDir Path dir) throws Exception {
    var r = TinyDataset.bench("gen", "--n", "200", "--dim", "6", "--queries", "3", "--k", "4", "--uniform",
        "--out", dir.toString());
    assertEquals(0, r.exitCode(), r.err());
    float[][] base = Texmex.readFvecsArrays(dir.resolve("base.fvecs"), 0);
    assertEquals(true, Arrays.stream(base).allMatch(v -> {
      for (float x : v) {
        if (x < 0 || x >= 1) {
          return false;
        }
      }
      return true;
    }));
  }

  private static double l2(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (double) a[i] - b[i];
      s += d * d;
    }
    return s;
  }
}
