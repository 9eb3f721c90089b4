package io.vecgate.writer.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.space.Document;
import io.vecgate.space.SpaceSchema;
import io.vecgate.space.SpaceSchemas;
import io.vecgate.writer.service.DefaultWriterService;
import io.vecgate.writer.service.WriterReply;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;

/**
 * A rebuild's spaces on this writer's own service: created, dropped, described and listed with
 * the same operations as the write endpoint's, loaded with checked documents (logged like any
 * write), and published by a refresh followed by a compaction into one indexed segment per
 * partition, waited for until the space describes itself as indexed.
 */
public final class WriterRebuildTarget implements RebuildTarget {

  private final Vertx vertx;
  private final DefaultWriterService writer;
  private final Duration buildTimeout;

  public WriterRebuildTarget(Vertx vertx, DefaultWriterService writer, Duration buildTimeout) {
    this.vertx = vertx;
    this.writer = writer;
    this.buildTimeout = buildTimeout;
  }

  @Override
  public Future<List<String>> spaces(String db) {
    return data(writer.getDb(db)).map(d -> {
      List<String> names = new ArrayList<>();
      d.path("spaces").forEach(n -> names.add(n.asText()));
      return names;
    });
  }

  @Override
  public Future<Long> count(String db, String space) {
    return data(writer.getSpace(db, space)).map(RebuildCounts::published);
  }

  @Override
  public Future<SpaceSchema> create(String db, ObjectNode body) {
    // A copy: the catalog keeps the body it is given, and the job's stays the job's.
    return data(writer.createSpace(db, body.deepCopy())).map(d -> SpaceSchemas.parse(db, body));
  }

  @Override
  public Future<Void> load(String db, String space, List<Document> batch) {
    return Future.fromCompletionStage(writer.load(db, space, batch), vertx.getOrCreateContext());
  }

  @Override
  public Future<Long> publish(String db, String space, BooleanSupplier cancelled) {
    long deadline = System.nanoTime() + buildTimeout.toNanos();
    return data(writer.refresh(db, space))
        .compose(v -> data(writer.compact(db, space)))
        .compose(v -> {
          Promise<Long> indexed = Promise.promise();
          awaitIndexed(db, space, deadline, cancelled, indexed);
          return indexed.future();
        });
  }

  /** Polls the description until every partition is one indexed segment and nothing is buffered or building. */
  private void awaitIndexed(String db, String space, long deadline, BooleanSupplier cancelled, Promise<Long> done) {
    data(writer.getSpace(db, space)).onFailure(done::fail).onSuccess(d -> {
      if (cancelled.getAsBoolean()) {
        done.fail(new CancellationException("cancelled while the index of " + db + "/" + space + " was being built"));
      } else if (RebuildCounts.indexed(d)) {
        done.complete(d.path("version").asLong());
      } else if (System.nanoTime() > deadline) {
        done.fail(ApiException.unavailable("the index of " + db + "/" + space + " was not built within "
            + buildTimeout + " (index_state " + d.path("index_state").asText() + ", index_build "
            + d.path("index_build").asText() + ")"));
      } else {
        vertx.setTimer(200, id -> awaitIndexed(db, space, deadline, cancelled, done));
      }
    });
  }

  @Override
  public Future<Void> drop(String db, String space) {
    return data(writer.dropSpace(db, space)).<Void>mapEmpty().recover(e ->
        e instanceof ApiException a && a.status() == 404 ? Future.succeededFuture() : Future.failedFuture(e));
  }

  /** The {@code data} of a writer answer, on a Vert.x context; its refusal as it is. */
  private Future<JsonNode> data(CompletableFuture<WriterReply> reply) {
    return Future.fromCompletionStage(reply, vertx.getOrCreateContext())
        .recover(e -> Future.failedFuture(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e))
        .map(r -> r.body().path("data"));
  }
}
