package io.vecgate.writer.rebuild;

import io.vecgate.coordination.alias.Alias;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasTarget;
import io.vecgate.protocol.api.ApiException;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.Set;

/**
 * A rebuild's alias changes on the deployment's {@link AliasStore}: key1 is the serving
 * target, key2 the building target, the switch the store's compare-and-set (or a create when
 * the alias serves nothing yet, which fails if another change made it meanwhile).
 */
public final class StoreAliasTargets implements AliasTargets {

  private final AliasStore store;

  public StoreAliasTargets(AliasStore store) {
    this.store = store;
  }

  @Override
  public Future<String> serving(String db, String alias) {
    return store.get(alias).compose(found -> {
      Alias a = found.orElse(null);
      if (a == null || a.serving() == null) {
        return Future.succeededFuture(null);
      }
      if (!a.serving().db().equals(db)) {
        return Future.failedFuture(ApiException.conflict("alias_conflict_exception", "alias '" + alias + "' serves "
            + a.serving() + ", a space of another db than " + db));
      }
      return Future.succeededFuture(a.serving().space());
    });
  }

  @Override
  public Future<Void> markBuilding(String db, String alias, String space) {
    return store.setBuilding(alias, new AliasTarget(db, space)).mapEmpty();
  }

  @Override
  public Future<Void> clearBuilding(String db, String alias) {
    return store.clearBuilding(alias).mapEmpty();
  }

  @Override
  public Future<Void> switchFrom(String db, String alias, String expected, String space) {
    AliasTarget next = new AliasTarget(db, space);
    return (expected == null ? store.create(alias, next) : store.switchTo(alias, new AliasTarget(db, expected), next))
        .mapEmpty();
  }

  @Override
  public Future<AliasState> state(String db, String alias) {
    return store.get(alias).map(found -> found.map(a -> new AliasState(name(db, a.serving()), name(db, a.building()),
        a.history().stream().map(t -> name(db, t)).toList())).orElse(AliasState.ABSENT));
  }

  @Override
  public Future<Set<String>> served(String db) {
    return store.list().map(all -> {
      Set<String> out = new HashSet<>();
      for (Alias a : all) {
        if (a.serving() != null && a.serving().db().equals(db)) {
          out.add(a.serving().space());
        }
      }
      return out;
    });
  }

  /** A target as {@link AliasState} names it: the space name within {@code db}, else {@code db/space}. */
  private static String name(String db, AliasTarget t) {
    return t == null ? null : t.db().equals(db) ? t.space() : t.key();
  }
}
