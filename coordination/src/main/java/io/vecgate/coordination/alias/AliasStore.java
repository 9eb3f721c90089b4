package io.vecgate.coordination.alias;

import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where aliases live, shared by every node of a deployment: the authoritative state (Hazelcast
 * by default and in standalone, Redis in distributed mode) and this node's local copy of it
 * ({@link #local()}), which searches resolve against without a round trip.
 *
 * <p>Asynchronous: no method blocks; futures complete on a Vert.x thread. A refusal completes the
 * future with an {@link io.vecgate.protocol.api.ApiException} (the reasons of {@link AliasErrors}:
 * 404 unknown alias, 409 exists / conflict / no history, 503 store unreachable) and changes
 * nothing. A store that cannot be reached refuses changes at once (503) and keeps serving its
 * local copy.
 *
 * <p>Atomicity: every change is one atomic step on the authoritative state; the switch is a
 * compare-and-set on the serving target. A successful change is in this node's local copy when
 * its future completes; other nodes see it through the store's notice (a lost notice heals when
 * they re-read everything, on reconnect and periodically). Every change gets a revision that
 * grows with every change of any alias.
 *
 * <p>Idempotence: {@link #switchTo} to the target already served and {@link #clearBuilding}
 * without a building target succeed without a change; create, rollback and delete are not
 * idempotent.
 *
 * <p>Names are validated by the caller (the writer, at the edge): the store takes them as given.
 */
public interface AliasStore {

  /** The store as logs and errors name it: {@code hazelcast} or {@code redis://host:port (prefix p)}. */
  String describe();

  /** This node's copy of every alias, for reads on the search path. */
  LocalAliases local();

  /** Reachability, for {@code /health/ready}. */
  AliasStoreHealth health();

  /** An alias as the store holds it now (including one that only has a building target). */
  Future<Optional<Alias>> get(String name);

  /** Every alias, by name (including those that only have a building target). */
  Future<List<Alias>> list();

  /** Creates an alias serving {@code target}; fails with 409 when it already serves something. */
  Future<Alias> create(String name, AliasTarget target);

  /**
   * Switches an existing alias to {@code next} in one compare-and-set: it succeeds only if the
   * alias still serves {@code expected} (null: whatever it serves now). The old target goes to
   * the front of the history; a building target equal to {@code next} is cleared (its build is
   * done). Fails with 404 when the alias does not exist, 409 when the expectation fails.
   */
  Future<Alias> switchTo(String name, AliasTarget expected, AliasTarget next);

  /**
   * Switches back to the newest target of the history with the same atomic step (and the same
   * {@code expected} check); that target leaves the history and the target rolled back from is
   * dropped, so repeated rollbacks walk further back. Fails with 409 when the history is empty.
   */
  Future<Alias> rollback(String name, AliasTarget expected);

  /** Deletes an alias with its building target and history; completes with what it was. */
  Future<Alias> delete(String name);

  /** Records the target under construction (key2); the alias need not exist yet. */
  Future<Alias> setBuilding(String name, AliasTarget target);

  /** Clears the building target; empty when nothing is left of the alias. */
  Future<Optional<Alias>> clearBuilding(String name);

  /**
   * Forgets a space that is dropped: aliases serving it are deleted, building targets pointing
   * at it cleared, and it leaves every history (so a rollback never lands on a dropped space).
   * Completes with the names of the deleted aliases.
   */
  Future<List<String>> forgetSpace(String db, String space);

  /** Makes the local copy at least as new as {@code revision}, re-reading the store if it is behind. */
  Future<Void> sync(long revision);

  /**
   * Keeps a durable copy of every alias in {@code file} (the writer's data directory) and
   * restores it at once, for stores whose state lives only in memory (Hazelcast: a full cluster
   * restart would lose it). Stores that persist by themselves (Redis) ignore it.
   */
  Future<Void> persistTo(Path file);

  /**
   * Registers a listener of the change feed: called after the local copy took the change, on a
   * store thread (it must be quick and must not block). Returns what unregisters it.
   */
  Runnable onChange(Consumer<AliasChange> listener);

  /** Stops listening and closes connections; the local copy keeps its last state. */
  Future<Void> close();
}
