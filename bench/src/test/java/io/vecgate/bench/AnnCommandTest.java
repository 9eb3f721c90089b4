package io.vecgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.bench.testkit.TinyDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnCommandTest {

  @TempDir static Path data;

  @BeforeAll
  static void generate() {
    TinyDataset.generate(data, 1000, 16, 100);
  }

  private static List<String> runAnn(Path csv, String... extra) throws Exception {
    String[] base = {"ann", "--base", data.resolve("base.fvecs").toString(), "--query",
        data.resolve("query.fvecs").toString(), "--index", "FLAT", "--metric", "L2", "--k", "10",
        "--threads", "2", "--warmup", "5", "--warmup-seconds", "0", "--csv", csv.toString()};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    TinyDataset.Run r = TinyDataset.bench(args);
    assertEquals(0, r.exitCode(), r.err() + r.out());
    return Files.readAllLines(csv);
  }

  @Test
  void flatFindsEveryTrueNeighbour(@TempDir Path out) throws Exception {
    List<String> lines = runAnn(out.resolve("r.csv"), "--gt", data.resolve("groundtruth.ivecs").toString(),
        "--batch", "4");
    assertEquals(ResultCsv.HEADER, lines.get(0));
    assertEquals(2, lines.size());
    String[] f = lines.get(1).split(",", -1);
    assertEquals("vecgate:FLAT", f[0]);
    assertEquals("1.0000", f[3]);
    assertEquals("1.0000", f[4]);
    assertEquals("1.0000", f[5]); // recall@100 from an extra k=100 search
    assertTrue(Double.parseDouble(f[6]) > 0 && Double.parseDouble(f[7]) > 0);
    assertEquals(Long.toString(1000L * 16 * 4), f[11]);
  }

  @Test
  void computesGroundTruthWhenAbsentAndOneRowPerSweepValue(@TempDir Path out) throws Exception {
    List<String> lines = runAnn(out.resolve("r.csv"), "--sweep", "exact=false,true", "--queries", "7");
    assertEquals(3, lines.size());
    assertTrue(lines.get(2).startsWith("vecgate:FLAT,,exact=true,1.0000,1.0000,1.0000,"), lines.get(2));
  }

  @Test
  void filteredSearchIsMeasuredAgainstFilteredGroundTruth(@TempDir Path out) throws Exception {
    List<String> lines = runAnn(out.resolve("r.csv"), "--filter-percent", "5");
    assertTrue(lines.get(1).startsWith("vecgate:FLAT,,,1.0000,1.0000,1.0000,"), lines.get(1));
  }
}
