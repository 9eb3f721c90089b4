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

  /** Header of a {@code vecgate.writer} reply to an alias change: the alias store revision of the change. */
  public static final String ALIAS_REVISION_HEADER = "alias-revision";

  private Addresses() {}
}
