package io.vecgate.writer.store;

import io.vecgate.engine.partition.Partitioner;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.space.SpaceSchema;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/** Document ids of a space: the partition of an id, and fresh ids for documents sent without one. */
final class DocIds {

  private final SpaceSchema schema;
  private final Partitioner partitioner;

  DocIds(SpaceSchema schema) {
    this.schema = schema;
    this.partitioner = schema.newPartitioner();
  }

  /** The partition of an id already accepted (a WAL record's). */
  int partition(String id) {
    return partitioner.partition(id);
  }

  /**
   * The partition of {@code id}.
   *
   * @throws ApiException 400 naming {@code path} when the partitioner cannot place the id
   */
  int partitionOf(String id, String path) {
    try {
      return partitioner.partition(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(path + ": " + e.getMessage());
    }
  }

  /** A fresh id, one {@code taken} does not hold: decimal for modulo spaces (the partitioner reads ids as numbers), random text otherwise. */
  String generate(Predicate<String> taken) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    while (true) {
      String id;
      if (schema.partitioner().equals("modulo")) {
        id = Long.toString(r.nextLong(1_000_000_000_000_000L, Long.MAX_VALUE));
      } else {
        byte[] b = new byte[15];
        r.nextBytes(b);
        id = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
      }
      if (!taken.test(id)) {
        return id;
      }
    }
  }
}
