package io.vecgate.reader.grpc;

import io.vecgate.protocol.access.AccessLevel;
import io.vecgate.protocol.access.AccessTokens;
import io.vecgate.protocol.api.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.GrpcStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The reader's gRPC door: every call ({@code Search}, {@code Get}, {@code Ping}) needs a token that
 * opens {@link AccessLevel#READ}, in the metadata {@code authorization: Bearer <token>}, before the
 * service sees it. A refusal is a trailers-only answer: {@code UNAUTHENTICATED} without a token,
 * {@code PERMISSION_DENIED} with one that is not the deployment's, the reason in
 * {@code grpc-message} as {@link AccessTokens} words it.
 */
public final class GrpcAccess implements Handler<HttpServerRequest> {

  private final AccessTokens tokens;
  private final Handler<HttpServerRequest> grpc;

  /** @param grpc the gRPC server the calls that pass go to */
  public GrpcAccess(AccessTokens tokens, Handler<HttpServerRequest> grpc) {
    this.tokens = tokens;
    this.grpc = grpc;
  }

  @Override
  public void handle(HttpServerRequest req) {
    try {
      tokens.check(AccessLevel.READ, req.getHeader(AccessTokens.HEADER));
    } catch (ApiException e) {
      GrpcStatus status = e.status() == 401 ? GrpcStatus.UNAUTHENTICATED : GrpcStatus.PERMISSION_DENIED;
      // grpc-message is percent-encoded (gRPC over HTTP/2); '+' is not a space there.
      String message = URLEncoder.encode(e.type() + ": " + e.reason(), StandardCharsets.UTF_8).replace("+", "%20");
      req.response().putHeader("content-type", "application/grpc")
          .putHeader("grpc-status", String.valueOf(status.code)).putHeader("grpc-message", message).end();
      return;
    }
    grpc.handle(req);
  }
}
