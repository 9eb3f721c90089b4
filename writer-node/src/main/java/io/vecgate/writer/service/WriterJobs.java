package io.vecgate.writer.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.api.ApiException;
import java.util.concurrent.CompletableFuture;

/**
 * The writer's rebuild jobs ({@code /_jobs}) and the garbage collection of the versioned spaces
 * they leave ({@code /_gc}): {@link WriterService#jobs()}. Jobs write through the writer's own
 * spaces, so they are attached to a {@link DefaultWriterService} once it is open.
 *
 * <p>Asynchronous and never blocking the caller, as the rest of the service. Refusals complete
 * exceptionally with an {@link ApiException}: 404 for an unknown job, 409 for a second job of an
 * alias, 400 for a bad request, 503 while the alias store is unreachable or where the writer runs
 * without jobs. The getters are idempotent, so is cancelling; starting and collecting are not.
 */
public interface WriterJobs {

  /**
   * Starts a rebuild; answers 202 with the job's status (docs/internals.md, "Rebuild jobs") once
   * the request is checked (its space body parses, its db exists), before the job runs.
   *
   * @param request the body of {@code POST /_jobs/rebuild}
   */
  CompletableFuture<WriterReply> startRebuild(ObjectNode request);

  /** One job's status. */
  CompletableFuture<WriterReply> getJob(String id);

  /** {@code {"jobs": [statuses]}}, newest first. */
  CompletableFuture<WriterReply> listJobs();

  /** Asks a running job to stop before its switch; 202 with its status. */
  CompletableFuture<WriterReply> cancelJob(String id);

  /**
   * Drops the versioned spaces of rebuilds that no alias serves, builds or keeps for rollback
   * and no running job writes: {@code {"dropped": ["db/space"]}}.
   */
  CompletableFuture<WriterReply> collectGarbage();

  /**
   * Publishes a backup as a new space, no alias involved ({@code {"from", "db", "space"}}); answers
   * {@code {"db", "space", "version", "docs"}} once it is published.
   */
  CompletableFuture<WriterReply> restore(ObjectNode request);

  /** For a writer without rebuild jobs (tools, tests): every operation answers 503. */
  WriterJobs NONE = new WriterJobs() {
    private <T> CompletableFuture<T> none() {
      return CompletableFuture.failedFuture(ApiException.unavailable("this writer runs without rebuild jobs"));
    }

    @Override
    public CompletableFuture<WriterReply> startRebuild(ObjectNode request) {
      return none();
    }

    @Override
    public CompletableFuture<WriterReply> getJob(String id) {
      return none();
    }

    @Override
    public CompletableFuture<WriterReply> listJobs() {
      return none();
    }

    @Override
    public CompletableFuture<WriterReply> cancelJob(String id) {
      return none();
    }

    @Override
    public CompletableFuture<WriterReply> collectGarbage() {
      return none();
    }

    @Override
    public CompletableFuture<WriterReply> restore(ObjectNode request) {
      return none();
    }
  };
}
