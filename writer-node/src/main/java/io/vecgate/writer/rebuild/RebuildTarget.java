package io.vecgate.writer.rebuild;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.space.Document;
import io.vecgate.space.SpaceSchema;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What a rebuild needs of the writer: versioned spaces it creates, loads, publishes, counts and
 * drops. Implemented over the writer's own stores; a refused call fails with an
 * {@code ApiException}.
 */
public interface RebuildTarget {

  /** The names of the spaces of {@code db}. */
  Future<List<String>> spaces(String db);

  /** Live documents of the newest published version of a space (0 before its first version). */
  Future<Long> count(String db, String space);

  /** Creates a space from its create body and returns its schema. */
  Future<SpaceSchema> create(String db, ObjectNode body);

  /**
   * Adds checked documents to a space created by {@link #create}, placed on partitions by the
   * space's partitioner; they become searchable only at {@link #publish}, which builds the
   * index over all of them at once (for static data: all the data first, then the index).
   */
  Future<Void> load(String db, String space, List<Document> batch);

  /**
   * Seals everything loaded into indexed segments and publishes one version; its number. Fails
   * with a {@link java.util.concurrent.CancellationException} once {@code cancelled} says so while
   * it waits for the build.
   */
  Future<Long> publish(String db, String space, BooleanSupplier cancelled);

  /** Drops a space and its files; succeeds when there is none. */
  Future<Void> drop(String db, String space);
}
