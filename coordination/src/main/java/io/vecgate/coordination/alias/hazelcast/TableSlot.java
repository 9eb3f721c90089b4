package io.vecgate.coordination.alias.hazelcast;

import java.util.function.Consumer;

/**
 * The one shared cell holding the alias table's JSON, with compare-and-set. Blocking calls:
 * the store runs them on worker threads.
 */
interface TableSlot {

  /** The current value, or null before the first change. */
  String read();

  /** Sets the value if there is none; returns the existing value, or null when it set it. */
  String putIfAbsent(String value);

  /** Replaces {@code expected} by {@code value} atomically; false when the cell holds something else. */
  boolean replace(String expected, String value);

  /** Calls {@code listener} with the new value after every change, from any member; returns what stops it. */
  Runnable listen(Consumer<String> listener);

  /** Whether the cell can be reached (the Hazelcast member is running). */
  boolean running();

  /** What holds the cell, for logs and health. */
  String describe();
}
