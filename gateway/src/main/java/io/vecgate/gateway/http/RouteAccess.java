package io.vecgate.gateway.http;

import io.vecgate.protocol.access.AccessLevel;
import io.vecgate.protocol.access.AccessTokens;
import io.vertx.ext.web.Route;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What each HTTP route needs: every route of both endpoints is declared here as it is mounted,
 * either {@link #require needing a level} (its first handler checks {@code Authorization: Bearer
 * <token>} with {@link AccessTokens}, before the body is read) or {@link #open open} on purpose
 * (probes, metrics, the answers that only say where to go). A route declared neither way is a
 * mistake that {@code ApiContractTest} finds, and docs/api.md lists each route's level.
 */
public final class RouteAccess {

  /** What an open route records: it checks nothing. */
  public static final String OPEN = "open";

  private final AccessTokens tokens;
  private final Map<Route, String> declared = new IdentityHashMap<>();

  public RouteAccess(AccessTokens tokens) {
    this.tokens = tokens;
  }

  /** The tokens the routes are checked with. */
  public AccessTokens tokens() {
    return tokens;
  }

  /** {@code route}, its first handler refusing a request whose credential does not open {@code level} (401/403). */
  public Route require(Route route, AccessLevel level) {
    declared.put(route, level.word());
    return route.handler(ctx -> {
      tokens.check(level, ctx.request().getHeader("Authorization"));
      ctx.next();
    });
  }

  /** {@code route}, declared open: it needs no token whatever the deployment's. */
  public Route open(Route route) {
    declared.put(route, OPEN);
    return route;
  }

  /** {@code read}, {@code write}, {@code admin} or {@value #OPEN}; empty for a route never declared. */
  public Optional<String> levelOf(Route route) {
    return Optional.ofNullable(declared.get(route));
  }
}
