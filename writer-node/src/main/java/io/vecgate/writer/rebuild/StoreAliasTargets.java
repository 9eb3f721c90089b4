package io.vecgate.writer.rebuild;

import io.vecgate.coordination.alias.Alias;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasTarget;
import io.vecgate.protocol.api.ApiException;
import io.vertx.core.Future;

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
}
