package io.vecgate.bench.milvus;

import com.google.protobuf.ByteString;
import io.vecgate.milvus.proto.DslType;
import io.vecgate.milvus.proto.KeyValuePair;
import io.vecgate.milvus.proto.MilvusServiceGrpcClient;
import io.vecgate.milvus.proto.PlaceholderGroup;
import io.vecgate.milvus.proto.PlaceholderType;
import io.vecgate.milvus.proto.PlaceholderValue;
import io.vecgate.milvus.proto.SearchRequest;
import io.vecgate.milvus.proto.SearchResults;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * Searches through the Milvus gRPC API, as the Milvus SDK sends them (a placeholder group of one
 * float vector, {@code anns_field}, {@code topk} and {@code params} in {@code search_params},
 * bounded consistency), for {@code bench load --api milvus}: the same load as over HTTP, so the
 * two transports can be compared on the same data.
 */
public final class MilvusSearches implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final GrpcClient grpc;
  private final MilvusServiceGrpcClient client;
  private final SearchRequest[] requests;

  /**
   * Prepares one search request per query vector.
   *
   * @param target {@code host:port} of the gateway's Milvus listener (plain gRPC, no token: the
   *     generated client sends no metadata)
   */
  public MilvusSearches(String target, String db, String collection, String field, float[][] queries, int k,
                        int nprobe, int ef) {
    int colon = target.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("--url: expected host:port of the Milvus API (e.g. 127.0.0.1:19530), got "
          + target);
    }
    grpc = GrpcClient.client(vertx, new GrpcClientOptions());
    client = MilvusServiceGrpcClient.create(grpc, SocketAddress.inetSocketAddress(
        Integer.parseInt(target.substring(colon + 1)), target.substring(0, colon)));
    requests = new SearchRequest[queries.length];
    for (int i = 0; i < queries.length; i++) {
      requests[i] = request(db, collection, field, queries[i], k, nprobe, ef);
    }
  }

  /** One search request for {@code q}: top {@code k}, with nprobe / ef when they are > 0. */
  static SearchRequest request(String db, String collection, String field, float[] q, int k, int nprobe,
                                      int ef) {
    ByteBuffer bytes = ByteBuffer.allocate(q.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : q) {
      bytes.putFloat(x);
    }
    PlaceholderGroup group = PlaceholderGroup.newBuilder().addPlaceholders(PlaceholderValue.newBuilder().setTag("$0")
        .setType(PlaceholderType.FloatVector).addValues(ByteString.copyFrom(bytes.array()))).build();
    StringBuilder params = new StringBuilder("{");
    if (nprobe > 0) {
      params.append("\"nprobe\":").append(nprobe);
    }
    if (ef > 0) {
      params.append(nprobe > 0 ? "," : "").append("\"ef\":").append(ef);
    }
    params.append('}');
    return SearchRequest.newBuilder().setDbName(db).setCollectionName(collection).setDslType(DslType.BoolExprV1)
        .setPlaceholderGroup(group.toByteString()).setNq(1).setUseDefaultConsistency(true)
        .addSearchParams(kv("anns_field", field)).addSearchParams(kv("topk", String.valueOf(k)))
        .addSearchParams(kv("params", params.toString())).build();
  }

  private static KeyValuePair kv(String key, String value) {
    return KeyValuePair.newBuilder().setKey(key).setValue(value).build();
  }

  /**
   * Sends the search of query {@code qi} and waits for the answer (a caller thread per
   * connection, as the HTTP load's plain client does).
   *
   * @return the ids of the hits in order, or null when the answer is an error
   */
  public long[] search(int qi) throws Exception {
    SearchResults r = client.search(requests[qi]).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    if (r.getStatus().getCode() != 0) {
      return null;
    }
    var ids = r.getResults().getIds();
    if (ids.hasIntId()) {
      return ids.getIntId().getDataList().stream().mapToLong(Long::longValue).toArray();
    }
    return ids.getStrId().getDataList().stream().mapToLong(Long::parseLong).toArray();
  }

  @Override
  public void close() throws Exception {
    grpc.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
