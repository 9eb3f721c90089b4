package io.vecgate.gateway.http;

import io.vecgate.protocol.api.ApiException;
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

  /**
   * A boolean URL parameter: absent is false; {@code true}/{@code 1} and {@code false}/{@code 0}
   * are accepted, anything else is refused naming it.
   */
  static boolean flag(RoutingContext ctx, String name) {
    String v = ctx.queryParams().get(name);
    if (v == null) {
      return false;
    }
    return switch (v) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw ApiException.badRequest("URL parameter '" + name + "': expected true, false, 1 or 0, got '" + v + "'");
    };
  }
}
