package io.vecgate.writer.service;

import io.vecgate.coordination.alias.Alias;
import io.vecgate.coordination.alias.AliasErrors;
import io.vecgate.coordination.alias.AliasJson;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasTarget;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.writer.SwitchGuard;
import io.vecgate.space.SpaceSchemas;
import io.vecgate.writer.catalog.Catalog;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/**
 * {@code alias.*}: the writer is the validator of alias changes, which it makes in the
 * {@link AliasStore}. A change is checked (its target space exists) and made in the store on the
 * catalog lane, which waits for the store, so that no space is dropped between the check and the
 * change. Reads go to the store directly.
 */
final class AliasRequests {

  private static final System.Logger LOG = System.getLogger(AliasRequests.class.getName());
  /** How long the catalog lane waits for the alias store (a reachable store answers in milliseconds). */
  static final long ALIAS_STORE_WAIT_MILLIS = 15_000;

  private final SpaceRegistry spaces;
  private final Catalog catalog;
  private final ReadyReaders ready = new ReadyReaders();

  AliasRequests(SpaceRegistry spaces) {
    this.spaces = spaces;
    this.catalog = spaces.catalog;
  }

  /** A new alias serving {@code db/space}, which must exist. */
  CompletableFuture<WriterReply> create(String alias, String db, String space) {
    return change(alias, (store, name) -> store.create(name, existing(db, space)));
  }

  /**
   * The alias, whatever it serves now, points at {@code db/space}, which must exist, once the
   * readers serve it (see {@link ReadyReaders}).
   */
  CompletableFuture<WriterReply> switchTo(String alias, String db, String space, SwitchGuard guard) {
    String name = SpaceSchemas.checkName("alias", alias);
    return spaces.onCatalog(() -> catalog.space(db, space))
        .thenCompose(entry -> ready.await("switch of alias " + name + " to " + db + "/" + space, entry, guard))
        .thenCompose(v -> change(alias, (store, n) -> store.switchTo(n, null, existing(db, space))));
  }

  /**
   * Points the alias back at the newest target of its history, once the readers serve it; the
   * rollback is made only while the alias still serves what it served when it was checked.
   */
  CompletableFuture<WriterReply> rollback(String alias, SwitchGuard guard) {
    String name = SpaceSchemas.checkName("alias", alias);
    AliasStore store = spaces.aliasStore();
    return store.get(name).toCompletionStage().toCompletableFuture().thenCompose(found -> {
      Alias a = found.filter(Alias::serves).orElseThrow(() -> AliasErrors.notFound(name));
      if (a.history().isEmpty()) {
        return change(alias, (s, n) -> s.rollback(n, a.serving()));
      }
      AliasTarget back = a.history().getFirst();
      return spaces.onCatalog(() -> catalog.find(back.db(), back.space()))
          .thenCompose(entry -> entry == null ? CompletableFuture.<Void>completedFuture(null)
              : ready.await("rollback of alias " + name + " to " + back, entry, guard))
          .thenCompose(v -> change(alias, (s, n) -> s.rollback(n, a.serving())));
    });
  }

  /** Has manual switches and rollbacks wait for (or check) {@code readers}. */
  void readers(ServingReaders readers) {
    ready.readers(readers);
  }

  CompletableFuture<WriterReply> delete(String alias) {
    return change(alias, AliasStore::delete);
  }

  /** One alias change, checked and made on the catalog lane. */
  private CompletableFuture<WriterReply> change(String alias, BiFunction<AliasStore, String, Future<Alias>> change) {
    AliasStore store = spaces.aliasStore();
    return spaces.onCatalog(() -> reply(join(change.apply(store, SpaceSchemas.checkName("alias", alias)))));
  }

  /** The target {@code db/space}, refused with 404 unless the space exists (checked on the catalog lane). */
  private AliasTarget existing(String db, String space) {
    catalog.space(db, space);
    return new AliasTarget(db, space);
  }

  CompletableFuture<WriterReply> get(String name) {
    return spaces.aliasStore().get(name).toCompletionStage().toCompletableFuture()
        .thenApply(a -> reply(a.filter(Alias::serves).orElseThrow(() -> AliasErrors.notFound(name))));
  }

  CompletableFuture<WriterReply> list() {
    return spaces.aliasStore().list().toCompletionStage().toCompletableFuture()
        .thenApply(all -> Json.success(AliasJson.apiList(all)));
  }

  /**
   * Makes the store forget a space about to be dropped (on the catalog lane, before anything is
   * gone: a store that cannot be reached refuses the drop). The names of the aliases deleted.
   */
  List<String> forgetSpace(String db, String space) throws Exception {
    AliasStore store = spaces.aliases();
    if (store == null) {
      return List.of();
    }
    List<String> deleted = join(store.forgetSpace(db, space));
    if (!deleted.isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "dropping " + db + "/" + space + " deleted the aliases serving it: " + deleted);
    }
    return deleted;
  }

  /** Moves the aliases an older {@code catalog.json} held into the store (those it does not have yet). */
  void moveLegacyAliases() throws IOException {
    AliasStore store = spaces.aliases();
    if (catalog.legacyAliases().isEmpty() || store == null) {
      return;
    }
    try {
      for (Catalog.LegacyAlias l : catalog.legacyAliases()) {
        if (catalog.find(l.db(), l.space()) != null && join(store.get(l.name())).isEmpty()) {
          join(store.create(l.name(), new AliasTarget(l.db(), l.space())));
        }
      }
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "moving the aliases of catalog.json into the alias store failed; they stay in "
          + "the file and the next start tries again: " + e.getMessage());
      return;
    }
    catalog.rewrite();
    LOG.log(System.Logger.Level.INFO, "moved " + catalog.legacyAliases().size() + " aliases of catalog.json into the alias store");
  }

  /** The alias in the API form, with the store revision of its last change. */
  private static WriterReply reply(Alias a) {
    return Json.success(AliasJson.api(a)).withAliasRevision(a.revision());
  }

  /** Waits for the alias store on a writer thread (never an event loop); its refusals come out as they are. */
  private static <T> T join(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(ALIAS_STORE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    } catch (TimeoutException e) {
      throw ApiException.unavailable("the alias store did not answer within " + ALIAS_STORE_WAIT_MILLIS + " ms");
    }
  }
}
