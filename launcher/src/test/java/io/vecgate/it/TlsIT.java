package io.vecgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both endpoints of a standalone service over real TLS with certificates the test makes: HTTPS
 * answers (with the tokens), plain HTTP on the same port gets no answer, and a certificate
 * replaced on disk is served to new connections without a restart.
 */
class TlsIT {

  static final String ADMIN = "admin-" + UUID.randomUUID();

  @TempDir Path tmp;

  @Test
  void bothEndpointsServeTlsAndTakeARenewedCertificate() throws Exception {
    TestCerts.Cert first = TestCerts.make(tmp, "vecgate-first");
    TestCerts.Cert second = TestCerts.make(tmp, "vecgate-second");
    // The files the service reads: the first pair now, the second copied over them later.
    Path crt = Files.copy(first.certPem(), tmp.resolve("tls.crt"));
    Path key = Files.copy(first.keyPem(), tmp.resolve("tls.key"));
    int read = NodeProcess.freePort();
    int write = NodeProcess.freePort();
    Path logs = Files.createDirectories(Path.of("target", "it-logs", "TlsIT-" + System.currentTimeMillis()));
    try (NodeProcess standalone = NodeProcess.start("standalone", logs, "--data-dir", tmp.resolve("data").toString(),
        "--read-port", String.valueOf(read), "--write-port", String.valueOf(write),
        "--cluster-name", "it-tls-" + UUID.randomUUID(), "--cluster-port", String.valueOf(NodeProcess.freeClusterPort()),
        "--cluster-members", "127.0.0.1", "--log-format", "text", "--admin-token", ADMIN,
        "--tls-cert", crt.toString(), "--tls-key", key.toString())) {
      SSLContext trust = TestCerts.trusting(List.of(first, second));
      Standalone.waitFor("the standalone service to be ready over TLS", Duration.ofSeconds(90), () -> {
        assertTrue(standalone.alive(), standalone::death);
        try {
          return send(trust, "GET", "https://127.0.0.1:" + read + "/health/ready", null, null).statusCode() == 200;
        } catch (IOException notYet) {
          return false;
        }
      });
      HttpResponse<String> created = send(trust, "PUT", "https://127.0.0.1:" + write + "/db/_create", "{\"name\": \"shop\"}",
          ADMIN);
      assertEquals(200, created.statusCode(), created::body);
      assertEquals(401, send(trust, "PUT", "https://127.0.0.1:" + write + "/db/_create", "{\"name\": \"x\"}", null)
          .statusCode());
      assertEquals("CN=vecgate-first", served(trust, read));
      assertEquals("CN=vecgate-first", served(trust, write));
      // Plain HTTP to a TLS port: no HTTP answer.
      assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + read + "/health/live")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString()));
      // A client that does not trust the certificate refuses the connection.
      SSLContext other = TestCerts.trusting(List.of(TestCerts.make(tmp, "someone-else")));
      assertThrows(IOException.class, () -> send(other, "GET", "https://127.0.0.1:" + read + "/health/live", null, null));

      // bench ingest over HTTPS, trusting the certificate with --tls-ca and creating with the admin token.
      Path base = fvecs(tmp.resolve("base.fvecs"), 50, 4);
      Process bench = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "--add-modules=jdk.incubator.vector", "-jar", System.getProperty("vecgate.jar"), "bench", "ingest",
          "--url", "https://127.0.0.1:" + write, "--db", "bench", "--space", "items", "--base", base.toString(),
          "--create", "FLAT", "--batch", "20", "--token", ADMIN, "--tls-ca", first.certPem().toString())
          .redirectErrorStream(true).start();
      String benchOut = new String(bench.getInputStream().readAllBytes());
      assertTrue(bench.waitFor(2, java.util.concurrent.TimeUnit.MINUTES), benchOut);
      assertEquals(0, bench.exitValue(), benchOut);
      assertTrue(send(trust, "GET", "https://127.0.0.1:" + read + "/space/bench/items", null, ADMIN).body()
          .contains("\"doc_num\":50"), benchOut);

      // Renewed on disk (key first, as a careless rotation would): new connections get it, no restart.
      Files.copy(second.keyPem(), key, StandardCopyOption.REPLACE_EXISTING);
      Files.copy(second.certPem(), crt, StandardCopyOption.REPLACE_EXISTING);
      Standalone.waitFor("the renewed certificate to be served", Duration.ofSeconds(20),
          () -> served(trust, read).equals("CN=vecgate-second") && served(trust, write).equals("CN=vecgate-second"));
      assertEquals(200, send(trust, "GET", "https://127.0.0.1:" + read + "/db/_list", null, null).statusCode());
      assertTrue(standalone.alive(), standalone::death);
      assertTrue(Files.readString(standalone.log).contains("started: read https://127.0.0.1:" + read));
    }
  }

  /** {@code n} random vectors of {@code dim} as .fvecs (each: its dimension as int32, then the floats; little-endian). */
  private static Path fvecs(Path p, int n, int dim) throws IOException {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(n * (4 + 4 * dim)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < n; i++) {
      b.putInt(dim);
      for (int d = 0; d < dim; d++) {
        b.putFloat(r.nextFloat());
      }
    }
    return Files.write(p, b.array());
  }

  /** The subject of the certificate a new connection to {@code port} is served. */
  private static String served(SSLContext trust, int port) {
    try {
      HttpResponse<String> r = send(trust, "GET", "https://127.0.0.1:" + port + "/health/live", null, null);
      return ((X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    } catch (IOException e) {
      return "failed: " + e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** One request on a new client (so a new TLS handshake). */
  private static HttpResponse<String> send(SSLContext trust, String method, String url, String body, String token)
      throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try (HttpClient c = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(10)).build()) {
      return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
