package io.vecgate.reader.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.manifest.Manifest;
import io.vecgate.engine.vector.Metric;
import io.vecgate.protocol.api.ApiException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing {@code --memory-budget} and counting a load's new bytes against it. */
class MemoryBudgetTest {

  @Test
  void parsesBytesUnitsSharesAndUnlimited() {
    assertEquals(65536, MemoryBudget.parse("65536").bytes());
    assertEquals(512L << 20, MemoryBudget.parse("512m").bytes());
    assertEquals(4L << 30, MemoryBudget.parse("4G").bytes());
    assertEquals(3L << 10, MemoryBudget.parse(" 3k ").bytes());
    assertFalse(MemoryBudget.parse("unlimited").limited());
    assertTrue(MemoryBudget.parse("90%").bytes() > 0);
    assertTrue(MemoryBudget.defaults().limited());
  }

  @Test
  void refusesWhatItCannotParseNamingTheOption() {
    for (String bad : List.of("", "m", "12x", "-5", "0", "0%", "150%", "abc%", "99999999999t")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemoryBudget.parse(bad), bad);
      assertTrue(e.getMessage().contains("memory budget") || e.getMessage().startsWith("--memory-budget"),
          e.getMessage());
    }
  }

  @Test
  void countsOnlyFilesNotMappedYetAndReservesWhileALoadRuns() {
    MemoryBudget budget = MemoryBudget.ofBytes(1000);
    SharedSegments none = new SharedSegments();
    VersionKey key = new VersionKey("db", "sp", 2);
    Manifest.SegmentFile a = new Manifest.SegmentFile("a.seg", 600, 0, 10);
    Manifest.SegmentFile b = new Manifest.SegmentFile("b.seg", 600, 0, 10);
    Manifest two = Manifest.of("sp", 2, new Manifest.Schema(List.of(new Manifest.Field("v", "vector", 4, true))),
        Metric.L2, IndexType.FLAT, Map.of(), List.of(new Manifest.Partition(0, List.of(a)),
            new Manifest.Partition(1, List.of(b))));

    ApiException tooBig = assertThrows(ApiException.class, () -> budget.reserve(key, two, none, p -> true));
    assertEquals(507, tooBig.status());
    assertEquals("memory_budget_exceeded", tooBig.type());
    assertTrue(tooBig.getMessage().startsWith("db/sp@2 needs 1.2 KiB of new segment files; 0 B are mapped, and the "
        + "memory budget is 1000 B"), tooBig.getMessage());

    // A reader of partition 0 only needs a.seg.
    try (MemoryBudget.Reservation r = budget.reserve(key, two, none, p -> p == 0)) {
      ApiException second = assertThrows(ApiException.class, () -> budget.reserve(key, two, none, p -> p == 1));
      assertTrue(second.getMessage().contains("reserved by loads under way"), second.getMessage());
    }
    budget.reserve(key, two, none, p -> p == 1).close(); // given back: fits again
  }

  @Test
  void sizesReadForPeople() {
    assertEquals("600 B", MemoryBudget.human(600));
    assertEquals("1.5 KiB", MemoryBudget.human(1536));
    assertEquals("800.0 MiB", MemoryBudget.human(800L << 20));
    assertEquals("4.0 GiB", MemoryBudget.human(4L << 30));
  }
}
