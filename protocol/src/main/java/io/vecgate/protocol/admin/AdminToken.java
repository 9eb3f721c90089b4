package io.vecgate.protocol.admin;

import io.vecgate.protocol.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The deployment's admin token ({@code --admin-token}, {@code VECGATE_ADMIN_TOKEN}). When it is
 * set, admin commands on the event bus must carry it in the {@value #HEADER} header and the HTTP
 * admin routes in {@code Authorization: Bearer <token>}; when it is empty, auth is off and every
 * command is taken. Compared in constant time, so a refusal says nothing of how close a guess was.
 */
public final class AdminToken {

  /** Event-bus header carrying the token. */
  public static final String HEADER = "admin-token";

  private static final AdminToken OFF = new AdminToken("");

  private final String value;

  private AdminToken(String value) {
    this.value = value;
  }

  /** The token {@code value}; empty or null turns auth off. */
  public static AdminToken of(String value) {
    return value == null || value.isEmpty() ? OFF : new AdminToken(value);
  }

  /** Auth off. */
  public static AdminToken off() {
    return OFF;
  }

  public boolean enabled() {
    return !value.isEmpty();
  }

  /** The value to send with a command (empty when auth is off). */
  public String value() {
    return value;
  }

  /**
   * Checks a token presented on the event bus.
   *
   * @throws ApiException 401 {@code admin_token_required} when none was presented, 403
   *     {@code admin_token_invalid} when it is not this one
   */
  public void check(String presented) {
    if (!enabled()) {
      return;
    }
    if (presented == null || presented.isEmpty()) {
      throw new ApiException(401, "admin_token_required", "this is an admin command and the deployment has an admin "
          + "token: pass it with --admin-token (or VECGATE_ADMIN_TOKEN)");
    }
    if (!MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))) {
      throw new ApiException(403, "admin_token_invalid", "the admin token given is not the deployment's");
    }
  }

  /**
   * Checks an HTTP {@code Authorization} header.
   *
   * @throws ApiException 401 naming the header when it is missing or not a Bearer token, 403 when the token is wrong
   */
  public void checkBearer(String authorization) {
    if (!enabled()) {
      return;
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(401, "admin_token_required", "Authorization: expected 'Bearer <admin token>' on this "
          + "admin route, got " + (authorization == null ? "no header" : "'" + authorization.split(" ", 2)[0] + " ...'"));
    }
    check(authorization.substring(7).trim());
  }

  @Override
  public String toString() {
    return enabled() ? "admin token set" : "admin auth off";
  }
}
