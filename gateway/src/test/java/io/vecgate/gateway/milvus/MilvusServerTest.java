package io.vecgate.gateway.milvus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.alias.AliasStores;
import io.vecgate.gateway.GatewayConfig;
import io.vecgate.gateway.GatewayVerticle;
import io.vecgate.milvus.proto.ConnectRequest;
import io.vecgate.milvus.proto.CreatePartitionRequest;
import io.vecgate.milvus.proto.GetVersionRequest;
import io.vecgate.milvus.proto.HasCollectionRequest;
import io.vecgate.milvus.proto.MilvusServiceGrpcClient;
import io.vecgate.milvus.proto.SearchRequest;
import io.vecgate.milvus.proto.ShowCollectionsRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Milvus listener over real gRPC, with no writer in the cluster: the methods that need none answer, the
 * others answer an in-band error status at once, and a method vecgate does not serve answers UNIMPLEMENTED —
 * never a hang.
 */
class MilvusServerTest {

  private static Vertx vertx;
  private static MilvusServiceGrpcClient client;
  private static GatewayVerticle gateway;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    AliasStore aliases = await(AliasStores.open(vertx, AliasStoreConfig.defaults()));
    gateway = new GatewayVerticle(GatewayConfig.defaults().withPorts(0, 0), aliases).withMilvusPort(0);
    await(vertx.deployVerticle(gateway));
    client = MilvusServiceGrpcClient.create(GrpcClient.client(vertx),
        SocketAddress.inetSocketAddress(gateway.milvusPort(), "127.0.0.1"));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void connectAndVersionAnswerSuccess() throws Exception {
    var c = await(client.connect(ConnectRequest.getDefaultInstance()));
    assertEquals(0, c.getStatus().getCode());
    assertEquals("CLUSTER", c.getServerInfo().getDeployMode());
    assertEquals(MilvusApi.VERSION, await(client.getVersion(GetVersionRequest.getDefaultInstance())).getVersion());
  }

  @Test
  void namesThatDoNotResolveAnswerInBand() throws Exception {
    var has = await(client.hasCollection(HasCollectionRequest.newBuilder().setCollectionName("nope").build()));
    assertEquals(0, has.getStatus().getCode());
    assertFalse(has.getValue());
    long searches = gateway.searchCount();
    var search = await(client.search(SearchRequest.newBuilder().setCollectionName("nope").build()));
    assertEquals(searches + 1, gateway.searchCount(), "a Milvus search counts in vecgate.search, as an HTTP one");
    assertEquals(MilvusStatus.COLLECTION_NOT_FOUND, search.getStatus().getCode(), search.getStatus().getReason());
    assertTrue(search.getStatus().getReason().contains("collection=nope"), search.getStatus().getReason());
    var other = await(client.search(SearchRequest.newBuilder().setDbName("shop").setCollectionName("nope").build()));
    assertEquals(MilvusStatus.DATABASE_NOT_FOUND, other.getStatus().getCode(), other.getStatus().getReason());
    var shown = await(client.showCollections(ShowCollectionsRequest.getDefaultInstance()));
    assertEquals(0, shown.getStatus().getCode());
    assertEquals(0, shown.getCollectionNamesCount());
  }

  @Test
  void aMethodNotServedAnswersUnimplemented() {
    var f = client.createPartition(CreatePartitionRequest.newBuilder().setCollectionName("c").setPartitionName("p")
        .build());
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> await(f));
    InvalidStatusException s = assertInstanceOf(InvalidStatusException.class, e.getCause());
    assertEquals(GrpcStatus.UNIMPLEMENTED, s.actualStatus());
  }
}
