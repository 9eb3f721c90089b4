package io.vecgate.common.cluster;

/** Event-bus addresses of the roles (docs/internals.md). */
public final class Addresses {

  /** Requests to the writer (request/reply). */
  public static final String WRITER = "vecgate.writer";
  /** Published versions and dropped spaces (publish). */
  public static final String VERSIONS = "vecgate.versions";
  /** The catalog after every change (publish). */
  public static final String CATALOG = "vecgate.catalog";
  /** Reader states (publish). */
  public static final String READERS = "vecgate.readers";

  /** Prefix of every admin command address. */
  public static final String ADMIN_PREFIX = "vecgate.admin.";

  private Addresses() {}

  /** Admin commands to one reader (request/reply, header {@code cmd}). */
  public static String readerAdmin(String nodeId) {
    return ADMIN_PREFIX + "reader." + nodeId;
  }
}
