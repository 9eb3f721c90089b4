package io.vecgate.coordination.alias;

import io.vecgate.protocol.api.ApiException;

/**
 * The refusals every store gives, with the same types and reasons whatever the store, so that
 * the HTTP API answers the same in standalone and distributed mode.
 */
public final class AliasErrors {

  /** The error type of a store that cannot be reached (503). */
  public static final String UNAVAILABLE = "alias_store_unavailable_exception";

  private AliasErrors() {}

  public static ApiException notFound(String name) {
    return ApiException.notFound("alias_not_found_exception", "alias '" + name + "' not found");
  }

  public static ApiException exists(String name, AliasTarget serving) {
    return ApiException.conflict("alias_exists_exception", "alias '" + name + "' already exists (it serves " + serving
        + "); switch it with PUT");
  }

  /** A compare-and-set switch whose expectation no longer holds. */
  public static ApiException conflict(String name, AliasTarget expected, AliasTarget actual) {
    return ApiException.conflict("alias_conflict_exception", "alias '" + name + "': expected it to serve " + expected
        + ", but it serves " + actual + " (changed meanwhile); nothing changed");
  }

  public static ApiException noHistory(String name, AliasTarget serving) {
    return ApiException.conflict("alias_no_history_exception", "alias '" + name + "' serves " + serving
        + " and has no previous target to roll back to");
  }

  /** The store cannot be reached: changes are refused, searches go on with the local copy. */
  public static ApiException unavailable(String store, String cause) {
    return new ApiException(503, UNAVAILABLE, "the alias store " + store + " is unreachable (" + cause
        + "); alias changes are refused until it is back, searches go on with the last known aliases");
  }
}
