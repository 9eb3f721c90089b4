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

  private Addresses() {}
}
