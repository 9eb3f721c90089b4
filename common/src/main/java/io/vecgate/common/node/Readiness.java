package io.vecgate.common.node;

/**
 * What {@code /health/ready} reports for a node.
 *
 * @param ready whether the node takes traffic (readers: loaded and warmed)
 * @param detail a short human explanation, shown in the response
 */
public record Readiness(boolean ready, String detail) {}
