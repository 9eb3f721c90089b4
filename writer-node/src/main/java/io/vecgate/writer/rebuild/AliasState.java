package io.vecgate.writer.rebuild;

import java.util.List;

/**
 * An alias as the alias store holds it now, as a rebuild of {@code db} sees it: each target by
 * its space name when it is a space of {@code db}, or by {@code otherdb/space} (a name no space
 * of {@code db} has).
 *
 * @param serving key1, or null when the alias serves nothing (or does not exist)
 * @param building key2, or null
 * @param history the targets it served before, newest first
 */
public record AliasState(String serving, String building, List<String> history) {

  public static final AliasState ABSENT = new AliasState(null, null, List.of());

  public AliasState {
    history = List.copyOf(history);
  }
}
