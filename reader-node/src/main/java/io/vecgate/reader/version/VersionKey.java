package io.vecgate.reader.version;

/**
 * Names one published version of a space.
 *
 * @param db the database
 * @param space the physical space (aliases are resolved before a reader sees a name)
 * @param version the version number, >= 1
 */
public record VersionKey(String db, String space, long version) {

  /** The space part alone, {@code db/space}. */
  public String spaceName() {
    return db + "/" + space;
  }

  /** {@code db/space@version}, the form Ping answers with. */
  @Override
  public String toString() {
    return db + "/" + space + "@" + version;
  }
}
