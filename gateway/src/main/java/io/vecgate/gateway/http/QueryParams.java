package io.vecgate.gateway.http;

import io.vecgate.common.api.ApiException;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.TreeSet;

/** URL parameters are checked like body keys: an unknown one is refused, never ignored. */
final class QueryParams {

  private QueryParams() {}

  static void requireOnly(RoutingContext ctx, Set<String> allowed) {
    for (String name : ctx.queryParams().names()) {
      if (!allowed.contains(name)) {
        throw ApiException.badRequest("URL parameter '" + name + "': unknown; expected "
            + (allowed.isEmpty() ? "none" : "one of " + new TreeSet<>(allowed)));
      }
    }
  }
}
