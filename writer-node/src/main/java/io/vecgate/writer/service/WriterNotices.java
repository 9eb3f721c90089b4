package io.vecgate.writer.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * What the writer announces (the verticle publishes these on the event bus). Called from writer
 * threads; implementations must be thread-safe and quick.
 */
public interface WriterNotices {

  /** A version of a space is published in {@code dir}. */
  default void versionPublished(String db, String space, long version, Path dir) {}

  /** A space and its files are gone. */
  default void spaceDropped(String db, String space) {}

  /** The catalog changed (or is announced at start); {@code catalog} as {@code catalog.get} answers. */
  default void catalogChanged(ObjectNode catalog) {}

  WriterNotices NONE = new WriterNotices() {};
}
