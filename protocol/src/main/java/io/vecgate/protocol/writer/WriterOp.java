package io.vecgate.protocol.writer;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The writer's operations on {@code vecgate.writer} and {@code vecgate.admin.writer}
 * (docs/internals.md): the one list that the senders (the gateway, the admin tool) and the
 * receiver (the writer) share. A request names its operation in the header
 * {@link WriterHeaders#OP} by its {@link #wireName()}.
 */
public enum WriterOp {
  DB_CREATE("db.create"),
  DB_LIST("db.list"),
  DB_GET("db.get"),
  DB_DROP("db.drop"),
  SPACE_CREATE("space.create"),
  SPACE_GET("space.get"),
  SPACE_LIST("space.list"),
  SPACE_DROP("space.drop"),
  SPACE_COMPACT("space.compact"),
  REFRESH("refresh"),
  DOC_INDEX("doc.index"),
  DOC_BULK("doc.bulk"),
  DOC_DELETE("doc.delete"),
  ALIAS_CREATE("alias.create"),
  ALIAS_SWITCH("alias.switch"),
  ALIAS_ROLLBACK("alias.rollback"),
  ALIAS_DELETE("alias.delete"),
  ALIAS_GET("alias.get"),
  ALIAS_LIST("alias.list"),
  JOB_REBUILD("job.rebuild", true),
  JOB_GET("job.get", true),
  JOB_LIST("job.list", true),
  JOB_CANCEL("job.cancel", true),
  GC("gc", true),
  BACKUP("backup", true),
  CATALOG_GET("catalog.get");

  private static final Map<String, WriterOp> BY_WIRE_NAME = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(WriterOp::wireName, Function.identity()));

  private final String wireName;
  private final boolean admin;

  WriterOp(String wireName) {
    this(wireName, false);
  }

  WriterOp(String wireName, boolean admin) {
    this.wireName = wireName;
    this.admin = admin;
  }

  /** The name in the {@code op} header, as docs/internals.md lists it ({@code db.create}, ...). */
  public String wireName() {
    return wireName;
  }

  /**
   * Whether the operation needs the admin token on {@code vecgate.writer} too (rebuild jobs and
   * garbage collection); on {@code vecgate.admin.writer} every operation needs it.
   */
  public boolean admin() {
    return admin;
  }

  /** The operation of a wire name; empty for a name that is none (or null). */
  public static Optional<WriterOp> fromWireName(String name) {
    return Optional.ofNullable(name == null ? null : BY_WIRE_NAME.get(name));
  }

  @Override
  public String toString() {
    return wireName;
  }
}
