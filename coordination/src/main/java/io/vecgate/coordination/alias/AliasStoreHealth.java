package io.vecgate.coordination.alias;

/**
 * Whether a store can take alias changes right now.
 *
 * @param connected false while the store is unreachable: changes fail at once, reads use the local copy
 * @param detail a short human explanation for {@code /health/ready}
 */
public record AliasStoreHealth(boolean connected, String detail) {}
