package io.vecgate.writer.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.writer.TestSpaces;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Calls of the writer service in tests: their bodies, their refusals, and their arguments from text. */
final class Replies {

  private Replies() {}

  /** The body of a call's answer (waits up to 60 s). */
  static JsonNode ok(CompletableFuture<WriterReply> call) throws Exception {
    return call.get(60, TimeUnit.SECONDS).body();
  }

  /** The refusal of a call; fails when it is accepted. */
  static ApiException refused(CompletableFuture<WriterReply> call) throws Exception {
    try {
      call.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (ApiException) e.getCause();
    }
    throw new AssertionError("accepted");
  }

  static Payload payload(String body) {
    return new Payload(body.getBytes(StandardCharsets.UTF_8));
  }

  static ObjectNode json(String body) {
    return (ObjectNode) TestSpaces.parse(body);
  }
}
