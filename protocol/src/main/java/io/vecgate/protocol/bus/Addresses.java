package io.vecgate.protocol.bus;

/** Event-bus addresses of the roles (docs/internals.md). */
public final class Addresses {

  /**
   * Requests to the writer (request/reply): operations {@link io.vecgate.protocol.writer.WriterOp},
   * headers {@link io.vecgate.protocol.writer.WriterHeaders}.
   */
  public static final String WRITER = "vecgate.writer";
  /** Published versions and dropped spaces (publish). */
  public static final String VERSIONS = "vecgate.versions";
  /** The catalog after every change (publish). */
  public static final String CATALOG = "vecgate.catalog";
  /** Reader states (publish). */
  public static final String READERS = "vecgate.readers";

  /** Prefix of every admin command address. */
  public static final String ADMIN_PREFIX = "vecgate.admin.";
  /**
   * Admin commands to the writer (request/reply, the operations and headers of {@link #WRITER}:
   * {@link io.vecgate.protocol.writer.WriterOp}, {@link io.vecgate.protocol.writer.WriterHeaders}; token checked).
   */
  public static final String ADMIN_WRITER = ADMIN_PREFIX + "writer";
  /** The cluster-wide map of registered nodes ({@code node_id -> {"node_id", "role"}}, with a TTL). */
  public static final String NODES_MAP = "vecgate.nodes";

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
