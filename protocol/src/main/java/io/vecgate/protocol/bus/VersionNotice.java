package io.vecgate.protocol.bus;

import io.vertx.core.json.JsonObject;

/**
 * What the writer publishes on {@link Addresses#VERSIONS}: a new version of a space (with its
 * directory), or that the space was dropped. The writer encodes it, the readers decode it; this is
 * the one place its keys are spelled.
 *
 * @param version the published version (0 for a drop)
 * @param dir the version's directory, or null (a drop; or a sender that leaves it to the reader's layout)
 */
public record VersionNotice(String db, String space, long version, String dir, boolean dropped) {

  public static VersionNotice published(String db, String space, long version, String dir) {
    return new VersionNotice(db, space, version, dir, false);
  }

  public static VersionNotice dropped(String db, String space) {
    return new VersionNotice(db, space, 0, null, true);
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("db", db).put("space", space);
    return dropped ? o.put("dropped", true) : o.put("version", version).put("dir", dir);
  }

  /** @throws IllegalArgumentException naming what is missing or of the wrong type */
  public static VersionNotice fromJson(JsonObject o) {
    try {
      String db = o.getString("db");
      String space = o.getString("space");
      if (db == null || space == null) {
        throw new IllegalArgumentException("a versions message without db/space: " + o);
      }
      if (o.getBoolean("dropped", false)) {
        return dropped(db, space);
      }
      Long version = o.getLong("version");
      if (version == null) {
        throw new IllegalArgumentException("a versions message without version: " + o);
      }
      return published(db, space, version, o.getString("dir"));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("a malformed versions message (" + e.getMessage() + "): " + o, e);
    }
  }
}
