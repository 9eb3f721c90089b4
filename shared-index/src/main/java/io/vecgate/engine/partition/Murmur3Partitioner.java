package io.vecgate.engine.partition;

import java.nio.charset.StandardCharsets;

/**
 * Hash partitioning: murmur3_32 (x86, seed 0) of the UTF-8 bytes of the key, taken as an
 * unsigned 32-bit number, modulo the partition count. Works for any string id; a numeric id is
 * hashed as its decimal text, so {@code partition(42) == partition("42")}.
 */
public final class Murmur3Partitioner implements Partitioner {

  private final int partitions;

  public Murmur3Partitioner(int partitions) {
    this.partitions = Partitioner.checkPartitions(partitions);
  }

  @Override
  public int partitions() {
    return partitions;
  }

  @Override
  public int partition(String key) {
    int h = Murmur3.hash32(key.getBytes(StandardCharsets.UTF_8), 0);
    return (int) (Integer.toUnsignedLong(h) % partitions);
  }

  @Override
  public int partition(long id) {
    return partition(Long.toString(id));
  }

  @Override
  public String toString() {
    return "murmur3(" + partitions + ")";
  }
}
