package io.vecgate.launcher.admin;

import io.vecgate.protocol.access.AccessTokens;
import io.vecgate.protocol.bus.Addresses;
import io.vecgate.protocol.writer.WriterHeaders;
import io.vecgate.protocol.writer.WriterOp;
import io.vecgate.runtime.cluster.ClusterBootstrap;
import io.vecgate.runtime.cluster.ClusterSettings;
import io.vecgate.runtime.node.NodeRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The admin tool's seat in the cluster: a Hazelcast lite member (no data) with a clustered event
 * bus, from which it sends admin commands with the token and waits for their replies. Every call
 * blocks the calling thread (the CLI's main thread) up to the timeout and turns a refusal, a
 * missing recipient or a timeout into an {@link AdminFailure} with a message for humans.
 */
final class AdminSession implements AutoCloseable {

  private final Vertx vertx;
  /** {@code Bearer <token>}, or null to send none. */
  private final String credential;
  private final Duration timeout;
  private final String where;

  private AdminSession(Vertx vertx, String token, Duration timeout, String where) {
    this.vertx = vertx;
    this.credential = token.isEmpty() ? null : "Bearer " + token;
    this.timeout = timeout;
    this.where = where;
  }

  /** Joins the cluster; fails when no other member is there (nothing to talk to). */
  /** @param token sent with every command (empty: none, for a deployment whose admin level is open) */
  static AdminSession join(ClusterSettings cluster, String token, Duration timeout) throws AdminFailure {
    String where = "cluster '" + cluster.name() + "' at " + (cluster.members().isEmpty() ? cluster.host()
        : String.join(",", cluster.members()));
    Vertx vertx;
    try {
      vertx = await(ClusterBootstrap.startClient(cluster), timeout.plusSeconds(30), "joining " + where, where);
    } catch (AdminFailure e) {
      throw e.getMessage().startsWith("no vecgate node") ? e
          : new AdminFailure(AdminFailure.UNREACHABLE, "could not join " + where + ": " + e.getMessage());
    }
    AdminSession s = new AdminSession(vertx, token, timeout, where);
    ClusterManager cm = ((io.vertx.core.internal.VertxInternal) vertx).clusterManager();
    if (cm.getNodes().size() < 2) {
      s.close();
      throw new AdminFailure(AdminFailure.UNREACHABLE, "no vecgate node found in " + where
          + " (is it running? give its Hazelcast members with --cluster-members and its --cluster-name)");
    }
    return s;
  }

  /**
   * A writer operation on {@code vecgate.admin.writer}; the writer's JSON answer.
   *
   * @param headers route parameters ({@code db}, {@code space}, {@code alias}, {@code id})
   */
  JsonObject writer(WriterOp op, Map<String, String> headers, Buffer body) throws AdminFailure {
    return writer(op, headers, body, Duration.ZERO);
  }

  /** As {@link #writer(WriterOp, Map, Buffer)}, waiting {@code longer} than the timeout (an operation that waits itself). */
  JsonObject writer(WriterOp op, Map<String, String> headers, Buffer body, Duration longer) throws AdminFailure {
    Duration limit = timeout.plus(longer);
    DeliveryOptions o = options().setSendTimeout(limit.toMillis()).addHeader(WriterHeaders.OP, op.wireName());
    headers.forEach(o::addHeader);
    Message<Buffer> reply = await(vertx.eventBus().request(Addresses.ADMIN_WRITER, body, o), limit,
        "the writer (" + op + ")");
    return json(reply.body());
  }

  /** A reader admin command on {@code vecgate.admin.reader.{id}}. */
  JsonObject reader(String nodeId, String cmd, JsonObject body) throws AdminFailure {
    Message<JsonObject> reply = await(vertx.eventBus().request(Addresses.readerAdmin(nodeId), body,
        options().addHeader("cmd", cmd)), timeout, "reader " + nodeId + " (" + cmd + ")");
    return reply.body();
  }

  /** The registered nodes, by id: {@code node_id -> role}. */
  Map<String, String> registry() throws AdminFailure {
    Map<String, String> entries = await(NodeRegistry.map(vertx).compose(m -> m.entries()), timeout, "the node registry");
    Map<String, String> out = new TreeMap<>();
    entries.forEach((id, json) -> out.put(id, new JsonObject(json).getString("role", "?")));
    return out;
  }

  /**
   * Every registered node's {@code info}, asked all at once; a node that does not answer (killed,
   * its entry not expired yet) is listed with {@code "unreachable"} and the reason.
   */
  List<JsonObject> nodes() throws AdminFailure {
    Map<String, String> ids = registry();
    List<Future<JsonObject>> asked = new ArrayList<>();
    for (Map.Entry<String, String> e : ids.entrySet()) {
      asked.add(vertx.eventBus().<JsonObject>request(Addresses.adminNode(e.getKey()), null,
              options().addHeader("cmd", "info").setSendTimeout(Math.min(timeout.toMillis(), 5_000)))
          .map(Message::body)
          .recover(err -> refusalOf(err) instanceof AdminFailure f && f.exitCode() == AdminFailure.REFUSED
              ? Future.failedFuture(f)
              : Future.succeededFuture(new JsonObject().put("node_id", e.getKey()).put("role", e.getValue())
                  .put("unreachable", describe(err)))));
    }
    await(Future.join(asked), timeout.plusSeconds(5), "the nodes");
    List<JsonObject> out = new ArrayList<>();
    for (Future<JsonObject> f : asked) {
      if (f.failed()) {
        throw (AdminFailure) f.cause();
      }
      out.add(f.result());
    }
    return out;
  }

  private DeliveryOptions options() {
    DeliveryOptions o = new DeliveryOptions().setSendTimeout(timeout.toMillis());
    return credential == null ? o : o.addHeader(AccessTokens.HEADER, credential);
  }

  private static JsonObject json(Buffer b) throws AdminFailure {
    try {
      return b == null || b.length() == 0 ? new JsonObject() : new JsonObject(b);
    } catch (DecodeException e) {
      throw new AdminFailure(AdminFailure.REFUSED, "the answer is not JSON: " + b);
    }
  }

  /** Waits {@code millis} on a Vert.x timer, blocking the command's thread as a reply does. */
  void pause(long millis) throws AdminFailure {
    await(vertx.timer(millis), timeout.plusMillis(millis), "a timer");
  }

  private <T> T await(Future<T> f, Duration limit, String what) throws AdminFailure {
    return await(f, limit, what, where);
  }

  private static <T> T await(Future<T> f, Duration limit, String what, String where) throws AdminFailure {
    try {
      return f.toCompletionStage().toCompletableFuture().get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof AdminFailure af) {
        throw af;
      }
      if (c instanceof com.hazelcast.partition.NoDataMemberInClusterException) {
        throw new AdminFailure(AdminFailure.UNREACHABLE, "no vecgate node found in " + where + " (is it running? give "
            + "its Hazelcast members with --cluster-members and its --cluster-name)");
      }
      if (refusalOf(c) instanceof AdminFailure refused) {
        throw refused;
      }
      if (c instanceof ReplyException r) {
        throw new AdminFailure(AdminFailure.UNREACHABLE, switch (r.failureType()) {
          case NO_HANDLERS -> "nothing answers for " + what + " in " + where + " (is that node running and in this cluster?)";
          case TIMEOUT -> "no answer from " + what + " within " + limit.toSeconds() + " s (--timeout)";
          default -> what + ": " + r.getMessage();
        });
      }
      throw new AdminFailure(AdminFailure.UNREACHABLE, what + ": " + describe(c));
    } catch (TimeoutException e) {
      throw new AdminFailure(AdminFailure.UNREACHABLE, "no answer from " + what + " within " + limit.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AdminFailure(AdminFailure.UNREACHABLE, "interrupted while waiting for " + what);
    }
  }

  /**
   * A node's refusal ({@code RECIPIENT_FAILURE} with the HTTP status and {@code {"error": {"type",
   * "reason"}}}) as a failure that says both; anything else is not a refusal (null).
   */
  static AdminFailure refusalOf(Throwable t) {
    if (!(t instanceof ReplyException r) || r.failureType() != io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE) {
      return null;
    }
    String m = r.getMessage();
    try {
      JsonObject e = new JsonObject(m).getJsonObject("error");
      return new AdminFailure(AdminFailure.REFUSED, "refused (" + r.failureCode() + " " + e.getString("type") + "): "
          + e.getString("reason"));
    } catch (RuntimeException notJson) {
      return new AdminFailure(AdminFailure.REFUSED, "refused (" + r.failureCode() + "): " + m);
    }
  }

  private static String describe(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Leaving the cluster is best effort: the members drop a lite member that went away.
    }
  }
}
