package io.vecgate.writer.store;

import io.vecgate.space.Document;

/** A validated write of one document, ready for {@link SpaceStore#apply}: made by {@link SpaceStore#prepareIndex} and {@link SpaceStore#prepareDelete}. */
public sealed interface WriteOp {

  String id();

  /** Index (upsert) {@code doc}, whose id is set and whose partition is known. */
  record Index(Document doc, int partition) implements WriteOp {
    public String id() {
      return doc.id();
    }
  }

  /** Delete the live copy of {@code id}, if any. */
  record Delete(String id) implements WriteOp {}
}
