package io.vecgate.coordination.alias;

import java.util.List;

/**
 * An alias as a store holds it: a global name, the target it serves (the story's key1), the
 * target being built to replace it (key2), and the targets it served before, newest first, for
 * rollback.
 *
 * <p>An alias being built for the first time has a building target and no serving one yet; it
 * resolves nothing until it is created or switched. The serving target never appears in the
 * history, and the history holds no duplicates.
 *
 * @param name the alias name (global, as in Vearch's {@code /alias/{alias}})
 * @param serving the target searches go to, or null while only a building target exists
 * @param building the target under construction, or null
 * @param history previous serving targets, newest first, at most the store's configured length
 * @param revision the store revision of the alias's last change (grows with every change of any alias)
 */
public record Alias(String name, AliasTarget serving, AliasTarget building, List<AliasTarget> history, long revision) {

  public Alias {
    history = List.copyOf(history);
  }

  /** Whether the alias serves a target (it resolves, and the API shows it). */
  public boolean serves() {
    return serving != null;
  }

  public Alias withRevision(long r) {
    return new Alias(name, serving, building, history, r);
  }
}
