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
  /** Admin commands to the writer (request/reply, header {@code op} as on {@link #WRITER}, token checked). */
  public static final String ADMIN_WRITER = ADMIN_PREFIX + "writer";
  /** The cluster-wide map of registered nodes ({@code node_id -> {"node_id", "role"}}, with a TTL). */
  public static final String NODES_MAP = "vecgate.nodes";
  /** Header of a {@code vecgate.writer} reply to an alias change: the alias store revision of the change. */
  public static final String ALIAS_REVISION_HEADER = "alias-revision";

  private Addresses() {}

  /** Admin commands to one reader (request/reply, header {@code cmd}). */
  public static String readerAdmin(String nodeId) {
    return ADMIN_PREFIX + "reader." + nodeId;
  }

  /** {@code info} of one node of any role (request/reply, header {@code cmd}). */
  public static String adminNode(String nodeId) {
    return ADMIN_PREFIX + "node." + nodeId;
  }
}
