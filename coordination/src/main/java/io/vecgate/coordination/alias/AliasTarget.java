package io.vecgate.coordination.alias;

import java.util.Objects;

/**
 * Where an alias points: one space of one db. Its text form {@code db/space} is what the stores
 * keep (db and space names are letters, digits, {@code _} and {@code -}, so the slash is
 * unambiguous).
 *
 * @param db the db
 * @param space the space in that db
 */
public record AliasTarget(String db, String space) {

  public AliasTarget {
    Objects.requireNonNull(db, "db");
    Objects.requireNonNull(space, "space");
  }

  /** {@code db/space}. */
  public String key() {
    return db + "/" + space;
  }

  /**
   * Parses {@code db/space}.
   *
   * @throws IllegalArgumentException when {@code key} has no slash or an empty part
   */
  public static AliasTarget parse(String key) {
    int slash = key == null ? -1 : key.indexOf('/');
    if (slash <= 0 || slash == key.length() - 1) {
      throw new IllegalArgumentException("alias target: expected \"db/space\", got \"" + key + "\"");
    }
    return new AliasTarget(key.substring(0, slash), key.substring(slash + 1));
  }

  @Override
  public String toString() {
    return key();
  }
}
