package io.vecgate.writer.rebuild;

import io.vertx.core.Future;
import java.util.Set;

/**
 * The alias changes of a rebuild: the serving target (key1), the building target (key2) and
 * the atomic switch. Implemented over the deployment's alias store (Hazelcast or Redis).
 */
public interface AliasTargets {

  /** The space an alias serves in {@code db}, or {@code null} when the alias does not exist. */
  Future<String> serving(String db, String alias);

  /** Records the space under construction for the alias (key2). */
  Future<Void> markBuilding(String db, String alias, String space);

  /** Forgets the space under construction (key2); succeeds when none is recorded. */
  Future<Void> clearBuilding(String db, String alias);

  /**
   * Points the alias at {@code space} in one atomic step that succeeds only while the alias
   * still serves {@code expected} ({@code null}: while the alias does not exist), keeping the
   * previous target for rollback; fails with a 409 {@code ApiException} otherwise.
   */
  Future<Void> switchFrom(String db, String alias, String expected, String space);

  /**
   * What the authoritative store holds of the alias now ({@link AliasState#ABSENT} when it does
   * not exist): what a rebuild's clean-up, live or at the writer's start, decides from.
   */
  Future<AliasState> state(String db, String alias);

  /** The spaces of {@code db} that some alias serves (its key1): a rebuild never drops one of them. */
  Future<Set<String>> served(String db);
}
