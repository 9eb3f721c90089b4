package io.vecgate.coordination.alias.redis;

/**
 * The Redis key layout of the alias store, under a prefix {@code p} (default {@code vecgate}) so
 * that several deployments can share one Redis:
 *
 * <pre>
 * p:alias:{name}              STRING  "db/space"   the serving target (the story's key1)
 * p:alias:{name}:building     STRING  "db/space"   the target under construction (key2)
 * p:alias:{name}:history      LIST    "db/space"   previous serving targets, newest first
 * p:aliases                   HASH    name -> revision of the alias's last change (the index of names)
 * p:aliases:revision          STRING  the store revision, +1 on every change of any alias
 * p:aliases:epoch             STRING  a random id set once: a new one means the keys were wiped
 * p:aliases:changes           pub/sub channel of change notices
 * </pre>
 *
 * Alias names are global (as in Vearch's {@code /alias/{alias}}), so the db is in the value, not
 * in the key. The scripts build these names themselves from the prefix (they walk the index), so
 * the store needs one Redis (or a primary with replicas), not Redis Cluster.
 */
public record RedisKeys(String prefix) {

  public String serving(String name) {
    return prefix + ":alias:" + name;
  }

  public String building(String name) {
    return serving(name) + ":building";
  }

  public String history(String name) {
    return serving(name) + ":history";
  }

  public String index() {
    return prefix + ":aliases";
  }

  public String revision() {
    return prefix + ":aliases:revision";
  }

  public String epoch() {
    return prefix + ":aliases:epoch";
  }

  public String channel() {
    return prefix + ":aliases:changes";
  }
}
