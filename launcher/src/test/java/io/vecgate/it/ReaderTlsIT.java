package io.vecgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.protocol.reader.PingRequest;
import io.vecgate.protocol.reader.ReaderGrpcClient;
import io.vecgate.runtime.tls.ClientTls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A distributed deployment (writer, reader, gateway as separate processes) whose gateway calls the
 * reader's gRPC over mutual TLS with certificates the test makes: searches answer through it; a
 * plain gRPC client, and a TLS client without the gateway's certificate, are refused by the reader.
 */
class ReaderTlsIT {

  @TempDir Path tmp;

  @Test
  void theGatewayCallsTheReaderOverMutualTls() throws Exception {
    TestCerts.Cert readerCert = TestCerts.make(tmp, "vecgate-reader");
    TestCerts.Cert gatewayCert = TestCerts.make(tmp, "vecgate-gateway");
    Path data = Files.createDirectories(tmp.resolve("data"));
    Path logs = Files.createDirectories(Path.of("target", "it-logs", "ReaderTlsIT-" + System.currentTimeMillis()));
    int clusterPort = NodeProcess.freeClusterPort();
    int grpcPort = NodeProcess.freePort();
    int read = NodeProcess.freePort();
    int write = NodeProcess.freePort();
    String[] common = {"--data-dir", data.toString(), "--cluster-name", "it-rtls-" + UUID.randomUUID(),
        "--cluster-port", String.valueOf(clusterPort), "--cluster-members", "127.0.0.1", "--log-format", "text"};
    List<NodeProcess> nodes = new ArrayList<>();
    try {
      nodes.add(NodeProcess.start("writer", logs, concat(common, "--http-port", String.valueOf(NodeProcess.freePort()),
          "--refresh-interval", "300ms", "--node-id", "writer-tls")));
      nodes.add(NodeProcess.start("reader", logs, concat(common, "--http-port", String.valueOf(NodeProcess.freePort()),
          "--node-id", "reader-tls", "--grpc-port", String.valueOf(grpcPort), "--warmup-queries", "2",
          "--tls-cert", readerCert.certPem().toString(), "--tls-key", readerCert.keyPem().toString(),
          "--tls-client-ca", gatewayCert.certPem().toString())));
      nodes.add(NodeProcess.start("gateway", logs, concat(common, "--read-port", String.valueOf(read),
          "--write-port", String.valueOf(write), "--node-id", "gateway-tls",
          "--tls-cert", gatewayCert.certPem().toString(), "--tls-key", gatewayCert.keyPem().toString(),
          "--reader-tls-ca", readerCert.certPem().toString())));
      SSLContext trust = TestCerts.trusting(List.of(gatewayCert));
      String r = "https://127.0.0.1:" + read;
      String w = "https://127.0.0.1:" + write;
      Standalone.waitFor("the cluster to be ready", Duration.ofSeconds(120), () -> {
        for (NodeProcess n : nodes) {
          assertTrue(n.alive(), n::death);
        }
        try {
          return send(trust, "GET", r + "/health/ready", null).statusCode() == 200
              && send(trust, "GET", r + "/_cluster/nodes", null).body().contains("reader-tls");
        } catch (IOException notYet) {
          return false;
        }
      });
      assertEquals(200, send(trust, "PUT", w + "/db/_create", "{\"name\": \"shop\"}").statusCode());
      assertEquals(200, send(trust, "PUT", w + "/space/shop/_create", "{\"name\": \"items\", \"partition_num\": 1, "
          + "\"engine\": {\"retrieval_type\": \"FLAT\", \"retrieval_param\": {\"metric_type\": \"L2\"}}, "
          + "\"properties\": {\"vec\": {\"type\": \"vector\", \"dimension\": 2}}}").statusCode());
      HttpResponse<String> put = send(trust, "POST", w + "/shop/items/a1?refresh=true", "{\"vec\": {\"feature\": [0.5, 0.5]}}");
      assertEquals(201, put.statusCode(), put::body);
      // The search goes gateway -> reader over gRPC with mutual TLS.
      HttpResponse<String> hits = send(trust, "POST", r + "/shop/items/_search",
          "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": [0.5, 0.5]}]}}");
      assertEquals(200, hits.statusCode(), hits::body);
      assertTrue(hits.body().contains("\"_id\":\"a1\""), hits::body);
      HttpResponse<String> get = send(trust, "GET", r + "/shop/items/a1", null);
      assertEquals(200, get.statusCode(), get::body);

      // The reader's door: plain gRPC, and TLS without the gateway's certificate, get nothing; with it, Ping answers.
      assertTrue(ping(grpcPort, null).startsWith("failed"), "plain gRPC to a TLS reader");
      assertTrue(ping(grpcPort, new ClientTls(readerCert.certPem(), null, null)).startsWith("failed"),
          "TLS without a client certificate");
      assertEquals("OK reader-tls", ping(grpcPort, new ClientTls(readerCert.certPem(), gatewayCert.certPem(),
          gatewayCert.keyPem())));
      for (NodeProcess n : nodes) {
        assertTrue(n.alive(), n::death);
      }
    } finally {
      for (int i = nodes.size() - 1; i >= 0; i--) {
        nodes.get(i).close();
      }
    }
  }

  private static String ping(int port, ClientTls tls) throws Exception {
    Vertx vertx = Vertx.vertx();
    HttpClientOptions http = new HttpClientOptions().setHttp2ClearTextUpgrade(false).setConnectTimeout(5000);
    GrpcClient client = GrpcClient.client(vertx, new GrpcClientOptions(), tls == null ? http : tls.configure(http));
    try {
      Future<String> f = client.request(SocketAddress.inetSocketAddress(port, "127.0.0.1"), ReaderGrpcClient.Ping)
          .compose(req -> {
            req.timeout(10, TimeUnit.SECONDS);
            return req.send(PingRequest.getDefaultInstance()).compose(resp -> resp.last());
          })
          .map(p -> "OK " + p.getNodeId())
          .recover(e -> Future.succeededFuture("failed: " + e));
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      client.close();
      vertx.close();
    }
  }

  private static HttpResponse<String> send(SSLContext trust, String method, String url, String body) throws IOException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    try (HttpClient c = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(10)).build()) {
      return c.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
