package io.vecgate.reader.grpc;

import io.vecgate.protocol.reader.GetRequest;
import io.vecgate.protocol.reader.GetResponse;
import io.vecgate.protocol.reader.PingRequest;
import io.vecgate.protocol.reader.PingResponse;
import io.vecgate.protocol.reader.ReaderService;
import io.vecgate.protocol.reader.SearchRequest;
import io.vecgate.protocol.reader.SearchResponse;
import io.vecgate.reader.search.DirectRunner;
import io.vecgate.reader.search.DocHit;
import io.vecgate.reader.search.SearchPlan;
import io.vecgate.reader.search.SearchRunner;
import io.vecgate.reader.search.VersionSearcher;
import io.vecgate.reader.version.LoadedVersion;
import io.vecgate.reader.version.VersionKey;
import io.vecgate.reader.version.VersionRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The reader's gRPC service: decodes requests, runs the engine work on a dedicated executor (never
 * on the event loop), encodes the answers. Search and Get are idempotent. Failures come back as
 * gRPC statuses: {@code NOT_FOUND} for a version this reader does not hold (the message lists the
 * ones it holds; the gateway picks another reader), {@code INVALID_ARGUMENT} for a request that
 * does not fit the version (unknown fields, wrong dimension, bad parameters), {@code UNAVAILABLE}
 * once the reader is stopping, {@code INTERNAL} otherwise.
 */
public final class ReaderGrpc extends ReaderService {

  private static final System.Logger LOG = System.getLogger(ReaderGrpc.class.getName());

  private final VersionRegistry registry;
  private final Executor executor;
  private final SearchRunner runner;
  private final String nodeId;
  private volatile boolean stopping;
  private final LongAdder searches = new LongAdder();

  /** A service that runs every search alone ({@link DirectRunner}). */
  public ReaderGrpc(VersionRegistry registry, Executor executor, String nodeId) {
    this(registry, executor, new DirectRunner(executor), nodeId);
  }

  /**
   * @param executor the search threads: runs gets (searches go through {@code runner}, which runs them there too)
   * @param runner runs the searches, alone or merged
   */
  public ReaderGrpc(VersionRegistry registry, Executor executor, SearchRunner runner, String nodeId) {
    this.registry = registry;
    this.executor = executor;
    this.runner = runner;
    this.nodeId = nodeId;
  }

  /** Search requests received so far (the node's QPS is its rate). */
  public long searchCount() {
    return searches.sum();
  }

  /** Refuses every request from now on with {@code UNAVAILABLE}; running ones finish. */
  public void stopTaking() {
    stopping = true;
  }

  @Override
  public Future<SearchResponse> search(SearchRequest request) {
    long start = System.nanoTime();
    searches.increment();
    return onVersion(request.getDb(), request.getSpace(), request.getVersion(), v -> {
      // Decoded and checked here, so that the runner merges only plans that fit, before any search thread is involved.
      SearchPlan p = ProtoMapping.plan(request, v);
      return runner.search(p).thenApply(a -> {
        SearchResponse.Builder b = SearchResponse.newBuilder().setVersion(v.key().version());
        boolean legacy = request.getVectorQueriesCount() == 0;
        a.hits().forEach(r -> b.addResults(ProtoMapping.queryHits(r, legacy)));
        return b.setEngineMicros(a.engineNanos() / 1000).setTotalMicros((System.nanoTime() - start) / 1000)
            .setBatchQueries(a.batchQueries()).setBatchRequests(a.batchRequests()).build();
      });
    });
  }

  @Override
  public Future<GetResponse> get(GetRequest request) {
    return onVersion(request.getDb(), request.getSpace(), request.getVersion(), v -> CompletableFuture.supplyAsync(() -> {
      List<DocHit> docs = VersionSearcher.get(v, request.getIdsList(), request.getPartitionsList(),
          request.getVectorValue());
      GetResponse.Builder b = GetResponse.newBuilder().setVersion(v.key().version());
      docs.forEach(d -> b.addDocs(ProtoMapping.hit(d, false)));
      return b.build();
    }, executor));
  }

  @Override
  public Future<PingResponse> ping(PingRequest request) {
    PingResponse.Builder b = PingResponse.newBuilder().setNodeId(nodeId);
    registry.keys().forEach(k -> b.addVersions(k.toString()));
    return Future.succeededFuture(b.build());
  }

  /**
   * Holds the version for the whole of {@code work}, which is called on this thread, must not
   * block (it hands the engine work to the search threads) and may go on asynchronously; the
   * answer is completed on the caller's Vert.x context when there is one.
   */
  private <T> Future<T> onVersion(String db, String space, long version,
                                  Function<LoadedVersion, CompletableFuture<T>> work) {
    if (stopping) {
      return Future.failedFuture(new StatusException(GrpcStatus.UNAVAILABLE, "reader " + nodeId + " is stopping"));
    }
    LoadedVersion v = registry.acquire(db, space, version).orElse(null);
    if (v == null) {
      List<VersionKey> loaded = registry.keys();
      return Future.failedFuture(new StatusException(GrpcStatus.NOT_FOUND, "reader " + nodeId + " does not hold "
          + new VersionKey(db, space, version) + "; it holds " + loaded));
    }
    Context ctx = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    CompletableFuture<T> result;
    try {
      result = work.apply(v);
    } catch (RuntimeException e) {
      // A request that does not fit the version, or the executor refused the task (shut down):
      // the version must still be released.
      v.release();
      return Future.failedFuture(status(e));
    }
    result.whenComplete((value, error) -> {
      v.release();
      Runnable complete = error == null ? () -> promise.complete(value) : () -> promise.fail(status(error));
      if (ctx != null) {
        ctx.runOnContext(x -> complete.run());
      } else {
        complete.run();
      }
    });
    return promise.future();
  }

  /** The gRPC status of a failure. */
  static StatusException status(Throwable error) {
    Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (e instanceof StatusException s) {
      return s;
    }
    if (e instanceof IllegalArgumentException) {
      return new StatusException(GrpcStatus.INVALID_ARGUMENT, e.getMessage());
    }
    LOG.log(System.Logger.Level.ERROR, "request failed", e);
    return new StatusException(GrpcStatus.INTERNAL, String.valueOf(e));
  }
}
