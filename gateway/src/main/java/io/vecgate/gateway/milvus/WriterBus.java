package io.vecgate.gateway.milvus;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.bus.Addresses;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.protocol.writer.WriterHeaders;
import io.vecgate.protocol.writer.WriterOp;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.io.IOException;
import java.util.Map;

/**
 * The Milvus API's way to the writer: the same {@code vecgate.writer} requests the write endpoint sends
 * (docs/internals.md), with the writer's refusals turned back into {@link ApiException}s (its failure code is
 * the HTTP status, its message the {@code {"error": {"type", "reason"}}} body).
 */
final class WriterBus {

  /** A successful answer of the writer: its body and headers ({@code version}, {@code alias-revision}). */
  record Reply(JsonNode body, MultiMap headers) {
    long version() {
      String v = headers.get(WriterHeaders.VERSION);
      return v == null ? 0 : Long.parseLong(v);
    }
  }

  private final Vertx vertx;
  private final long timeoutMillis;

  WriterBus(Vertx vertx, long timeoutMillis) {
    this.vertx = vertx;
    this.timeoutMillis = timeoutMillis;
  }

  /** @param headers the route's parameters ({@code db}, {@code space}, {@code id}, {@code alias}) */
  Future<Reply> call(WriterOp op, Map<String, String> headers, Buffer body) {
    DeliveryOptions o = new DeliveryOptions().setSendTimeout(timeoutMillis).addHeader(WriterHeaders.OP, op.wireName());
    headers.forEach(o::addHeader);
    return vertx.eventBus().<Buffer>request(Addresses.WRITER, body, o)
        .recover(e -> Future.failedFuture(translate(e)))
        .compose(m -> {
          String status = m.headers().get(WriterHeaders.STATUS);
          int code = status == null ? 200 : Integer.parseInt(status);
          JsonNode json = parse(m.body());
          if (code >= 400) {
            return Future.failedFuture(error(code, json));
          }
          return Future.succeededFuture(new Reply(json, m.headers()));
        });
  }

  private static Throwable translate(Throwable e) {
    if (e instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      int code = r.failureCode() >= 400 && r.failureCode() < 600 ? r.failureCode() : 500;
      return error(code, parse(Buffer.buffer(r.getMessage() == null ? "" : r.getMessage())));
    }
    if (e instanceof ReplyException r) {
      return new ApiException(503, "unavailable_exception", r.failureType() == ReplyFailure.NO_HANDLERS
          ? "the writer is not reachable (no writer node in the cluster); retry when it is up"
          : "the writer did not answer in time: " + r.getMessage());
    }
    return e;
  }

  private static ApiException error(int code, JsonNode json) {
    JsonNode err = json.path("error");
    String type = err.path("type").asText("writer_error");
    String reason = err.path("reason").asText(json.toString());
    return new ApiException(code, type, reason);
  }

  private static JsonNode parse(Buffer b) {
    if (b == null || b.length() == 0) {
      return StrictJson.MAPPER.createObjectNode();
    }
    try {
      return StrictJson.MAPPER.readTree(b.getBytes());
    } catch (IOException e) {
      return StrictJson.MAPPER.createObjectNode().put("raw", b.toString());
    }
  }
}
