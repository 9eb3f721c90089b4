package io.vecgate.gateway.http;

import io.vecgate.protocol.api.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a body on GET, HEAD and DELETE, which take none on either endpoint: a client that sends
 * one (a search body on a GET, say) means something the route would silently not do. Bodies on
 * POST and PUT routes that take none are refused by the writer, which knows its operations.
 */
final class NoBodyAllowed implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    HttpMethod m = req.method();
    if ((m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.DELETE) && hasBody(req)) {
      ctx.fail(ApiException.badRequest("request body: " + m + " " + req.path() + " takes none, got "
          + (req.getHeader("content-length") != null ? req.getHeader("content-length") + " bytes" : "a chunked body")));
      return;
    }
    ctx.next();
  }

  private static boolean hasBody(HttpServerRequest req) {
    String length = req.getHeader("content-length");
    if (length != null) {
      return !length.trim().equals("0");
    }
    return req.getHeader("transfer-encoding") != null;
  }
}
