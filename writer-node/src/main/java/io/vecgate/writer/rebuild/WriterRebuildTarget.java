package io.vecgate.writer.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.common.api.ApiException;
import io.vecgate.common.json.StrictJson;
import io.vecgate.common.space.Document;
import io.vecgate.common.space.SpaceSchema;
import io.vecgate.common.space.SpaceSchemas;
import io.vecgate.writer.service.DefaultWriterService;
import io.vecgate.writer.service.WriterReply;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    return op("db.get", Map.of("db", db), null).map(d -> {
      List<String> names = new ArrayList<>();
      d.path("spaces").forEach(n -> names.add(n.asText()));
      return names;
    });
  }

  @Override
  public Future<Long> count(String db, String space) {
    return op("space.get", Map.of("db", db, "space", space), null).map(RebuildCounts::published);
  }

  @Override
  public Future<SpaceSchema> create(String db, ObjectNode body) {
    return op("space.create", Map.of("db", db), body).map(d -> SpaceSchemas.parse(db, body));
  }

  @Override
  public Future<Void> load(String db, String space, List<Document> batch) {
    return Future.fromCompletionStage(writer.load(db, space, batch), vertx.getOrCreateContext());
  }

  @Override
  public Future<Long> publish(String db, String space, BooleanSupplier cancelled) {
    Map<String, String> at = Map.of("db", db, "space", space);
    long deadline = System.nanoTime() + buildTimeout.toNanos();
    return op("refresh", at, null)
        .compose(v -> op("space.compact", at, null))
        .compose(v -> {
          Promise<Long> indexed = Promise.promise();
          awaitIndexed(at, deadline, cancelled, indexed);
          return indexed.future();
        });
  }

  /** Polls the description until every partition is one indexed segment and nothing is buffered or building. */
  private void awaitIndexed(Map<String, String> at, long deadline, BooleanSupplier cancelled, Promise<Long> done) {
    op("space.get", at, null).onFailure(done::fail).onSuccess(d -> {
      if (cancelled.getAsBoolean()) {
        done.fail(new CancellationException("cancelled while the index of " + at.get("db") + "/" + at.get("space")
            + " was being built"));
      } else if (RebuildCounts.indexed(d)) {
        done.complete(d.path("version").asLong());
      } else if (System.nanoTime() > deadline) {
        done.fail(ApiException.unavailable("the index of " + at.get("db") + "/" + at.get("space") + " was not built within "
            + buildTimeout + " (index_state " + d.path("index_state").asText() + ", index_build "
            + d.path("index_build").asText() + ")"));
      } else {
        vertx.setTimer(200, id -> awaitIndexed(at, deadline, cancelled, done));
      }
    });
  }

  @Override
  public Future<Void> drop(String db, String space) {
    return op("space.drop", Map.of("db", db, "space", space), null).<Void>mapEmpty().recover(e ->
        e instanceof ApiException a && a.status() == 404 ? Future.succeededFuture() : Future.failedFuture(e));
  }

  /** Runs a writer operation and gives its {@code data}. */
  private Future<JsonNode> op(String op, Map<String, String> headers, ObjectNode body) {
    byte[] b = body == null ? new byte[0] : body.toString().getBytes(StandardCharsets.UTF_8);
    CompletableFuture<WriterReply> reply;
    try {
      reply = writer.handle(op, headers, b);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return Future.fromCompletionStage(reply, vertx.getOrCreateContext())
        .recover(e -> Future.failedFuture(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e))
        .map(r -> StrictJson.parseObject(r.body(), op).path("data"));
  }
}
