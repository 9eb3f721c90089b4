package io.vecgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.protocol.access.AccessTokens;
import io.vecgate.protocol.bus.Addresses;
import io.vecgate.protocol.bus.ReaderState;
import io.vecgate.protocol.bus.VersionNotice;
import io.vecgate.protocol.reader.PingRequest;
import io.vecgate.protocol.reader.ReaderGrpcClient;
import io.vecgate.runtime.cluster.ClusterBootstrap;
import io.vecgate.runtime.cluster.ClusterSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone service started from the packaged jar with all three tokens, and every door tried
 * with every credential: both HTTP endpoints, the event bus from a plain clustered Vert.x that
 * knows the cluster's name and members but no token (it cannot switch an alias, drop a space,
 * release a reader's version, forge a version notice or announce a reader), and the reader's gRPC service over a real
 * connection. The same service, all tokens set, still works end to end through its own traffic.
 */
class AccessTokensIT {

  static final String READ = "read-" + UUID.randomUUID();
  static final String WRITE = "write-" + UUID.randomUUID();
  static final String ADMIN = "admin-" + UUID.randomUUID();
  static final String NODE = "it-access";
  static final String QUERY = "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": [0.1, 0.2, 0.3, 0.4]}]}, \"size\": 2}";

  @TempDir Path tmp;

  @Test
  void everyDoorChecksTheTokens() throws Exception {
    int read = NodeProcess.freePort();
    int write = NodeProcess.freePort();
    int grpcPort = NodeProcess.freePort();
    int clusterPort = NodeProcess.freeClusterPort();
    String cluster = "it-access-" + UUID.randomUUID();
    // The read token from a file (as a mounted Secret, with the newline it ends with), the others from the command line.
    Path readFile = Files.writeString(tmp.resolve("read.token"), READ + "\n");
    Path logs = Files.createDirectories(Path.of("target", "it-logs", "AccessTokensIT-" + System.currentTimeMillis()));
    try (NodeProcess standalone = NodeProcess.start("standalone", logs, "--data-dir", tmp.resolve("data").toString(),
        "--read-port", String.valueOf(read), "--write-port", String.valueOf(write), "--grpc-port", String.valueOf(grpcPort),
        "--cluster-name", cluster, "--cluster-port", String.valueOf(clusterPort),
        "--cluster-members", "127.0.0.1:" + clusterPort, "--node-id", NODE, "--log-format", "text",
        "--read-token-file", readFile.toString(), "--write-token", WRITE, "--admin-token", ADMIN)) {
      Http r = new Http("http://127.0.0.1:" + read);
      Http w = new Http("http://127.0.0.1:" + write);
      Standalone.waitFor("the standalone service to be ready", Duration.ofSeconds(90), () -> {
        assertTrue(standalone.alive(), standalone::death);
        try {
          return r.get("/health/ready").status() == 200;
        } catch (RuntimeException notYet) {
          return false;
        }
      });
      httpRoutes(r, w);
      eventBus(cluster, clusterPort, r);
      grpc(grpcPort);
      assertTrue(standalone.alive(), standalone::death);
      String log = Files.readString(standalone.log);
      assertTrue(!log.contains("WARNING: no token for"), "no open-level warning on loopback with every token set");
      assertTrue(!log.contains(ADMIN) && !log.contains(READ), "no token in the log");
    }
  }

  /** Each route tried without a token, with an unknown one, with each token: the status the table says. */
  private void httpRoutes(Http r, Http w) throws InterruptedException {
    List<String> wrong = new ArrayList<>();
    // Setting up, each with the lowest token that opens it.
    expect(wrong, "admin", w, "PUT", "/db/_create", "{\"name\": \"shop\"}", 200);
    for (String space : List.of("items_v1", "items_v2", "scratch")) {
      expect(wrong, "admin", w, "PUT", "/space/shop/_create", "{\"name\": \"" + space + "\", \"partition_num\": 1, "
          + "\"engine\": {\"retrieval_type\": \"FLAT\", \"retrieval_param\": {\"metric_type\": \"L2\"}}, "
          + "\"properties\": {\"vec\": {\"type\": \"vector\", \"dimension\": 4}}}", 200);
    }
    String bulk = "{\"index\": {\"_id\": \"a1\"}}\n{\"vec\": {\"feature\": [0.1, 0.2, 0.3, 0.4]}}\n";
    expect(wrong, "write", w, "POST", "/shop/items_v1/_bulk", bulk, 200);
    expect(wrong, "write", w, "POST", "/shop/items_v1/_refresh", null, 200);
    expect(wrong, "write", w, "POST", "/shop/items_v2/a1?refresh=true", "{\"vec\": {\"feature\": [0.1, 0.2, 0.3, 0.4]}}", 201);
    expect(wrong, "admin", w, "POST", "/alias/items/dbs/shop/spaces/items_v1", null, 200);
    // Reads, on both endpoints.
    expect(wrong, "read", r, "POST", "/shop/items/_search", QUERY, 200);
    expect(wrong, "read", r, "GET", "/shop/items/a1", null, 200);
    expect(wrong, "read", r, "GET", "/db/_list", null, 200);
    expect(wrong, "read", r, "GET", "/space/shop/items_v1", null, 200);
    expect(wrong, "read", r, "GET", "/alias/items", null, 200);
    expect(wrong, "read", r, "GET", "/_cluster/nodes", null, 200);
    expect(wrong, "read", w, "GET", "/list/space?db=shop", null, 200);
    expect(wrong, "read", w, "GET", "/alias", null, 200);
    // Writes and admin routes.
    expect(wrong, "write", w, "DELETE", "/shop/items_v2/a1", null, 200);
    expect(wrong, "admin", w, "POST", "/shop/items_v1/_forcemerge", null, 200);
    expect(wrong, "admin", w, "GET", "/_jobs", null, 200);
    expect(wrong, "admin", w, "POST", "/_gc", null, 200);
    expect(wrong, "admin", w, "DELETE", "/space/shop/scratch", null, 200);
    assertEquals(List.of(), wrong);
    // Open on purpose: probes, metrics, and the answers that only say where to go.
    assertEquals(200, r.get("/health/live").status());
    assertEquals(200, w.get("/metrics").status());
    assertEquals(405, w.post("/shop/items/_search", QUERY).status());
    // A 401 names the scheme (RFC 6750) and what is needed; a 403 what the token given lacks.
    Http.Reply none = w.post("/shop/items_v1/_bulk", bulk);
    assertEquals("token_required", none.json().path("error").path("type").asText(), none::toString);
    assertEquals("this needs the write or admin token: send it as 'Authorization: Bearer <token>'",
        none.json().path("error").path("reason").asText());
    Http.Reply low = w.withToken(READ).post("/alias/items/_rollback", null);
    assertEquals("a read token does not open this: it needs the admin token",
        low.json().path("error").path("reason").asText(), low::toString);
  }

  /**
   * {@code method path} needs {@code level}: without a token 401, with an unknown one 403, with
   * each token below the level 403, with the level's own token {@code status} (tried last: it may change things).
   */
  private static void expect(List<String> wrong, String level, Http endpoint, String method, String path, String body,
                             int status) throws InterruptedException {
    String what = method + " " + path;
    check(wrong, what + " without a token", endpoint.send(method, path, body), 401, "token_required");
    check(wrong, what + " with an unknown token", endpoint.withToken("guess").send(method, path, body), 403, "token_invalid");
    List<String> order = List.of("read", "write", "admin");
    for (String lower : order.subList(0, order.indexOf(level))) {
      check(wrong, what + " with the " + lower + " token", endpoint.withToken(token(lower)).send(method, path, body), 403,
          "token_insufficient");
    }
    Http.Reply ok = endpoint.withToken(token(level)).send(method, path, body);
    if (ok.status() != status) {
      wrong.add(what + " with the " + level + " token: " + ok);
    }
  }

  private static void check(List<String> wrong, String what, Http.Reply reply, int status, String type) {
    if (reply.status() != status || reply.json() == null || !type.equals(reply.json().path("error").path("type").asText())) {
      wrong.add(what + ": expected " + status + " " + type + ", got " + reply);
    }
  }

  private static String token(String level) {
    return switch (level) {
      case "read" -> READ;
      case "write" -> WRITE;
      default -> ADMIN;
    };
  }

  /** A member that knows the cluster's name and members, and no token. */
  private void eventBus(String cluster, int clusterPort, Http r) throws Exception {
    Vertx member = await(ClusterBootstrap.startClient(new ClusterSettings(cluster, "127.0.0.1", clusterPort + 1, 19,
        List.of("127.0.0.1:" + clusterPort))));
    try {
      Http reader = r.withToken(READ);
      DeliveryOptions switchOp = new DeliveryOptions().addHeader("op", "alias.switch").addHeader("alias", "items")
          .addHeader("db", "shop").addHeader("space", "items_v2");
      // No token, then a read token, on both writer addresses: refused, and the alias stays.
      assertEquals(401, refused(member, Addresses.WRITER, switchOp));
      assertEquals(401, refused(member, Addresses.ADMIN_WRITER, switchOp));
      assertEquals(403, refused(member, Addresses.WRITER, copy(switchOp).addHeader(AccessTokens.HEADER, "Bearer " + READ)));
      assertEquals("items_v1", reader.get("/alias/items").json().path("data").path("space").asText());
      // Nor can it drop a space, release a reader's version or make the reader drop one with a forged notice.
      assertEquals(401, refused(member, Addresses.WRITER, new DeliveryOptions().addHeader("op", "space.drop")
          .addHeader("db", "shop").addHeader("space", "items_v1")));
      assertEquals(401, refused(member, Addresses.readerAdmin(NODE + "-reader"), new DeliveryOptions().addHeader("cmd", "release")));
      assertEquals(401, refused(member, Addresses.adminNode(NODE), new DeliveryOptions().addHeader("cmd", "info")));
      member.eventBus().publish(Addresses.VERSIONS, VersionNotice.dropped("shop", "items_v1").toJson());
      // Nor announce a reader of its own for the gateway to send searches to.
      for (int i = 0; i < 3; i++) {
        member.eventBus().publish(Addresses.READERS, new ReaderState("intruder", "127.0.0.1", grpcPortOfNoOne(), true,
            List.of(new ReaderState.Served("shop", "items_v1", 1)), null, null, null, List.of()).toJson());
        Thread.sleep(400);
      }
      assertEquals(200, reader.post("/shop/items/_search", QUERY).status(), "the forged drop changed nothing");
      assertEquals(200, reader.get("/space/shop/items_v1").status());
      String nodes = reader.get("/_cluster/nodes").body();
      assertTrue(nodes.contains(NODE + "-reader") && !nodes.contains("intruder"), nodes);
      // With the admin token the same member may: the door opens to the token, not to the gateway.
      DeliveryOptions withAdmin = copy(switchOp).addHeader(AccessTokens.HEADER, "Bearer " + ADMIN);
      await(member.eventBus().request(Addresses.WRITER, Buffer.buffer(), withAdmin));
      Standalone.waitFor("the switch to reach the gateway", Duration.ofSeconds(10),
          () -> reader.get("/alias/items").json().path("data").path("space").asText().equals("items_v2"));
    } finally {
      await(member.close());
    }
  }

  private static int grpcPortOfNoOne() {
    return NodeProcess.freePort();
  }

  private static DeliveryOptions copy(DeliveryOptions o) {
    DeliveryOptions c = new DeliveryOptions();
    o.getHeaders().forEach(e -> c.addHeader(e.getKey(), e.getValue()));
    return c;
  }

  private static int refused(Vertx member, String address, DeliveryOptions o) throws Exception {
    try {
      await(member.eventBus().request(address, new JsonObject(), o.setSendTimeout(10_000)));
    } catch (ExecutionException e) {
      ReplyException re = (ReplyException) e.getCause();
      return re.failureCode();
    }
    throw new AssertionError(o.getHeaders() + " on " + address + " was taken");
  }

  /** The reader's gRPC service over a real connection: a Ping with each credential. */
  private void grpc(int port) throws Exception {
    Vertx vertx = Vertx.vertx();
    GrpcClient client = GrpcClient.client(vertx);
    try {
      assertTrue(ping(client, port, null).startsWith(GrpcStatus.UNAUTHENTICATED + " token_required"));
      assertTrue(ping(client, port, "Bearer guess").startsWith(GrpcStatus.PERMISSION_DENIED + " token_invalid"));
      assertEquals("OK " + NODE + "-reader", ping(client, port, "Bearer " + READ));
      assertEquals("OK " + NODE + "-reader", ping(client, port, "Bearer " + WRITE));
    } finally {
      await(client.close());
      await(vertx.close());
    }
  }

  private static String ping(GrpcClient client, int port, String authorization) throws Exception {
    return await(client.request(SocketAddress.inetSocketAddress(port, "127.0.0.1"), ReaderGrpcClient.Ping).compose(req -> {
      if (authorization != null) {
        req.headers().set(AccessTokens.HEADER, authorization);
      }
      return req.send(PingRequest.getDefaultInstance())
          .compose(resp -> resp.last().map(p -> "OK " + p.getNodeId())
              .recover(e -> Future.succeededFuture(resp.status() + " " + resp.statusMessage())));
    }));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
