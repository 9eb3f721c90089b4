package io.vecgate.writer.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.writer.SwitchGuard;
import java.util.concurrent.CompletableFuture;

/**
 * The writer's operations (the {@code vecgate.writer} table of docs/internals.md), independent of
 * the transport: the event bus shell ({@code io.vecgate.writer.bus}) decodes a request into one
 * of these calls and encodes its {@link WriterReply}.
 *
 * <p>Asynchronous: no method blocks the caller (an event loop may call it); futures complete on
 * writer threads. Names are given as the route has them: where a space is expected, an alias of
 * the same db is accepted and resolved. A refused request completes exceptionally with an
 * {@link ApiException} (status, type, reason) and changes nothing; any other exception is an
 * internal error (500). Every operation answers 503 until the writer is {@link #isReady ready}.
 *
 * <p>Order and durability: writes to one space are applied in the order they were called; a
 * write's future completes only after its WAL records are on disk. With {@code refresh}, a write
 * is sealed into a published version before it answers, and its reply names that version.
 *
 * <p>Idempotence: {@link #index} with an id, {@link #delete}, {@link #refresh}, {@link #compact},
 * the getters and lists, and {@link #switchAlias} are idempotent; {@link #index} without an id,
 * {@link #bulk} (its generated ids), creates, drops, {@link #rollbackAlias} and
 * {@link #deleteAlias} are not.
 */
public interface WriterService extends AutoCloseable {

  // ---- dbs ----

  /** Creates a db: {@code {"name"}}; 409 when it exists, 400 for a bad name. */
  CompletableFuture<WriterReply> createDb(String name);

  /** Every db: {@code [{"name"}]}. */
  /**
   * Copies the newest published version of {@code {"db", "space" (or an alias), "to"}} to the
   * directory {@code to} on the writer's host, verified against its checksums; answers
   * {@code {"db", "space", "version", "to", "docs", "segment_files", "segment_bytes"}}.
   */
  CompletableFuture<WriterReply> backup(ObjectNode request);

  CompletableFuture<WriterReply> listDbs();

  /** A db and its spaces: {@code {"name", "spaces": [names]}}; 404 when it does not exist. */
  CompletableFuture<WriterReply> getDb(String db);

  /** Drops an empty db: {@code {"name"}}; 409 while it has spaces. */
  CompletableFuture<WriterReply> dropDb(String db);

  // ---- spaces ----

  /**
   * Creates a space from its create body (Vearch's {@code PUT /space/{db}/_create}); answers its
   * description. 400 for a bad body, 404 for an unknown db, 409 when the space exists.
   */
  CompletableFuture<WriterReply> createSpace(String db, ObjectNode body);

  /** A space's description (docs/internals.md); 404 when it does not exist. */
  CompletableFuture<WriterReply> getSpace(String db, String space);

  /** The descriptions of a db's spaces. */
  CompletableFuture<WriterReply> listSpaces(String db);

  /**
   * Drops a space and its files, and the aliases serving it: {@code {"db", "name",
   * "aliases_deleted"}}. The alias store forgets the space first: 503 and nothing dropped while
   * it is unreachable.
   */
  CompletableFuture<WriterReply> dropSpace(String db, String space);

  /** Seals and publishes the space's buffered writes and deletes: {@code {"version"}}, with the reply's version. */
  CompletableFuture<WriterReply> refresh(String db, String space);

  /**
   * Seals and starts compacting each partition into one segment with the space's index; answers at
   * once with the description (which says when the index is built and published).
   */
  CompletableFuture<WriterReply> compact(String db, String space);

  // ---- documents ----

  /**
   * Indexes one document (a JSON object of the space's fields): an upsert when {@code id} is
   * given, else under a generated id. 201 {@code created} or 200 {@code updated}; 400 for a
   * document or id that does not fit the space.
   *
   * @param id the document id, or null to generate one
   * @param refresh publish before answering
   */
  CompletableFuture<WriterReply> index(String db, String space, String id, Payload document, boolean refresh);

  /**
   * Applies an NDJSON {@code _bulk} body: index and delete items in order; a bad item fails alone
   * (Elasticsearch's answer, one result per item).
   *
   * @param refresh publish before answering
   */
  CompletableFuture<WriterReply> bulk(String db, String space, Payload ndjson, boolean refresh);

  /**
   * Deletes one document: 200 {@code deleted} or 404 {@code not_found} (an answer, not a refusal).
   *
   * @param refresh publish before answering
   */
  CompletableFuture<WriterReply> delete(String db, String space, String id, boolean refresh);

  // ---- aliases (made in the alias store; every change answers with its store revision) ----

  /** A new alias serving {@code db/space}; 404 when the space does not exist, 409 when the alias does. */
  CompletableFuture<WriterReply> createAlias(String alias, String db, String space);

  /** {@link #switchAlias(String, String, String, SwitchGuard)} refusing at once when readers are not ready. */
  default CompletableFuture<WriterReply> switchAlias(String alias, String db, String space) {
    return switchAlias(alias, db, space, SwitchGuard.STRICT);
  }

  /**
   * Points an alias at {@code db/space} (the old target goes to its history); 404 for an unknown
   * alias or space; 409 {@code readers_not_ready_exception}, naming them, while a live reader of
   * the space's partitions has not loaded and warmed its newest version, unless {@code guard}
   * waits for them or forces the switch (logged as a WARNING).
   */
  CompletableFuture<WriterReply> switchAlias(String alias, String db, String space, SwitchGuard guard);

  /** {@link #rollbackAlias(String, SwitchGuard)} refusing at once when readers are not ready. */
  default CompletableFuture<WriterReply> rollbackAlias(String alias) {
    return rollbackAlias(alias, SwitchGuard.STRICT);
  }

  /**
   * Points an alias back at its previous target; 409 when it has no history, and as
   * {@link #switchAlias(String, String, String, SwitchGuard)} when readers do not serve that target.
   */
  CompletableFuture<WriterReply> rollbackAlias(String alias, SwitchGuard guard);

  /** Deletes an alias; answers it as it was. */
  CompletableFuture<WriterReply> deleteAlias(String alias);

  /** An alias that serves a space; 404 otherwise. */
  CompletableFuture<WriterReply> getAlias(String alias);

  /** Every alias. */
  CompletableFuture<WriterReply> listAliases();

  // ---- rebuild jobs and garbage collection ----

  /** The rebuild jobs ({@code job.*}) and their garbage collection ({@code gc}). */
  WriterJobs jobs();

  // ---- the catalog ----

  /** The catalog as {@code vecgate.catalog} announces it (docs/internals.md, "The catalog"). */
  CompletableFuture<WriterReply> catalog();

  /** Whether every space is open and requests are served. */
  boolean isReady();

  /** Finishes queued work and closes every file; seals nothing. */
  @Override
  void close();
}
