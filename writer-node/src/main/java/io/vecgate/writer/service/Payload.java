package io.vecgate.writer.service;

import java.util.Objects;

/**
 * A request body the service parses itself, because parsing needs the space's schema, which it
 * reads on the space's lane: a document (JSON) or an NDJSON {@code _bulk} body. Never null; may be
 * empty (refused where a body is needed).
 */
public record Payload(byte[] bytes) {

  public Payload {
    Objects.requireNonNull(bytes, "bytes");
  }
}
