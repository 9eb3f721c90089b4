package io.vecgate.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link KeepAliveConnection} against a real Vert.x HTTP server on loopback. */
class KeepAliveConnectionTest {

  @Test
  void reusesOneConnectionAndReconnectsWhenTheServerCloses() throws Exception {
    Vertx vertx = Vertx.vertx();
    AtomicInteger connections = new AtomicInteger();
    try {
      HttpServer server = vertx.createHttpServer()
          .connectionHandler(c -> connections.incrementAndGet())
          .requestHandler(req -> req.body().onSuccess(b -> {
            boolean close = b.toString().equals("close");
            req.response().setStatusCode(close ? 201 : 200).putHeader("connection", close ? "close" : "keep-alive")
                .end("{\"len\":" + b.length() + ",\"path\":\"" + req.path() + "\"}");
          }))
          .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      URI target = URI.create("http://127.0.0.1:" + server.actualPort() + "/shop/items/_search");
      try (KeepAliveConnection c = new KeepAliveConnection(target)) {
        for (int i = 0; i < 50; i++) {
          KeepAliveConnection.Response r = c.post(("x".repeat(i)).getBytes(StandardCharsets.UTF_8));
          assertEquals(200, r.status());
          assertEquals("{\"len\":" + i + ",\"path\":\"/shop/items/_search\"}", new String(r.body(), StandardCharsets.UTF_8));
        }
        assertEquals(1, connections.get());
        assertEquals(201, c.post("close".getBytes(StandardCharsets.UTF_8)).status());
        assertEquals(200, c.post("again".getBytes(StandardCharsets.UTF_8)).status());
        assertEquals(2, connections.get());
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
