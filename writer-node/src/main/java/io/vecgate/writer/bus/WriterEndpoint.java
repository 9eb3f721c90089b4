package io.vecgate.writer.bus;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.core.instrument.MeterRegistry;
import io.vecgate.protocol.access.AccessLevel;
import io.vecgate.protocol.access.AccessTokens;
import io.vecgate.protocol.admin.AdminReplies;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.bus.Addresses;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.protocol.writer.WriterHeaders;
import io.vecgate.protocol.writer.WriterOp;
import io.vecgate.writer.service.WriterReply;
import io.vecgate.writer.service.WriterService;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The writer on the event bus: a thin shell over a {@link WriterService}. It consumes
 * {@code vecgate.writer} (the gateway) and {@code vecgate.admin.writer} (the admin tool), decodes
 * each request into one call ({@link WriterCalls}) and answers with the JSON body and the headers
 * {@link WriterHeaders#STATUS}, {@link WriterHeaders#ALIAS_REVISION} and
 * {@link WriterHeaders#VERSION} where they apply; a refusal fails the reply with the HTTP status
 * as failure code and {@code {"error": {"type", "reason"}}} as message. Every answered request
 * counts in {@code vecgate.writer.requests{op, outcome}}.
 *
 * <p>Access is checked before anything else: a request on {@code vecgate.writer} must carry, in
 * header {@value AccessTokens#HEADER}, a token that opens its {@link WriterOp#level() operation's
 * level} (the gateway sends its own, having checked its HTTP caller's); every request on
 * {@code vecgate.admin.writer} the admin token. An unknown operation needs the admin token too, so
 * that nothing is answered to a caller without one. A refusal fails with 401 or 403.
 */
public final class WriterEndpoint {

  private static final System.Logger LOG = System.getLogger(WriterEndpoint.class.getName());

  private final Vertx vertx;
  private final WriterCalls calls;
  private final AccessTokens tokens;
  private final MeterRegistry meters;
  private Context context;
  private MessageConsumer<Buffer> consumer;
  private MessageConsumer<Buffer> adminConsumer;

  /**
   * @param maxBodyBytes larger request bodies are refused with 413
   * @param tokens the deployment's tokens (a level without one is open)
   */
  public WriterEndpoint(Vertx vertx, WriterService service, long maxBodyBytes, AccessTokens tokens,
      MeterRegistry meters) {
    this(vertx, service, maxBodyBytes, new WriteAdmission(WriteAdmission.Limits.DEFAULTS), tokens, meters);
  }

  /**
   * @param maxBodyBytes larger request bodies are refused with 413
   * @param admission what document writes must pass (429 past its limits)
   * @param tokens the deployment's tokens (a level without one is open)
   */
  public WriterEndpoint(Vertx vertx, WriterService service, long maxBodyBytes, WriteAdmission admission,
      AccessTokens tokens, MeterRegistry meters) {
    this.vertx = vertx;
    this.calls = new WriterCalls(service, maxBodyBytes, admission);
    // vecgate_writer_writes_in_flight and _bytes: how close the writer is to shedding.
    meters.gauge("vecgate.writer.writes.in_flight", admission, WriteAdmission::inFlight);
    meters.gauge("vecgate.writer.writes.in_flight_bytes", admission, WriteAdmission::inFlightBytes);
    this.tokens = tokens;
    this.meters = meters;
  }

  /** Registers both consumers on the caller's context, where the replies are sent from. */
  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    consumer = vertx.eventBus().consumer(Addresses.WRITER, msg -> {
      if (tokens.admit(msg, WriterOp.fromWireName(op(msg)).map(WriterOp::level).orElse(AccessLevel.ADMIN))) {
        dispatch(msg);
      }
    });
    adminConsumer = vertx.eventBus().consumer(Addresses.ADMIN_WRITER, msg -> {
      if (tokens.admit(msg, AccessLevel.ADMIN)) {
        dispatch(msg);
      }
    });
    return Future.all(consumer.completion(), adminConsumer.completion()).mapEmpty();
  }

  /** Unregisters both consumers: no request is taken after this completes. */
  public Future<Void> stop() {
    return (consumer != null ? consumer.unregister() : Future.<Void>succeededFuture())
        .compose(v -> adminConsumer != null ? adminConsumer.unregister() : Future.succeededFuture());
  }

  private void dispatch(Message<Buffer> msg) {
    Map<String, String> headers = new HashMap<>();
    msg.headers().forEach(e -> headers.putIfAbsent(e.getKey(), e.getValue()));
    byte[] body = msg.body() == null ? new byte[0] : msg.body().getBytes();
    String op = op(msg);
    calls.call(op, headers, body).whenComplete((reply, error) -> {
      Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      // vecgate_writer_requests_total{op, outcome}: what the writer was asked and how it answered.
      meters.counter("vecgate.writer.requests", "op", String.valueOf(op), "outcome", outcome(e)).increment();
      context.runOnContext(v -> answer(msg, op, reply, e));
    });
  }

  private static String op(Message<Buffer> msg) {
    return msg.headers().get(WriterHeaders.OP);
  }

  private static String outcome(Throwable error) {
    if (error instanceof ApiException a && a.status() == 429) {
      return "shed";
    }
    return error == null ? "ok" : error instanceof ApiException a && a.status() < 500 ? "rejected" : "failed";
  }

  private static void answer(Message<Buffer> msg, String op, WriterReply reply, Throwable error) {
    if (error == null) {
      try {
        msg.reply(Buffer.buffer(StrictJson.MAPPER.writeValueAsBytes(reply.body())), headers(reply));
        return;
      } catch (JsonProcessingException e) {
        error = e;
      }
    }
    if (!(error instanceof ApiException)) {
      LOG.log(System.Logger.Level.ERROR, "writer op " + op + " failed", error);
    }
    AdminReplies.fail(msg, error);
  }

  private static DeliveryOptions headers(WriterReply reply) {
    DeliveryOptions o = new DeliveryOptions().addHeader(WriterHeaders.STATUS, String.valueOf(reply.status()));
    reply.aliasRevision().ifPresent(r -> o.addHeader(WriterHeaders.ALIAS_REVISION, String.valueOf(r)));
    reply.version().ifPresent(v -> o.addHeader(WriterHeaders.VERSION, String.valueOf(v)));
    return o;
  }
}
