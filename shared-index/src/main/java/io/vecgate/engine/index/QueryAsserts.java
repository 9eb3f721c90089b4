package io.vecgate.engine.index;

/**
 * The engine's asserts on a search's query vectors. A request is checked once, where it comes in
 * (the gateway for a user's input, the reader's search plan for the network's): inside the engine
 * a wrong dimension or a non-finite component is a bug of the caller, caught by {@code assert}
 * in tests and never paid for in production.
 */
public final class QueryAsserts {

  private QueryAsserts() {}

  /**
   * For {@code assert}: {@code query} has {@code dimension} finite components.
   *
   * @param what names the query in the message ("query 3", "a query of field title")
   * @return true
   * @throws AssertionError naming the query, the dimension or the component
   */
  public static boolean valid(float[] query, int dimension, String what) {
    if (query.length != dimension) {
      throw new AssertionError(what + " has dimension " + query.length + ", expected " + dimension);
    }
    for (int j = 0; j < query.length; j++) {
      if (!Float.isFinite(query[j])) {
        throw new AssertionError(what + ": component " + j + " is " + query[j] + "; must be finite");
      }
    }
    return true;
  }
}
