package io.vecgate.writer.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UnusedVersionsTest {

  @Test
  void onlyVersionsOfRebuildPrefixesThatNothingWants() {
    List<String> spaces = List.of("items_v1", "items_v2", "items_v3", "items", "other_v1", "items_vx", "items_v10");
    Set<String> wanted = Set.of("shop/items_v3", "shop/items_v2", "other/items_v1");
    assertEquals(List.of("items_v1", "items_v10"), UnusedVersions.unused("shop", spaces, Set.of("items"), wanted));
  }

  @Test
  void nothingWithoutPrefixes() {
    assertEquals(List.of(), UnusedVersions.unused("shop", List.of("items_v1"), Set.of(), Set.of()));
  }
}
