package io.vecgate.protocol.writer;

/**
 * The headers of {@code vecgate.writer} requests and replies (docs/internals.md). A request
 * carries {@link #OP}, the route's parameters by their names ({@link #DB}, {@link #SPACE},
 * {@link #ID}, {@link #ALIAS}) and every URL parameter as {@link #QUERY_PREFIX}{@code name}; a
 * reply carries {@link #STATUS} and, where they apply, {@link #ALIAS_REVISION} and {@link #VERSION}.
 */
public final class WriterHeaders {

  /** Request: the operation's {@link WriterOp#wireName()}. */
  public static final String OP = "op";
  /** Request: the db the route names. */
  public static final String DB = "db";
  /** Request: the space (or alias of the db) the route names. */
  public static final String SPACE = "space";
  /** Request: the document id or the job id the route names. */
  public static final String ID = "id";
  /** Request: the alias the route names. */
  public static final String ALIAS = "alias";
  /** Request: prefix of the URL parameters ({@code q.refresh}). */
  public static final String QUERY_PREFIX = "q.";
  /** Reply: the HTTP status of the answer. */
  public static final String STATUS = "status";
  /**
   * Reply to an alias change: the alias store revision of the change (the gateway brings its local
   * copy up to it before it answers).
   */
  public static final String ALIAS_REVISION = "alias-revision";
  /**
   * Reply to a refreshed write ({@code ?refresh=true}) or a {@code refresh}: the published version
   * that holds the write (0: none yet, the space is empty); the gateway answers once its readers
   * serve it.
   */
  public static final String VERSION = "version";

  private WriterHeaders() {}
}
