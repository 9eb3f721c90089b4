package io.vecgate.protocol.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Publishes on a real event bus: only those signed with the admin token pass. */
class PublishCheckTest {

  @Test
  void onlyMessagesSignedWithTheAdminTokenPass() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      AccessTokens tokens = AccessTokens.of("r", "w", "a");
      PublishCheck check = new PublishCheck(tokens, "test notice");
      List<String> taken = new CopyOnWriteArrayList<>();
      // Published in order from one sender, the messages arrive in order: once the last is seen,
      // the ones before it have been judged.
      CompletableFuture<Void> lastSeen = new CompletableFuture<>();
      vertx.eventBus().<String>consumer("t", m -> {
        if (check.admit(m)) {
          taken.add(m.body());
        }
        if (m.body().equals("signed")) {
          lastSeen.complete(null);
        }
      }).completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.eventBus().publish("t", "unsigned");
      vertx.eventBus().publish("t", "read", tokens.sign(new DeliveryOptions(), AccessLevel.READ));
      vertx.eventBus().publish("t", "forged", new DeliveryOptions().addHeader(AccessTokens.HEADER, "Bearer x"));
      vertx.eventBus().publish("t", "signed", tokens.sign(new DeliveryOptions(), AccessLevel.ADMIN));
      lastSeen.get(5, TimeUnit.SECONDS);
      assertEquals(List.of("signed"), taken);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
