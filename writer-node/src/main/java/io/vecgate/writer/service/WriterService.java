package io.vecgate.writer.service;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The writer's operations ({@code vecgate.writer} in docs/internals.md), independent of the
 * transport.
 *
 * <p>Asynchronous: {@link #handle} never blocks the caller (an event loop may call it); the
 * future completes on a writer thread. A refused request completes exceptionally with an
 * {@link io.vecgate.common.api.ApiException} (status, type, reason) and changes nothing; any
 * other exception is an internal error (500). Writes to one space are applied in the order
 * {@link #handle} was called; a write's future completes only after its WAL records are on disk.
 *
 * <p>Idempotence: {@code doc.index} with an id, {@code doc.delete}, {@code refresh}, the getters and
 * {@code alias.switch} are idempotent; {@code doc.index} without an id, creates and drops are not.
 */
public interface WriterService extends AutoCloseable {

  /**
   * Runs one operation.
   *
   * @param op the operation ({@code db.create}, {@code doc.bulk}, ...)
   * @param headers route parameters ({@code db}, {@code space}, {@code id}, {@code alias}) and URL query
   *     parameters as {@code q.{name}}
   * @param body the request body, possibly empty
   */
  CompletableFuture<WriterReply> handle(String op, Map<String, String> headers, byte[] body);

  /** Whether every space is open and requests are served. */
  boolean isReady();

  /** Finishes queued work and closes every file; seals nothing. */
  @Override
  void close();
}
