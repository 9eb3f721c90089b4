package io.vecgate.engine.partition;

/**
 * Chooses the partition of a document from its id. Implementations are pure functions of the
 * id and the partition count, so the writer and every reader agree without coordination.
 */
public interface Partitioner {

  /** Number of partitions, >= 1. */
  int partitions();

  /**
   * The partition of a document id given as text (Vearch's {@code _id}), in {@code [0, partitions)}.
   *
   * @throws IllegalArgumentException when this partitioner cannot handle the key
   */
  int partition(String key);

  /** The partition of a numeric id, in {@code [0, partitions)}. */
  int partition(long id);

  /** Parses {@code modulo} or {@code murmur3} (the space setting) for {@code partitions} partitions. */
  static Partitioner of(String name, int partitions) {
    return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "modulo", "mod" -> new ModuloPartitioner(partitions);
      case "murmur3", "hash" -> new Murmur3Partitioner(partitions);
      default -> throw new IllegalArgumentException("partitioner must be modulo or murmur3, got '" + name + "'");
    };
  }

  /** Checks a partition count at the edge. */
  static int checkPartitions(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partition count must be >= 1, got " + partitions);
    }
    return partitions;
  }
}
