package io.vecgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.search.SearchParams;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchParamsTest {

  @Test
  void queryTimeNamesGoToSearchParamsTheRestToTheBuilder() {
    BenchParams p = BenchParams.parse("nlist=1024,m=16,nprobe=8,ef=40,quick=true,rerank=4");
    assertEquals(Map.of("nlist", "1024", "m", "16"), p.build().asMap());
    assertEquals(new SearchParams(8, 40, true, 4, false), p.search());
  }

  @Test
  void sweepAppliesEachValueToTheBase() {
    List<BenchParams.SweepPoint> pts = BenchParams.sweep("nprobe=1,16", SearchParams.DEFAULTS.withEf(5));
    assertEquals(2, pts.size());
    assertEquals("nprobe=16", pts.get(1).label());
    assertEquals(new SearchParams(16, 5, false, 0, false), pts.get(1).params());
    assertEquals("", BenchParams.sweep(null, SearchParams.DEFAULTS).getFirst().label());
  }

  @Test
  void buildTimeSweepsAreRejectedWithAReason() {
    var e = assertThrows(IllegalArgumentException.class, () -> BenchParams.sweep("nlist=1,2", SearchParams.DEFAULTS));
    assertTrue(e.getMessage().contains("query-time"), e.getMessage());
  }
}
