package io.vecgate.coordination.alias;

/**
 * One entry of a store's change feed: an alias changed (created, switched, rolled back, its
 * building target set or cleared) or went away.
 *
 * @param name the alias
 * @param alias its state after the change, or null when it no longer exists
 * @param revision the store revision of the change
 */
public record AliasChange(String name, Alias alias, long revision) {}
