package io.vecgate.coordination.alias;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Which alias store a node uses.
 *
 * @param store {@code hazelcast} (the cluster's own Hazelcast; the default, and standalone's) or a
 *     Redis URI {@code redis://host:port} ({@code rediss://} for TLS; user, password and db number
 *     as the URI allows)
 * @param keyPrefix the first part of every Redis key and channel, so several deployments can share
 *     one Redis (ignored by Hazelcast)
 * @param historyLength previous targets kept per alias for rollback
 */
public record AliasStoreConfig(String store, String keyPrefix, int historyLength) {

  public static final String HAZELCAST = "hazelcast";
  /** The most previous targets an alias may keep. */
  public static final int MAX_HISTORY = 100;

  /** @throws IllegalArgumentException naming the option, the expected and the received value */
  public AliasStoreConfig {
    if (store == null || !(store.equals(HAZELCAST) || store.startsWith("redis://") || store.startsWith("rediss://"))) {
      throw new IllegalArgumentException("--alias-store: expected \"hazelcast\" or a Redis URI like redis://127.0.0.1:6379, "
          + "got \"" + store + "\"");
    }
    if (!store.equals(HAZELCAST)) {
      URI u = uri(store);
      if (u.getHost() == null || u.getHost().isEmpty()) {
        throw new IllegalArgumentException("--alias-store: expected a Redis URI with a host, like redis://127.0.0.1:6379, "
            + "got \"" + store + "\"");
      }
    }
    if (keyPrefix == null || keyPrefix.isEmpty() || !keyPrefix.matches("[A-Za-z0-9_.{}\\-]+")) {
      throw new IllegalArgumentException("--alias-key-prefix: expected letters, digits, '_', '-', '.', '{' or '}', got \""
          + keyPrefix + "\"");
    }
    if (historyLength < 0 || historyLength > MAX_HISTORY) {
      throw new IllegalArgumentException("--alias-history: expected 0 to " + MAX_HISTORY + ", got " + historyLength);
    }
  }

  /** Hazelcast, prefix {@code vecgate}, 5 previous targets. */
  public static AliasStoreConfig defaults() {
    return new AliasStoreConfig(HAZELCAST, "vecgate", 5);
  }

  public static AliasStoreConfig redis(String uri, String keyPrefix) {
    return new AliasStoreConfig(uri, keyPrefix, 5);
  }

  public boolean isRedis() {
    return !store.equals(HAZELCAST);
  }

  /** The store without credentials, as logs and errors show it: {@code redis://127.0.0.1:6379}. */
  public String display() {
    if (!isRedis()) {
      return HAZELCAST;
    }
    URI u = uri(store);
    return u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "");
  }

  private static URI uri(String s) {
    try {
      return new URI(s);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--alias-store: expected a Redis URI like redis://127.0.0.1:6379, got \"" + s
          + "\" (" + e.getReason() + ")");
    }
  }
}
