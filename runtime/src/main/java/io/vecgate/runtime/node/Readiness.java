package io.vecgate.runtime.node;

/**
 * What {@code /health/ready} reports for a node.
 *
 * @param ready whether the node takes traffic (readers: loaded and warmed)
 * @param degraded whether it takes traffic with something missing (the alias store is unreachable:
 *     searches use the cached aliases, alias changes are refused); still 200, status {@code degraded}
 * @param detail a short human explanation, shown in the response
 */
public record Readiness(boolean ready, boolean degraded, String detail) {

  public Readiness(boolean ready, String detail) {
    this(ready, false, detail);
  }
}
