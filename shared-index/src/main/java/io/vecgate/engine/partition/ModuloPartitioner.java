package io.vecgate.engine.partition;

/**
 * Numeric id modulo the partition count (non-negative, also for negative ids). Consecutive ids
 * spread evenly; string ids must hold a decimal integer.
 */
public final class ModuloPartitioner implements Partitioner {

  private final int partitions;

  public ModuloPartitioner(int partitions) {
    this.partitions = Partitioner.checkPartitions(partitions);
  }

  @Override
  public int partitions() {
    return partitions;
  }

  @Override
  public int partition(long id) {
    return (int) Math.floorMod(id, (long) partitions);
  }

  /** @throws IllegalArgumentException when {@code key} is not a decimal 64-bit integer */
  @Override
  public int partition(String key) {
    long id;
    try {
      id = Long.parseLong(key.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("modulo partitioning needs numeric ids, got '" + key
          + "'; use the murmur3 partitioner for string ids");
    }
    return partition(id);
  }

  @Override
  public String toString() {
    return "modulo(" + partitions + ")";
  }
}
