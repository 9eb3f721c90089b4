package io.vecgate.protocol.writer;

import static io.vecgate.protocol.access.AccessLevel.ADMIN;
import static io.vecgate.protocol.access.AccessLevel.READ;
import static io.vecgate.protocol.access.AccessLevel.WRITE;

import io.vecgate.protocol.access.AccessLevel;
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
  DB_CREATE("db.create", ADMIN),
  DB_LIST("db.list", READ),
  DB_GET("db.get", READ),
  DB_DROP("db.drop", ADMIN),
  SPACE_CREATE("space.create", ADMIN),
  SPACE_GET("space.get", READ),
  SPACE_LIST("space.list", READ),
  SPACE_DROP("space.drop", ADMIN),
  SPACE_COMPACT("space.compact", ADMIN),
  REFRESH("refresh", WRITE),
  DOC_INDEX("doc.index", WRITE),
  DOC_BULK("doc.bulk", WRITE),
  DOC_DELETE("doc.delete", WRITE),
  ALIAS_CREATE("alias.create", ADMIN),
  ALIAS_SWITCH("alias.switch", ADMIN),
  ALIAS_ROLLBACK("alias.rollback", ADMIN),
  ALIAS_DELETE("alias.delete", ADMIN),
  ALIAS_GET("alias.get", READ),
  ALIAS_LIST("alias.list", READ),
  JOB_REBUILD("job.rebuild", ADMIN),
  JOB_GET("job.get", ADMIN),
  JOB_LIST("job.list", ADMIN),
  JOB_CANCEL("job.cancel", ADMIN),
  GC("gc", ADMIN),
  BACKUP("backup", ADMIN),
  RESTORE("restore", ADMIN),
  CATALOG_GET("catalog.get", READ);

  private static final Map<String, WriterOp> BY_WIRE_NAME = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(WriterOp::wireName, Function.identity()));

  private final String wireName;
  private final AccessLevel level;

  WriterOp(String wireName, AccessLevel level) {
    this.wireName = wireName;
    this.level = level;
  }

  /** The name in the {@code op} header, as docs/internals.md lists it ({@code db.create}, ...). */
  public String wireName() {
    return wireName;
  }

  /**
   * What the operation needs on {@code vecgate.writer} (docs/internals.md, "Access"): reads of the
   * catalog {@link AccessLevel#READ}, documents and refreshes {@link AccessLevel#WRITE}, everything
   * that creates, drops or repoints {@link AccessLevel#ADMIN}. On {@code vecgate.admin.writer}
   * every operation needs {@link AccessLevel#ADMIN}.
   */
  public AccessLevel level() {
    return level;
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
