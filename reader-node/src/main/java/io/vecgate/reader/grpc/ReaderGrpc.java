package io.vecgate.reader.grpc;

import io.vecgate.common.rpc.GetRequest;
import io.vecgate.common.rpc.GetResponse;
import io.vecgate.common.rpc.PingRequest;
import io.vecgate.common.rpc.PingResponse;
import io.vecgate.common.rpc.ReaderService;
import io.vecgate.common.rpc.SearchRequest;
import io.vecgate.common.rpc.SearchResponse;
import io.vecgate.reader.search.DocHit;
import io.vecgate.reader.search.SearchQuery;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

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
  private final String nodeId;
  private volatile boolean stopping;
  private final java.util.concurrent.atomic.LongAdder searches = new java.util.concurrent.atomic.LongAdder();

  /**
   * @param executor runs the searches; partitions of one request run on it in parallel
   */
  public ReaderGrpc(VersionRegistry registry, Executor executor, String nodeId) {
    this.registry = registry;
    this.executor = executor;
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
      SearchQuery q = ProtoMapping.query(request, v);
      VersionSearcher.Prepared p = VersionSearcher.prepare(v, q);
      long engineStart = System.nanoTime();
      CompletableFuture<List<List<DocHit>>> hits;
      if (p.partitions().size() == 1) {
        hits = CompletableFuture.completedFuture(
            VersionSearcher.merge(p, List.of(VersionSearcher.searchPartition(p, p.partitions().getFirst()))));
      } else {
        // One task per partition, so a request on P partitions uses up to P cores; the first
        // partition runs on this thread, which would otherwise only wait (one hand-off less).
        List<CompletableFuture<VersionSearcher.PartitionHits>> parts = new ArrayList<>();
        for (int i = 1; i < p.partitions().size(); i++) {
          int partition = p.partitions().get(i);
          parts.add(CompletableFuture.supplyAsync(() -> VersionSearcher.searchPartition(p, partition), executor));
        }
        parts.addFirst(CompletableFuture.completedFuture(VersionSearcher.searchPartition(p, p.partitions().getFirst())));
        hits = CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
            .thenApply(x -> VersionSearcher.merge(p, parts.stream().map(CompletableFuture::join).toList()));
      }
      return hits.thenApply(results -> {
        long end = System.nanoTime();
        SearchResponse.Builder b = SearchResponse.newBuilder().setVersion(v.key().version());
        boolean legacy = request.getVectorQueriesCount() == 0;
        results.forEach(r -> b.addResults(ProtoMapping.queryHits(r, legacy)));
        return b.setEngineMicros((end - engineStart) / 1000).setTotalMicros((System.nanoTime() - start) / 1000).build();
      });
    });
  }

  @Override
  public Future<GetResponse> get(GetRequest request) {
    return onVersion(request.getDb(), request.getSpace(), request.getVersion(), v -> {
      List<DocHit> docs = VersionSearcher.get(v, request.getIdsList(), request.getPartitionsList(),
          request.getVectorValue());
      GetResponse.Builder b = GetResponse.newBuilder().setVersion(v.key().version());
      docs.forEach(d -> b.addDocs(ProtoMapping.hit(d, false)));
      return CompletableFuture.completedFuture(b.build());
    });
  }

  @Override
  public Future<PingResponse> ping(PingRequest request) {
    PingResponse.Builder b = PingResponse.newBuilder().setNodeId(nodeId);
    registry.keys().forEach(k -> b.addVersions(k.toString()));
    return Future.succeededFuture(b.build());
  }

  /**
   * Holds the version for the whole of {@code work}, which starts on the executor and may go on
   * asynchronously; the answer is completed on the caller's Vert.x context when there is one.
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
      result = CompletableFuture.supplyAsync((Supplier<CompletableFuture<T>>) () -> work.apply(v), executor)
          .thenCompose(Function.identity());
    } catch (RuntimeException e) {
      // The executor refused the task (shut down): the version must still be released.
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
