package io.vecgate.protocol.access;

import io.vecgate.protocol.admin.AdminReplies;
import io.vecgate.protocol.api.ApiException;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deployment's tokens, one per {@link AccessLevel}, each optional: a level without a token is
 * open (anyone may do what it allows), a level with one needs that token or a higher one. Every
 * door checks with the same policy: the HTTP endpoints ({@code Authorization: Bearer <token>}),
 * the reader's gRPC service (metadata {@code authorization: Bearer <token>}) and the event-bus
 * addresses that take commands (header {@value #HEADER}, the same {@code Bearer <token>} value).
 *
 * <p>A presented token is compared with every configured one, each comparison of SHA-256 digests
 * in constant time and none skipped, so neither the time taken nor the answer tells how close a
 * guess was or which token it came near. The answers: 401 {@code token_required} when the request
 * needs a token and none came, 403 {@code token_insufficient} for a token of a lower level, 403
 * {@code token_invalid} for a token that is none of the deployment's; each reason names the
 * tokens that would open the request.
 *
 * <p>Nodes send the lowest of their own tokens that opens what they ask ({@link #credentialFor}),
 * so a deployment whose nodes share the same tokens works whichever levels are closed.
 */
public final class AccessTokens {

  /** The event-bus header, and the gRPC metadata key, that carries {@code Bearer <token>}. */
  public static final String HEADER = "authorization";

  private static final String BEARER = "Bearer ";
  private static final AccessTokens NONE = new AccessTokens(new EnumMap<>(AccessLevel.class));

  private final Map<AccessLevel, String> values;
  private final Map<AccessLevel, byte[]> digests = new EnumMap<>(AccessLevel.class);

  private AccessTokens(Map<AccessLevel, String> values) {
    this.values = values;
    values.forEach((level, v) -> digests.put(level, sha256(v)));
  }

  /**
   * The tokens given; null or empty leaves that level open.
   *
   * @throws IllegalArgumentException naming the option when a token is not visible ASCII without
   *     spaces (it travels in a header), or when two levels have the same token (a request could
   *     not tell which it is)
   */
  public static AccessTokens of(String read, String write, String admin) {
    Map<AccessLevel, String> v = new EnumMap<>(AccessLevel.class);
    put(v, AccessLevel.READ, read);
    put(v, AccessLevel.WRITE, write);
    put(v, AccessLevel.ADMIN, admin);
    for (AccessLevel a : v.keySet()) {
      for (AccessLevel b : v.keySet()) {
        if (a.compareTo(b) < 0 && v.get(a).equals(v.get(b))) {
          throw new IllegalArgumentException("--" + a.word() + "-token and --" + b.word() + "-token are the same "
              + "token: give each level its own (a request must say which level it has)");
        }
      }
    }
    return v.isEmpty() ? NONE : new AccessTokens(v);
  }

  /** No tokens: every level open. */
  public static AccessTokens none() {
    return NONE;
  }

  private static void put(Map<AccessLevel, String> v, AccessLevel level, String token) {
    if (token == null || token.isEmpty()) {
      return;
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= ' ' || c > '~') {
        throw new IllegalArgumentException("--" + level.word() + "-token: expected visible ASCII characters "
            + "without spaces (the token travels in an Authorization header), got a character " + (int) c
            + " at position " + i);
      }
    }
    v.put(level, token);
  }

  /** Whether {@code level} has no token (anyone may do what it allows). */
  public boolean open(AccessLevel level) {
    return !values.containsKey(level);
  }

  /** The levels without a token, lowest first (empty when every level has one). */
  public List<AccessLevel> openLevels() {
    List<AccessLevel> out = new ArrayList<>();
    for (AccessLevel l : AccessLevel.values()) {
      if (open(l)) {
        out.add(l);
      }
    }
    return out;
  }

  /**
   * The {@code Bearer <token>} this node sends for a request that needs {@code level}: its lowest
   * token that opens it; empty when it has none that does (an open level needs none).
   */
  public Optional<String> credentialFor(AccessLevel level) {
    for (AccessLevel l : AccessLevel.values()) {
      if (l.covers(level) && values.containsKey(l)) {
        return Optional.of(BEARER + values.get(l));
      }
    }
    return Optional.empty();
  }

  /** {@code options} with {@link #credentialFor(AccessLevel) the credential} for {@code level} in {@value #HEADER}. */
  public DeliveryOptions sign(DeliveryOptions options, AccessLevel level) {
    credentialFor(level).ifPresent(c -> options.addHeader(HEADER, c));
    return options;
  }

  /**
   * Checks a request that needs {@code needed}.
   *
   * @param authorization the {@code Authorization} header (HTTP), the {@value #HEADER} header
   *     (event bus) or metadata (gRPC): {@code Bearer <token>}, or null when there was none
   * @throws ApiException 401 {@code token_required}, 403 {@code token_insufficient} or 403
   *     {@code token_invalid}, each naming the tokens that open the request
   */
  public void check(AccessLevel needed, String authorization) {
    if (open(needed)) {
      return;
    }
    if (authorization == null || authorization.isBlank()) {
      throw new ApiException(401, "token_required", "this needs " + opening(needed)
          + ": send it as 'Authorization: Bearer <token>'");
    }
    if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new ApiException(401, "token_required", "Authorization: expected 'Bearer <token>' with " + opening(needed)
          + ", got '" + authorization.split(" ", 2)[0] + " ...'");
    }
    Optional<AccessLevel> presented = levelOf(authorization.substring(BEARER.length()).trim());
    if (presented.isEmpty()) {
      throw new ApiException(403, "token_invalid", "the token given is none of this deployment's tokens; this needs "
          + opening(needed));
    }
    if (!presented.get().covers(needed)) {
      throw new ApiException(403, "token_insufficient", "a " + presented.get().word() + " token does not open this: "
          + "it needs " + opening(needed));
    }
  }

  /** Whether {@code authorization} opens {@code needed}, as {@link #check} decides, without saying why not. */
  public boolean permits(AccessLevel needed, String authorization) {
    try {
      check(needed, authorization);
      return true;
    } catch (ApiException e) {
      return false;
    }
  }

  /**
   * Checks a command on the event bus by its {@value #HEADER} header; a refusal fails the message
   * (failure code 401 or 403, the JSON error body as message, see {@link AdminReplies}).
   *
   * @return whether the command may run
   */
  public boolean admit(Message<?> msg, AccessLevel needed) {
    try {
      check(needed, msg.headers().get(HEADER));
      return true;
    } catch (ApiException e) {
      AdminReplies.fail(msg, e);
      return false;
    }
  }

  /** The level of {@code token}: every configured token is compared (no early exit), the highest match wins. */
  private Optional<AccessLevel> levelOf(String token) {
    byte[] d = sha256(token);
    AccessLevel match = null;
    for (Map.Entry<AccessLevel, byte[]> e : digests.entrySet()) {
      if (MessageDigest.isEqual(e.getValue(), d)) {
        match = e.getKey();
      }
    }
    return Optional.ofNullable(match);
  }

  /** "the write or admin token": the configured tokens that open {@code needed}. */
  private String opening(AccessLevel needed) {
    List<String> names = new ArrayList<>();
    for (AccessLevel l : AccessLevel.values()) {
      if (l.covers(needed) && values.containsKey(l)) {
        names.add(l.word());
      }
    }
    String last = names.removeLast();
    return "the " + (names.isEmpty() ? "" : String.join(", ", names) + " or ") + last + " token";
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (AccessLevel l : AccessLevel.values()) {
      b.append(b.isEmpty() ? "" : ", ").append(l.word()).append(open(l) ? " open" : " token set");
    }
    return b.toString();
  }
}
