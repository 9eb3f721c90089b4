package io.vecgate.coordination.alias;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The local copy converges whatever order notices and full reads arrive in. */
class LocalAliasesTest {

  static final AliasTarget A = new AliasTarget("shop", "a");
  static final AliasTarget B = new AliasTarget("shop", "b");

  static Alias alias(String name, AliasTarget t, long rev) {
    return new Alias(name, t, null, List.of(), rev);
  }

  static AliasChange change(String name, AliasTarget t, long rev) {
    return new AliasChange(name, t == null ? null : alias(name, t, rev), rev);
  }

  @Test
  void anOlderNoticeNeverUndoesANewerOne() {
    LocalAliases l = new LocalAliases();
    assertTrue(l.apply(change("x", B, 5)));
    assertFalse(l.apply(change("x", A, 4)));
    assertEquals(B, l.resolve("x"));
    assertEquals(5, l.revision());
  }

  @Test
  void aDeletionIsNotUndoneByALateNoticeOrAnOlderRead() {
    LocalAliases l = new LocalAliases();
    l.apply(change("x", A, 3));
    l.apply(change("x", null, 6));
    assertFalse(l.apply(change("x", B, 5)), "a notice from before the deletion");
    l.applySnapshot(4, List.of(alias("x", A, 3)));
    assertNull(l.resolve("x"), "a read from before the deletion");
    l.apply(change("x", B, 7));
    assertEquals(B, l.resolve("x"), "created again after the deletion");
  }

  @Test
  void aFullReadRemovesWhatWasDeletedMeanwhileAndKeepsWhatIsNewer() {
    LocalAliases l = new LocalAliases();
    l.apply(change("gone", A, 2));
    l.apply(change("kept", A, 3));
    l.apply(change("newer", B, 9));
    // A read at revision 8 that no longer has "gone" and not yet "newer".
    l.applySnapshot(8, List.of(alias("kept", B, 8)));
    assertNull(l.resolve("gone"));
    assertEquals(B, l.resolve("kept"));
    assertEquals(B, l.resolve("newer"), "learnt after the read was taken");
    assertEquals(9, l.revision());
  }

  @Test
  void resetReplacesEverythingAndListenersHearEachChange() {
    LocalAliases l = new LocalAliases();
    List<AliasChange> heard = new ArrayList<>();
    Runnable stop = l.onChange(heard::add);
    l.apply(change("x", A, 10));
    l.reset(1, List.of(alias("y", B, 1)));
    assertNull(l.resolve("x"));
    assertEquals(B, l.resolve("y"));
    assertEquals(1, l.revision());
    stop.run();
    l.apply(change("z", A, 2));
    assertEquals(A, heard.get(0).alias().serving());
    java.util.Set<String> afterReset = new java.util.HashSet<>();
    for (AliasChange c : heard.subList(1, heard.size())) {
      afterReset.add(c.name() + "=" + (c.alias() == null ? "gone" : c.alias().serving()));
    }
    assertEquals(java.util.Set.of("x=gone", "y=shop/b"), afterReset);
    assertEquals(3, heard.size(), "nothing after the listener stopped");
  }

  @Test
  void tableJsonRoundTripsAndRefusesGarbage() throws Exception {
    AliasTable t = AliasTable.EMPTY.create("live", A).table().switchTo("live", null, B, 3).table()
        .setBuilding("live", A).table().setBuilding("next", B).table();
    AliasTable back = AliasTable.fromJson(t.toJson(), "test");
    assertEquals(t, back);
    assertEquals(List.of(A), back.get("live").orElseThrow().history());
    assertEquals(4, back.revision());
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> AliasTable.fromJson("{\"aliases\": 3}", "f.json")).getMessage().contains("f.json"));
  }
}
