package io.vecgate.gateway.milvus;

import io.vecgate.protocol.access.AccessLevel;
import io.vecgate.protocol.access.AccessTokens;
import io.vecgate.protocol.api.ApiException;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * The deployment's tokens on the Milvus API. The SDK sends its {@code token} (or
 * {@code user:password}) base64 in the {@code authorization} metadata; either the whole of it or
 * the part after the first {@code :} (so {@code password(token)} works too) must be a token that
 * opens the method's level: searches, queries and descriptions read, inserts, upserts, deletes
 * and flushes write, everything else (collections, indexes, aliases, load and release) admin,
 * as on the HTTP endpoints. {@code Connect}, {@code GetVersion} and {@code CheckHealth} are open,
 * as the probes are.
 */
public final class MilvusTokens implements MilvusAccess {

  private static final Set<String> OPEN = Set.of("Connect", "GetVersion", "CheckHealth");
  private static final Set<String> WRITES = Set.of("Insert", "Upsert", "Delete", "Flush", "AllocTimestamp");
  private static final Set<String> READS = Set.of("Search", "Query", "HasCollection", "DescribeCollection",
      "ShowCollections", "GetCollectionStatistics", "DescribeIndex", "GetLoadState", "GetLoadingProgress",
      "GetFlushState", "ListDatabases", "DescribeAlias", "ListAliases");

  private final AccessTokens tokens;

  public MilvusTokens(AccessTokens tokens) {
    this.tokens = tokens;
  }

  /** The level a method needs, or null when it is open. */
  static AccessLevel levelOf(String method) {
    if (OPEN.contains(method)) {
      return null;
    }
    if (READS.contains(method)) {
      return AccessLevel.READ;
    }
    return WRITES.contains(method) ? AccessLevel.WRITE : AccessLevel.ADMIN;
  }

  @Override
  public String refusal(String method, MultiMap headers) {
    AccessLevel level = levelOf(method);
    if (level == null || tokens.open(level)) {
      return null;
    }
    String sent = headers.get("authorization");
    String credential = null;
    if (sent != null) {
      try {
        credential = new String(Base64.getDecoder().decode(sent.trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException notBase64) {
        credential = sent.trim();
      }
    }
    if (credential != null) {
      int colon = credential.indexOf(':');
      if (tokens.permits(level, "Bearer " + credential)
          || colon >= 0 && tokens.permits(level, "Bearer " + credential.substring(colon + 1))) {
        return null;
      }
    }
    try {
      tokens.check(level, credential == null ? null : "Bearer " + credential);
      return null;
    } catch (ApiException e) {
      return e.type() + ": " + e.reason() + " (the Milvus SDK sends it with token(...) or password(...))";
    }
  }
}
